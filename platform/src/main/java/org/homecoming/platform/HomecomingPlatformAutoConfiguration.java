package org.homecoming.platform;

import org.homecoming.platform.deadletter.DeadLetterPolicy;
import org.homecoming.platform.holding.HoldingConfiguration;
import org.homecoming.platform.kafka.TopicProvisioning;
import org.homecoming.platform.observability.LoggedEvents;
import org.homecoming.platform.registry.SchemaProvisioning;
import org.homecoming.platform.security.EncryptedEndpoints;
import org.homecoming.platform.web.WebInputRules;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Wires the plumbing every Homecoming service shares. Services bring only their domain. */
// Before Boot's error handling, so that its own error controller steps aside for the problem+json one
@AutoConfiguration(before = KafkaAutoConfiguration.class,
        beforeName = "org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration")
@Import({TopicProvisioning.class, SchemaProvisioning.class, DeadLetterPolicy.class,
        HoldingConfiguration.class})
public class HomecomingPlatformAutoConfiguration {

    /** Static: it checks the settings before any bean of this configuration (or any other) is made. */
    @Bean
    static EncryptedEndpoints encryptedEndpoints() {
        return new EncryptedEndpoints();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @Import(WebInputRules.class)
    static class Web {
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"ch.qos.logback.classic.LoggerContext", "io.micrometer.core.instrument.MeterRegistry"})
    static class Logging {

        @Bean
        LoggedEvents loggedEvents() {
            return new LoggedEvents((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory());
        }
    }
}
