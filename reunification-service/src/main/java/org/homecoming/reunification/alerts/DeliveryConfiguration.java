package org.homecoming.reunification.alerts;

import java.util.Collection;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.homecoming.platform.lifecycle.StartupStep;
import org.homecoming.platform.registry.RegistryOutage;
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
                                                                                     CommonErrorHandler errorHandler,
                                                                                     DeliveryLedger ledger) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(consumers);
        factory.setCommonErrorHandler(errorHandler);
        factory.getContainerProperties().setAckMode(AckMode.RECORD);
        // Partitions given to this instance were another's a moment ago (it stopped, or left): read what it recorded
        // since this instance last read the ledger, so an alert it delivered is not sent again and one it was sending
        // when it died is held for an operator (see AlertDelivery), before the first of those alerts is read.
        factory.getContainerProperties().setConsumerRebalanceListener(new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    // not a ledger that missed a delivered alert while the registry was away (the alert would go
                    // out twice): the rebuild is tried again until it reads everything, before an alert is read
                    RegistryOutage.untilAvailable("The delivery ledger's rebuild", ledger::rebuild);
                }
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            }
        });
        factory.getContainerProperties().setObservationEnabled(true);
        return factory;
    }

    /**
     * Reads the delivery ledger before the delivery listener reads its first alert. Phase 1: after the pairing state
     * rebuild (phase 0) has filled the inquiry book, so delivery never mistakes a known inquiry for a withdrawn one.
     * {@code reunification.delivery.enabled=false} leaves delivery stopped (the end-to-end benchmark measures to the
     * AlertIssued event and has no mail server).
     */
    @Bean
    @ConditionalOnProperty(name = "reunification.delivery.enabled", havingValue = "true", matchIfMissing = true)
    StartupStep deliveryStartup(DeliveryLedger ledger, KafkaListenerEndpointRegistry registry) {
        return new StartupStep(1) {
            @Override
            protected void run() {
                RegistryOutage.untilAvailable("The delivery ledger's rebuild", ledger::rebuild);
                registry.getListenerContainer(AlertDelivery.ID).start();
            }
        };
    }
}
