package org.homecoming.transport;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The transport service: manifests, bus telemetry, the border crossing, arrival and the hand-over of each person. */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableScheduling
public class TransportApplication {

    /** Its configuration file is transport.yml, so all services can share one JVM in end-to-end tests. */
    public static final String CONFIG_NAME = "spring.config.name=transport";

    public static void main(String[] args) {
        new SpringApplicationBuilder(TransportApplication.class).properties(CONFIG_NAME).run(args);
    }
}
