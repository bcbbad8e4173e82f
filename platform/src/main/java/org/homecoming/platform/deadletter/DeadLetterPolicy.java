package org.homecoming.platform.deadletter;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topic.Owner;
import org.homecoming.catalogue.Topics;
import org.homecoming.platform.kafka.RegistryAvroSerializer;
import org.homecoming.platform.observability.MetricNames;
import org.homecoming.platform.registry.RegistryOutage;
import org.homecoming.platform.registry.RegistryUnavailableException;
import org.homecoming.platform.registry.SchemaProvisioning;
import org.homecoming.platform.retry.RetryPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultAfterRollbackProcessor;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.FailedRecordProcessor;
import org.springframework.kafka.listener.ListenerUtils;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.kafka.streams.RecoveringDeserializationExceptionHandler;
import org.springframework.kafka.support.ExceptionMatcher;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * The one error policy of every service: a record that cannot be read or processed is retried a bounded
 * number of times, then published to {@code <topic>-dlt} with {@code kafka_dlt-exception-*} headers that
 * say why, and the consumer goes on with the next record. It applies to listeners and to Kafka Streams.
 *
 * <p>Except a record that could not be read because the schema registry was unavailable ({@link RegistryOutage}):
 * it is not poison, and it is never dead-lettered or skipped. A listener reads it again after a pause of 1 s growing to
 * 30 s until the registry answers; a stream thread fails after a pause and is replaced, resuming from its last commit.
 * A listener's record that failed with another {@link Outage} (a mail server away) is read again the same way.
 */
@Configuration(proxyBeanMethods = false)
public class DeadLetterPolicy {

