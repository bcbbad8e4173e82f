package org.homecoming.reunification.alerts;

import org.homecoming.platform.lifecycle.StartupStep;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ContainerProperties.AckMode;

@Configuration(proxyBeanMethods = false)
class DeliveryConfiguration {

    /**
     * Delivery is not a Kafka transaction (an email cannot be rolled back): its container has no transaction manager,
     * commits each alert's offset after the alert was handled, and dead-letters what it cannot read.
     */
    @Bean
    ConcurrentKafkaListenerContainerFactory<Object, Object> deliveryContainerFactory(ConsumerFactory<Object, Object> consumers,
                                                                                     CommonErrorHandler errorHandler) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(consumers);
        factory.setCommonErrorHandler(errorHandler);
        factory.getContainerProperties().setAckMode(AckMode.RECORD);
        factory.getContainerProperties().setObservationEnabled(true);
        return factory;
    }

    /**
     * Rebuilds the delivered set (and holds the alerts the last stop interrupted mid-send) before the delivery listener reads its first alert. Phase 1: after the pairing state
     * rebuild (phase 0) has filled the inquiry book, so delivery never mistakes a known inquiry for a withdrawn one.
     * {@code reunification.delivery.enabled=false} leaves delivery stopped (the end-to-end benchmark measures to the
     * AlertIssued event and has no mail server).
     */
    @Bean
    @ConditionalOnProperty(name = "reunification.delivery.enabled", havingValue = "true", matchIfMissing = true)
    StartupStep deliveryStartup(DeliveryLedger ledger, AlertDelivery delivery, KafkaListenerEndpointRegistry registry) {
        return new StartupStep(1) {
            @Override
            protected void run() {
                ledger.rebuild().forEach(delivery::heldForOperator);
                registry.getListenerContainer(AlertDelivery.ID).start();
            }
        };
    }
}
