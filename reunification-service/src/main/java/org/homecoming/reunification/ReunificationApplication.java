package org.homecoming.reunification;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** The reunification service: matches listed and arriving people to relatives' inquiries and alerts the relatives. */
@SpringBootApplication
public class ReunificationApplication {

    /** Its configuration file is reunification.yml, so all services can share one JVM in end-to-end tests. */
    public static final String CONFIG_NAME = "spring.config.name=reunification";

    public static void main(String[] args) {
        new SpringApplicationBuilder(ReunificationApplication.class).properties(CONFIG_NAME).run(args);
    }
}
