package org.homecoming.transport.config;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;
import org.homecoming.transport.geo.CrossingGeography;
import org.homecoming.transport.movements.DetectionSettings;
import org.homecoming.transport.movements.MovementDetector;
import org.homecoming.transport.movements.RefusedReadings;
import org.homecoming.transport.telemetry.ReadingValidator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;

/** The domain objects of transport, built from configuration. */
@Configuration(proxyBeanMethods = false)
class TransportConfiguration {

    @Bean
    CrossingGeography crossingGeography(@Value("${homecoming.transport.geography}") Resource geography) throws IOException {
        try (InputStream in = geography.getInputStream()) {
            return CrossingGeography.fromGeoJson(in);
        }
    }

    @Bean
    MovementDetector movementDetector(CrossingGeography geography, DetectionSettings settings,
                                      ObjectProvider<MeterRegistry> meters) {
        return new MovementDetector(geography, settings, new RefusedReadings(meters.getIfAvailable()));
    }

    @Bean
    ReadingValidator readingValidator() {
        return new ReadingValidator();
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
