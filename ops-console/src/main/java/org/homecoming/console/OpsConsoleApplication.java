package org.homecoming.console;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The ops console: a read-only observer of every Homecoming topic that shows ops teams how each round
 * is going, where the buses are, how alerts fare and how healthy the topics are. The one topic it owns is its
 * operators' acknowledgements of attention items, which every console instance reads back.
 */
@SpringBootApplication
@EnableScheduling
@ConfigurationPropertiesScan
public class OpsConsoleApplication {

    /** Its configuration file is ops-console.yml, so all services can share one JVM in end-to-end tests. */
    public static final String CONFIG_NAME = "spring.config.name=ops-console";

    private static final String AVRO_TRUSTED_PACKAGES = "org.apache.avro.SERIALIZABLE_PACKAGES";

    public static void main(String[] args) {
        // Avro 1.12 refuses to build classes outside trusted packages; a plain `java -jar` has no flag for it.
        if (System.getProperty(AVRO_TRUSTED_PACKAGES) == null) {
            System.setProperty(AVRO_TRUSTED_PACKAGES, "org.homecoming.events");
        }
        new SpringApplicationBuilder(OpsConsoleApplication.class).properties(CONFIG_NAME).run(args);
    }
}
