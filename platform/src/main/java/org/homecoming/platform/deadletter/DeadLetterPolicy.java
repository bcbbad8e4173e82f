package org.homecoming.platform.deadletter;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.homecoming.catalogue.Topic;
import org.homecoming.platform.observability.MetricNames;
import org.homecoming.platform.retry.RetryPolicy;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.streams.RecoveringDeserializationExceptionHandler;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;

/**
 * The one error policy of every service: a record that cannot be read or processed is retried a bounded
 * number of times, then published to {@code <topic>-dlt} with {@code kafka_dlt-exception-*} headers that
 * say why, and the consumer goes on with the next record. It applies to listeners and to Kafka Streams.
 */
@Configuration(proxyBeanMethods = false)
public class DeadLetterPolicy {

    @Bean
    DeadLetters deadLetters(KafkaProperties kafka, ObjectProvider<MeterRegistry> meters) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        // A dead letter may be the original bytes (unreadable) or a record that failed later; both must go out.
        config.put("apicurio.registry.auto-register", true);
        config.put("apicurio.registry.find-latest", false);
        Map<Class<?>, Serializer<?>> byType = new LinkedHashMap<>();
        byType.put(byte[].class, new ByteArraySerializer());
        byType.put(String.class, new StringSerializer());
        byType.put(SpecificRecord.class, new AvroKafkaSerializer<>());
        Serializer<Object> serializer = new DelegatingByTypeSerializer(byType, true);
        DefaultKafkaProducerFactory<Object, Object> factory = new DefaultKafkaProducerFactory<>(config, serializer, serializer);
        KafkaTemplate<Object, Object> template = new KafkaTemplate<>(factory);
        DeadLetterPublishingRecoverer publisher = new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(record.topic() + Topic.DEAD_LETTER_SUFFIX, record.partition()));
        return new DeadLetters(publisher, meters.getIfAvailable());
    }

    @Bean
    CommonErrorHandler deadLetterErrorHandler(DeadLetters deadLetters) {
        return new DefaultErrorHandler(deadLetters, RetryPolicy.DEFAULT.backOff());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(StreamsConfig.class)
    static class Streams {

        @Bean
        StreamsBuilderFactoryBeanConfigurer deadLettersForStreams(DeadLetters deadLetters) {
            return factoryBean -> {
                Properties config = factoryBean.getStreamsConfiguration();
                if (config == null) {
                    return;
                }
                config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                        RecoveringDeserializationExceptionHandler.class);
                config.put(RecoveringDeserializationExceptionHandler.KSTREAM_DESERIALIZATION_RECOVERER, deadLetters);
                config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
                config.put(DeadLetterProcessingHandler.RECOVERER, deadLetters);
                factoryBean.setStreamsConfiguration(config);
            };
        }
    }

    /** Publishes a failed record to its dead-letter topic and counts it, per source topic. */
    public static final class DeadLetters implements ConsumerRecordRecoverer {
        private final DeadLetterPublishingRecoverer publisher;
        private final MeterRegistry meters;

        DeadLetters(DeadLetterPublishingRecoverer publisher, MeterRegistry meters) {
            this.publisher = publisher;
            this.meters = meters;
        }

        @Override
        public void accept(org.apache.kafka.clients.consumer.ConsumerRecord<?, ?> record, Exception exception) {
            publisher.accept(record, exception);
            if (meters != null) {
                counter(meters, record.topic()).increment();
            }
        }

        /** The dead-letter counter of a source topic. */
        public static Counter counter(MeterRegistry meters, String topic) {
            return Counter.builder(MetricNames.DEAD_LETTERS).description("Records sent to a dead-letter topic")
                    .tag("topic", topic).register(meters);
        }
    }
}
