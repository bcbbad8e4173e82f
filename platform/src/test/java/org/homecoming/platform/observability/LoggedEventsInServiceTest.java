package org.homecoming.platform.observability;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import io.micrometer.core.instrument.MeterRegistry;
import org.homecoming.platform.HomecomingPlatformAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

/** The platform's defaults take Micrometer's turbo filter out of a service and count log events with the appender. */
@SpringBootTest(classes = LoggedEventsInServiceTest.Service.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
class LoggedEventsInServiceTest {

    @Autowired
    MeterRegistry registry;

    @Test
    void shouldCountLogEventsWithoutMicrometersTurboFilter() {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        double before = registry.get(LoggedEvents.NAME).tag("level", "warn").counter().count();

        LoggerFactory.getLogger(LoggedEventsInServiceTest.class).warn("counted");

        assertThat(logging.getTurboFilterList()).noneMatch(filter -> filter.getClass().getName().contains("MetricsTurboFilter"));
        assertThat(registry.get(LoggedEvents.NAME).tag("level", "warn").counter().count()).isEqualTo(before + 1);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration(exclude = {KafkaAutoConfiguration.class, HomecomingPlatformAutoConfiguration.class})
    static class Service {

        @Bean
        LoggedEvents loggedEvents() {
            return new LoggedEvents((LoggerContext) LoggerFactory.getILoggerFactory());
        }
    }
}
