package org.homecoming.platform.audit;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.KafkaTemplate;

/** Gives every service an {@link AuditTrail} on its own Kafka producer (transactional where the service's is). */
@AutoConfiguration(after = KafkaAutoConfiguration.class)
@ConditionalOnBean(KafkaTemplate.class)
public class AuditTrailAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    AuditTrail auditTrail(KafkaTemplate<String, Object> kafka, ObjectProvider<Clock> clock,
                          @Value("${spring.application.name:unnamed-service}") String service) {
        return new AuditTrail(kafka, clock.getIfAvailable(Clock::systemUTC), service);
    }
}
