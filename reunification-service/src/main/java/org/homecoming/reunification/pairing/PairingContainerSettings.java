package org.homecoming.reunification.pairing;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ContainerCustomizer;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

@Configuration(proxyBeanMethods = false)
class PairingContainerSettings {

    /**
     * Spring Kafka observes record listeners, but times batch listeners with a plain Micrometer timer of the same
     * name and other tags; Prometheus keeps only the meter that registers first, so the delivery listener's
     * observations were dropped. The pairing batch is measured by its own counters (matching outcomes, alerts).
     */
    @Bean
    ContainerCustomizer<Object, Object, ConcurrentMessageListenerContainer<Object, Object>> pairingWithoutListenerTimer() {
        return container -> {
            if (PairingListener.ID.equals(container.getListenerId())) {
                container.getContainerProperties().setMicrometerEnabled(false);
            }
        };
    }
}
