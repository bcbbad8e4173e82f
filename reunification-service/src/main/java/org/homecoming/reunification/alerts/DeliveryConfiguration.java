package org.homecoming.reunification.alerts;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.homecoming.platform.lifecycle.StartupStep;
import org.homecoming.platform.registry.RegistryOutage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.ContainerProperties.AckMode;

@Configuration(proxyBeanMethods = false)
class DeliveryConfiguration {

    private static final Logger log = LoggerFactory.getLogger(DeliveryConfiguration.class);

    /**
     * Delivery is not a Kafka transaction (an email cannot be rolled back): its containers (one per lane, see
     * {@link AlertDelivery}) have no transaction manager, commit each alert's offset after the alert was handled, and
     * dead-letter what they cannot read.
     */
    @Bean
    ConcurrentKafkaListenerContainerFactory<Object, Object> deliveryContainerFactory(ConsumerFactory<Object, Object> consumers,
                                                                                     CommonErrorHandler errorHandler,
                                                                                     DeliveryLedger ledger,
                                                                                     @Value("${reunification.delivery.group-id}") String emailGroup) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(consumers);
        factory.setCommonErrorHandler(errorHandler);
        factory.getContainerProperties().setAckMode(AckMode.RECORD);
        factory.getContainerProperties().setConsumerRebalanceListener(new ConsumerAwareRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                if (partitions.isEmpty()) {
                    return;
                }
                // Partitions given to this instance were another's a moment ago (it stopped, or left): read what it
                // recorded since this instance last read the ledger, so an alert it delivered is not sent again and one
                // it was sending when it died is held for an operator (see AlertDelivery), before the first of those
                // alerts is read. Not a ledger that missed a delivered alert while the registry was away (the alert
                // would go out twice): the rebuild is tried again until it reads everything.
                RegistryOutage.untilAvailable("The delivery ledger's rebuild", ledger::rebuild);
                if (!consumer.groupMetadata().groupId().equals(emailGroup)) {
                    startWhereTheFirstLaneIs(consumer, partitions, consumers, emailGroup);
                }
            }
        });
        factory.getContainerProperties().setObservationEnabled(true);
        return factory;
    }

    /**
     * A lane whose group has no position yet on a partition starts where the e-mail lane's group is. That group read
     * every alert, whatever its channel, before delivery had lanes: everything before its position was handled, and
     * what follows is not. Without this, a lane added to a running deployment would start from the first alert (the
     * consumers' {@code earliest}) and try again, on its own, every alert of its channel that failed or was withheld
     * long ago. On a new deployment neither group has a position, and both start from the first alert.
     */
    private static void startWhereTheFirstLaneIs(Consumer<?, ?> consumer, Collection<TopicPartition> partitions,
                                                 ConsumerFactory<Object, Object> consumers, String emailGroup) {
        Map<TopicPartition, OffsetAndMetadata> own = consumer.committed(new HashSet<>(partitions));
        Set<TopicPartition> unread = new HashSet<>();
        partitions.forEach(partition -> {
            if (own.get(partition) == null) {
                unread.add(partition);
            }
        });
        if (unread.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> first;
        try (Consumer<Object, Object> reader = consumers.createConsumer(emailGroup, "-lane-start")) {
            first = reader.committed(unread);
        }
        first.forEach((partition, position) -> {
            if (position != null) {
                consumer.seek(partition, position.offset());
                log.info("Delivery lane {} starts {} at offset {}, where {} is", consumer.groupMetadata().groupId(), partition,
                        position.offset(), emailGroup);
            }
        });
    }

    /**
     * Reads the delivery ledger before the delivery lanes read their first alert. Phase 1: after the pairing state
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
                AlertDelivery.LANES.forEach(lane -> registry.getListenerContainer(lane).start());
            }
        };
    }
}
