package org.homecoming.reunification.pairing;

import java.util.Collection;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

@Configuration(proxyBeanMethods = false)
class PairingContainerSettings {

    /**
     * Two settings of the pairing container (Boot applies one customizer only):
     * <ul>
     *   <li>Spring Kafka observes record listeners, but times batch listeners with a plain Micrometer timer of the same
     *       name and other tags; Prometheus keeps only the meter that registers first, so the delivery listener's
     *       observations were dropped. The pairing batch is measured by its own counters (matching outcomes, alerts).</li>
     *   <li>Each assignment of the pairing group rebuilds the state for the inquiries this instance owns now.</li>
     * </ul>
     */
    @Bean
    ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> pairingContainer(
            ObjectProvider<PairingListener> listener) {
        return container -> {
            if (PairingListener.ID.equals(container.getListenerId())) {
                container.getContainerProperties().setMicrometerEnabled(false);
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
