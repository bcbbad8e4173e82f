package org.homecoming.platform;

import org.homecoming.platform.deadletter.DeadLetterPolicy;
import org.homecoming.platform.kafka.TopicProvisioning;
import org.homecoming.platform.registry.SchemaProvisioning;
import org.homecoming.platform.web.ProblemResponses;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Wires the plumbing every Homecoming service shares. Services bring only their domain. */
@AutoConfiguration(before = KafkaAutoConfiguration.class)
@Import({TopicProvisioning.class, SchemaProvisioning.class, DeadLetterPolicy.class})
public class HomecomingPlatformAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @Import(ProblemResponses.class)
    static class Web {
    }
}
