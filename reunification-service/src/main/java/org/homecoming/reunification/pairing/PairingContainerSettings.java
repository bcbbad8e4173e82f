package org.homecoming.reunification.pairing;

import java.util.Collection;
import java.util.List;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private static final Logger log = LoggerFactory.getLogger(PairingContainerSettings.class);

    /**
     * Two settings of the pairing container (Boot applies one customizer only):
     * <ul>
     *   <li>Spring Kafka observes record listeners, but times batch listeners with a plain Micrometer timer of the same
     *       name and other tags; Prometheus keeps only the meter that registers first, so the delivery listener's
     *       observations were dropped. The pairing batch is measured by its own counters (matching outcomes, alerts).</li>
     *   <li>Each assignment of the pairing group rebuilds the state for the inquiries this instance owns now (or keeps it).</li>
     *   <li>A rolled-back transaction marks the state for a rebuild before the container's own after-rollback handling.</li>
     *   <li>The end of each batch's transaction is told to the {@link MatchBook}: until it committed, a caseworker's
     *       decision on an inquiry whose pairs the batch moved is answered 503 ({@link MatchBook#uncommitted}); once it
     *       rolled back or its commit failed, a decision on any inquiry is, until the book is rebuilt. A container
     *       without a Kafka-aware transaction manager fails to start.</li>
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
                if (transactions == null) {
                    // without it the book would note moves nobody settles, or (tracking off) let a decision read on an
                    // uncommitted move through: pairing is read-process-write in one transaction, so this is a broken set-up
                    throw new IllegalStateException("The pairing container " + PairingListener.ID + " has no Kafka-aware "
                            + "transaction manager (spring.kafka.producer.transaction-id-prefix unset?): a caseworker's "
                            + "decision could not be held back while a pairing batch's changes are not committed");
                }
                properties.setKafkaAwareTransactionManager(new SettledTransactions<>(transactions,
                        () -> matches.getObject().settled(),
                        () -> {
                            // before the notes are cleared: a decision is never let through in between
                            matches.getObject().abandoned();
                            listener.getObject().rolledBack();
                        }));
                matches.getObject().trackCommits();
                log.info("The pairing container's transactions ({}) report their end to the match book: a decision on a "
                        + "match that an uncommitted pairing batch moved is answered 503", transactions.getClass().getSimpleName());
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
     * The container's transactions, reporting the end of each once the broker answered: {@code committed}, or
     * {@code abandoned} for a rollback and for a commit that failed. Spring Kafka's own manager runs without transaction
     * synchronization, and a batch interceptor is told of success before the commit, so neither can say when a batch's
     * records became visible to the other instances. A failed commit is reported here because nothing else reports it:
     * the container calls no after-rollback processor for a fenced producer (Spring Kafka 4.0.6,
     * KafkaMessageListenerContainer.invokeBatchListenerInTx), and the transaction template calls no rollback when the
     * commit itself throws.
     */
    record SettledTransactions<K, V>(KafkaAwareTransactionManager<K, V> delegate, Runnable committed, Runnable abandoned)
            implements KafkaAwareTransactionManager<K, V> {

        @Override
        public TransactionStatus getTransaction(TransactionDefinition definition) {
            return delegate.getTransaction(definition);
        }

        @Override
        public void commit(TransactionStatus status) {
            // a transaction marked rollback-only is rolled back by the commit call, which then returns normally
            boolean rollbackOnly = status.isRollbackOnly();
            boolean done = false;
            try {
                delegate.commit(status);
                done = !rollbackOnly;
            } finally {
                (done ? committed : abandoned).run();
            }
        }

        @Override
        public void rollback(TransactionStatus status) {
            try {
                delegate.rollback(status);
            } finally {
                abandoned.run();
            }
        }

        @Override
        public ProducerFactory<K, V> getProducerFactory() {
            return delegate.getProducerFactory();
        }
    }
}