    @Bean
    DeadLetters deadLetters(KafkaProperties kafka, ObjectProvider<MeterRegistry> meters,
                            @Value("${homecoming.schemas.owned:}") List<Owner> owned) {
        Map<String, Object> config = new HashMap<>(kafka.buildProducerProperties());
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        // A dead letter may be the original bytes (unreadable) or a record that failed later; both must go out. With
        // read-only registry credentials schema provisioning has registered the dead-letter subjects, so they are
        // looked up; on an open registry the service registers them as it needs them.
        boolean readOnlyRegistry = config.get(SchemaProvisioning.CLIENT_ID) != null;
        config.put("apicurio.registry.auto-register", !readOnlyRegistry);
        config.put("apicurio.registry.find-latest", readOnlyRegistry);
        Map<Class<?>, Serializer<?>> byType = new LinkedHashMap<>();
        byType.put(byte[].class, new ByteArraySerializer());
        byType.put(String.class, new StringSerializer());
        byType.put(SpecificRecord.class, new RegistryAvroSerializer<>());
        Serializer<Object> serializer = new DelegatingByTypeSerializer(byType, true);
        DefaultKafkaProducerFactory<Object, Object> factory = new DefaultKafkaProducerFactory<>(config, serializer, serializer);
        KafkaTemplate<Object, Object> template = new KafkaTemplate<>(factory);
        DeadLetterPublishingRecoverer publisher = new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(record.topic() + Topic.DEAD_LETTER_SUFFIX, record.partition()));
        // Spring's headers say "failed to deserialize" for every unreadable record; this one says what failed.
        publisher.setHeadersFunction((record, exception) -> new RecordHeaders().add(REASON_HEADER,
                reason(exception).getBytes(StandardCharsets.UTF_8)));
        Map<String, Object> consumer = new HashMap<>(kafka.buildConsumerProperties());
        return new DeadLetters(publisher, meters.getIfAvailable(), owned, new DeadLetterRecord(consumer));
    }

    @Bean
    CommonErrorHandler deadLetterErrorHandler(DeadLetters deadLetters) {
        return errorHandler(deadLetters, RetryPolicy.DEFAULT);
    }

    /**
     * A listener container's error handler: bounded retries, then the dead-letter topic; but a record that the
     * registry's absence made unreadable is retried until the registry answers ({@link #outagesRetried}).
     */
    public static DefaultErrorHandler errorHandler(ConsumerRecordRecoverer deadLetters, RetryPolicy retries) {
        return errorHandler(deadLetters, retries.backOff());
    }

    /** {@link #errorHandler(ConsumerRecordRecoverer, RetryPolicy)} with another recoverer's own back-off for bad records. */
    public static DefaultErrorHandler errorHandler(ConsumerRecordRecoverer recoverer, BackOff backOff) {
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff) {
            @Override
            protected ExceptionMatcher getExceptionMatcher() {
                return outagesRetried(super.getExceptionMatcher());
            }
        };
        outagesRetried(handler);
        return handler;
    }

    /**
     * A transactional container's after-rollback processor, with the same rules as {@link #errorHandler}. For a batch
     * listener Spring's processor retries the whole batch a bounded number of times and then recovers every record of
     * it, without asking the classification; a batch that failed because of an outage is instead sought back to its
     * beginning and tried again after the outage pause, for as long as the outage lasts.
     */
    public static DefaultAfterRollbackProcessor<Object, Object> afterRollbackProcessor(ConsumerRecordRecoverer deadLetters,
            RetryPolicy retries, KafkaOperations<?, ?> kafka) {
        DefaultAfterRollbackProcessor<Object, Object> processor = new DefaultAfterRollbackProcessor<>(deadLetters,
                retries.backOff(), kafka, true) {
            private BackOffExecution outagePauses;
            private long lastOutage;

            @Override
            protected ExceptionMatcher getExceptionMatcher() {
                return outagesRetried(super.getExceptionMatcher());
            }

            @Override
            public void processBatch(ConsumerRecords<Object, Object> records, List<ConsumerRecord<Object, Object>> recordList,
                                     Consumer<Object, Object> consumer, MessageListenerContainer container,
                                     Exception exception, boolean recoverable, ContainerProperties.EOSMode eosMode) {
                if (!RegistryOutage.isBehind(exception) || recordList.isEmpty()) {
                    outagePauses = null;
                    super.processBatch(records, recordList, consumer, container, exception, recoverable, eosMode);
                    return;
                }
                RegistryOutage.count(recordList.get(0), exception);
                RegistryOutage.seekBack(consumer, recordList, 0);
                long now = System.nanoTime();
                // a new outage, not the same one going on: its pauses start again from the first
                if (outagePauses == null || now - lastOutage > 2 * RegistryOutage.LONGEST_PAUSE.toNanos()) {
                    outagePauses = RegistryOutage.backOff().start();
                }
                lastOutage = now;
                try {
                    ListenerUtils.stoppableSleep(container, outagePauses.nextBackOff());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        outagesRetried(processor);
        return processor;
    }

    /**
     * Spring classifies every deserialization failure as not retryable, so without this a record the registry's
     * absence made unreadable would go to the dead-letter topic at once. It is retryable, and without end: bounded
     * retries are for a record that will never read; an outage ends, and a partition that waits for it loses nothing.
     */
    private static ExceptionMatcher outagesRetried(ExceptionMatcher classified) {
        return new ExceptionMatcher(List.of(), true) {
            @Override
            public boolean match(Throwable exception) {
                return outage(exception) || classified.match(exception);
            }
        };
    }

    /** The registry's absence, or another {@link Outage}: not the record's fault, so read again until it ends. */
    private static boolean outage(Throwable exception) {
        return RegistryOutage.isBehind(exception) || Outage.isBehind(exception);
    }

    private static void outagesRetried(FailedRecordProcessor processor) {
        processor.setBackOffFunction((record, exception) -> outage(exception) ? RegistryOutage.backOff() : null);
        processor.setRetryListeners(new RetryListener() {
            @Override
            public void failedDelivery(ConsumerRecord<?, ?> record, Exception exception, int deliveryAttempt) {
                if (RegistryOutage.isBehind(exception)) {
                    RegistryOutage.count(record, exception);
                }
            }
        });
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
                config.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, OutageFailsStreamThread.class);
                config.put(RecoveringDeserializationExceptionHandler.KSTREAM_DESERIALIZATION_RECOVERER,
                        (ConsumerRecordRecoverer) deadLetters::unreadable);
                config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
                config.put(DeadLetterProcessingHandler.RECOVERER, deadLetters);
                factoryBean.setStreamsConfiguration(config);
            };
        }
    }

    /**
     * Spring's recovering handler (the dead-letter topic) for a record a stream could not deserialize, except one the
     * registry's absence made unreadable: that one fails the stream thread with a {@link RegistryUnavailableException},
     * after a pause, and the thread is replaced (transport's uncaught-exception handler), resumes from the last commit
     * and reads the record again; the pause keeps the replacements from hammering the registry.
     */
    public static class OutageFailsStreamThread extends RecoveringDeserializationExceptionHandler {

        /** Well below max.poll.interval.ms; a replaced thread takes a few seconds more to read again. */
        static final Duration PAUSE = Duration.ofSeconds(5);

        @Override
        public DeserializationHandlerResponse handle(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                                     Exception exception) {
            if (RegistryOutage.isCause(exception)) {
                RegistryOutage.count(record, exception);
                try {
                    Thread.sleep(PAUSE.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw RegistryOutage.at(record, exception);
            }
            return super.handle(context, record, exception);
        }
    }

    /** The header of a dead letter that names the innermost cause: its class and message. */
    public static final String REASON_HEADER = "homecoming_dlt-reason";

    static String reason(Throwable exception) {
        Throwable cause = exception;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? "" : ": " + cause.getMessage();
        return cause.getClass().getName() + message;
    }

    /**
     * Publishes a failed record to its dead-letter topic and counts it, per source topic, once per record.
     *
     * <p>A record that cannot be read at all is the same poison for every reader, so only the service that owns
     * its topic (for a partner intake topic: the service that takes it in) dead-letters it; other readers skip
     * it with a warning and a count, or each of them would add a copy. A record that could be read but failed
     * in processing is dead-lettered by the service that failed, with its own reason. And a record that went to
     * the dead-letter topic once does not go again when it is read again (see {@link DeadLetterRecord}).
     */
    public static final class DeadLetters implements ConsumerRecordRecoverer {
        private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
        private final DeadLetterPublishingRecoverer publisher;
        private final MeterRegistry meters;
        private final List<Owner> owned;
        private final DeadLetterRecord sent;

        DeadLetters(DeadLetterPublishingRecoverer publisher, MeterRegistry meters, List<Owner> owned, DeadLetterRecord sent) {
            this.publisher = publisher;
            this.meters = meters;
            this.owned = owned;
            this.sent = sent;
        }

        /**
         * @throws RegistryUnavailableException for a record that could not be read because the registry was unavailable:
         *                                      it is not poison, and must be read again rather than dead-lettered or skipped
         */
        @Override
        public void accept(ConsumerRecord<?, ?> record, Exception exception) {
            if (RegistryOutage.isBehind(exception)) {
                RegistryOutage.count(record, exception);
                throw RegistryOutage.at(record, exception);
            }
            if (unreadable(exception) && !responsibleFor(record.topic())) {
                // the topic's owner dead-letters it; no record content in the log (it may hold personal data)
                log.warn("Skipped an unreadable record at {}-{}@{} ({}); its owner dead-letters it", record.topic(),
                        record.partition(), record.offset(), reason(exception));
                if (meters != null) {
                    Counter.builder(MetricNames.DEAD_LETTERS_SKIPPED)
                            .description("Unreadable records of other services' topics, skipped")
                            .tag("topic", record.topic()).register(meters).increment();
                }
                return;
            }
            if (!sent.firstTime(record, record.topic() + Topic.DEAD_LETTER_SUFFIX)) {
                log.info("{}-{}@{} is in its dead-letter topic already", record.topic(), record.partition(), record.offset());
                return;
            }
            try {
                publisher.accept(record, exception);
            } catch (RuntimeException failed) {
                // not sent: the error handler reads the record again, and then it must go out rather than count as sent
                sent.forget(record);
                throw failed;
            }
            if (meters != null) {
                counter(meters, record.topic()).increment();
            }
        }

        /** Whether the record went to its dead-letter topic before, from this service or another. */
        public boolean wasDeadLettered(ConsumerRecord<?, ?> record) {
            return sent.contains(record, record.topic() + Topic.DEAD_LETTER_SUFFIX);
        }

        /** Stops reading the dead-letter topics (Spring calls it when the context closes). */
        public void close() {
            sent.close();
        }

        /** A record that Kafka Streams could not deserialize (the registry's absence aside: see {@link OutageFailsStreamThread}). */
        void unreadable(ConsumerRecord<?, ?> record, Exception exception) {
            accept(record, new DeserializationException("failed to deserialize: " + reason(exception),
                    record.value() instanceof byte[] bytes ? bytes : null, false, exception));
        }

        private static boolean unreadable(Throwable exception) {
            for (Throwable cause = exception; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
                if (cause instanceof DeserializationException || cause instanceof RecordDeserializationException) {
                    return true;
                }
            }
            return false;
        }

        private boolean responsibleFor(String topic) {
            return Topics.find(topic)
                    .map(candidate -> owned.contains(candidate.owner()))
                    .orElse(true);
        }

        /** The dead-letter counter of a source topic. */
        public static Counter counter(MeterRegistry meters, String topic) {
            return Counter.builder(MetricNames.DEAD_LETTERS).description("Records sent to a dead-letter topic")
                    .tag("topic", topic).register(meters);
        }
    }
}
