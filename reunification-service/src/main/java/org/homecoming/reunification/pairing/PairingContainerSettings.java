package org.homecoming.reunification.pairing;

import java.util.Collection;
import java.util.List;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.listener.AfterRollbackProcessor;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.transaction.KafkaAwareTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;

@Configuration(proxyBeanMethods = false)
class PairingContainerSettings {

    /**
     * Two settings of the pairing container (Boot applies one customizer only):
     * <ul>
     *   <li>Spring Kafka observes record listeners, but times batch listeners with a plain Micrometer timer of the same
     *       name and other tags; Prometheus keeps only the meter that registers first, so the delivery listener's
     *       observations were dropped. The pairing batch is measured by its own counters (matching outcomes, alerts).</li>
     *   <li>Each assignment of the pairing group rebuilds the state for the inquiries this instance owns now (or keeps it).</li>
     *   <li>A rolled-back transaction marks the state for a rebuild before the container's own after-rollback handling.</li>
     *   <li>The end of each batch's transaction, committed or rolled back, is told to the {@link MatchBook}: until then
     *       a caseworker's decision on an inquiry whose pairs the batch moved is answered 503 ({@link MatchBook#uncommitted}).</li>
     * </ul>
     */
    @Bean
    ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> pairingContainer(
            ObjectProvider<PairingListener> listener, ObjectProvider<MatchBook> matches) {
        return container -> {
            if (PairingListener.ID.equals(container.getListenerId())) {
                container.getContainerProperties().setMicrometerEnabled(false);
                ContainerProperties properties = container.getContainerProperties();
                KafkaAwareTransactionManager<?, ?> transactions = properties.getKafkaAwareTransactionManager() != null
                        ? properties.getKafkaAwareTransactionManager()
                        : properties.getTransactionManager() instanceof KafkaAwareTransactionManager<?, ?> kafkaAware ? kafkaAware : null;
                if (transactions != null) {
                    properties.setKafkaAwareTransactionManager(new SettledTransactions<>(transactions, () -> matches.getObject().settled()));
                    matches.getObject().trackCommits();
                }
                @SuppressWarnings("unchecked") // the factory's processor takes any key and value
                AfterRollbackProcessor<Object, Object> rollback = (AfterRollbackProcessor<Object, Object>) container.getAfterRollbackProcessor();
                container.setAfterRollbackProcessor(new AfterRollbackProcessor<>() {
                    @Override
                    public void process(List<ConsumerRecord<Object, Object>> records, Consumer<Object, Object> consumer,
                                        MessageListenerContainer source, Exception exception, boolean recoverable,
                                        ContainerProperties.EOSMode eosMode) {
                        listener.getObject().rolledBack();
                        rollback.process(records, consumer, source, exception, recoverable, eosMode);
                    }

                    @Override
                    public void processBatch(ConsumerRecords<Object, Object> records, List<ConsumerRecord<Object, Object>> recordList,
                                             Consumer<Object, Object> consumer, MessageListenerContainer source, Exception exception,
                                             boolean recoverable, ContainerProperties.EOSMode eosMode) {
                        listener.getObject().rolledBack();
                        rollback.processBatch(records, recordList, consumer, source, exception, recoverable, eosMode);
                    }

                    @Override
                    public void clearThreadState() {
                        rollback.clearThreadState();
                    }

                    @Override
                    public boolean isProcessInTransaction() {
                        return rollback.isProcessInTransaction();
                    }
                });
                container.getContainerProperties().setConsumerRebalanceListener(new ConsumerAwareRebalanceListener() {
                    @Override
                    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                        listener.getObject().onAssigned(consumer, partitions);
                    }
                });
            }
        };
    }

    /**
     * The container's transactions, reporting the end of each (committed or rolled back) once the broker answered. Spring
     * Kafka's own manager runs without transaction synchronization, and a batch interceptor is told of success before the
     * commit, so neither can say when a batch's records became visible to the other instances.
     */
    private record SettledTransactions<K, V>(KafkaAwareTransactionManager<K, V> delegate, Runnable ended)
            implements KafkaAwareTransactionManager<K, V> {

        @Override
        public TransactionStatus getTransaction(TransactionDefinition definition) {
            return delegate.getTransaction(definition);
        }

        @Override
        public void commit(TransactionStatus status) {
            try {
                delegate.commit(status);
            } finally {
                ended.run();
            }
        }

        @Override
        public void rollback(TransactionStatus status) {
            try {
                delegate.rollback(status);
            } finally {
                ended.run();
            }
        }

        @Override
        public ProducerFactory<K, V> getProducerFactory() {
            return delegate.getProducerFactory();
        }
    }
}
