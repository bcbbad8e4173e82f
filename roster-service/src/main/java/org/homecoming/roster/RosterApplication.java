package org.homecoming.roster;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The roster service: the source of truth for who is to be freed in each exchange round. */
@SpringBootApplication
public class RosterApplication {

    /** Its configuration file is roster.yml, so all services can share one JVM in end-to-end tests. */
    public static final String CONFIG_NAME = "spring.config.name=roster";

    public static void main(String[] args) {
        new SpringApplicationBuilder(RosterApplication.class).properties(CONFIG_NAME).run(args);
    }
}
