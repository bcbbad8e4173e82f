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
import org.springframework.kafka.listener.AfterRollbackProcessor;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

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
     * </ul>
     */
    @Bean
    ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> pairingContainer(
            ObjectProvider<PairingListener> listener) {
        return container -> {
            if (PairingListener.ID.equals(container.getListenerId())) {
                container.getContainerProperties().setMicrometerEnabled(false);
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
}
