package org.homecoming.roster;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.ProducerListener;

/**
 * The roster's KafkaTemplate: Boot's transactional producer factory, without an observation per send. The
 * platform turns template observations on for every service (and properties imported with
 * spring.config.import take precedence over roster.yml, so it cannot be turned off there); here a 10,000-row
 * list would make 10,000 spans, which cost two thirds of the publication time in the list ingestion
 * benchmark. {@link RecordTracing} makes one span per publication instead and puts its trace context on
 * every record.
 */
@Configuration(proxyBeanMethods = false)
class RosterKafka {

    @Bean
    @SuppressWarnings({"unchecked", "rawtypes"})
    KafkaTemplate<String, Object> kafkaTemplate(ProducerFactory<String, Object> producerFactory,
                                                ProducerListener<Object, Object> producerListener) {
        KafkaTemplate<String, Object> template = new KafkaTemplate<>(producerFactory);
        // Boot's LoggingProducerListener, which logs failed sends, is declared for <Object, Object>
        template.setProducerListener((ProducerListener) producerListener);
        template.setObservationEnabled(false);
        return template;
    }
}
