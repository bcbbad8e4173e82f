package org.homecoming.reunification.alerts;

import java.util.Collection;
import java.util.HashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.homecoming.platform.deadletter.DeadLetterPolicy;
import org.homecoming.platform.deadletter.DeadLetterPolicy.DeadLetters;
import org.homecoming.platform.lifecycle.StartupStep;
import org.homecoming.platform.registry.RegistryOutage;
import org.homecoming.platform.retry.RetryPolicy;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.ContainerProperties.AckMode;

@Configuration(proxyBeanMethods = false)
class DeliveryConfiguration {

    /**
     * Delivery is not a Kafka transaction (an email cannot be rolled back): its containers (one per lane, see
     * {@link AlertDelivery}) have no transaction manager, commit each alert's offset after the alert was handled, and
     * dead-letter what they cannot read.
     *
     * <p>Each lane runs {@code reunification.delivery.consumers-per-lane} consumers (by default one per partition of the
     * alerts topic), so an alert that holds its consumer up holds up only the alerts behind it on its own partition: one
     * whose inquiry this instance is still reading waits up to the inquiry patience (90 s), and a slow mail server's
     * answer up to its timeouts, and with one consumer per lane every family of that channel waited with it. Alerts
     * of one inquiry share a partition, so they still go out in order.
     */
    @Bean
    ConcurrentKafkaListenerContainerFactory<Object, Object> deliveryContainerFactory(ConsumerFactory<Object, Object> consumers,
                                                                                     DeadLetters deadLetters,
                                                                                     ObjectProvider<AlertDelivery> delivery,
                                                                                     DeliveryLedger ledger,
                                                                                     @Value("${reunification.delivery.consumers-per-lane:#{T(org.homecoming.catalogue.Topics).ALERTS.partitions()}}") int consumersPerLane) {
        ConcurrentKafkaListenerContainerFactory<Object, Object> factory = new ConcurrentKafkaListenerContainerFactory<>();
        factory.setConsumerFactory(consumers);
        factory.setConcurrency(consumersPerLane);
        // the platform's rules, but an alert given up is recorded in the ledger before it is dead-lettered (AlertDelivery#gaveUp)
        factory.setCommonErrorHandler(DeadLetterPolicy.errorHandler((record, exception) -> {
            delivery.getObject().gaveUp(record, exception);
            deadLetters.accept(record, exception);
        }, RetryPolicy.DEFAULT));
        factory.getContainerProperties().setAckMode(AckMode.RECORD);
        factory.getContainerProperties().setConsumerRebalanceListener(new ConsumerAwareRebalanceListener() {
            @Override
            public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                // what this instance knows was delivered goes on the topic before the alerts' next owner reads it
                if (!partitions.isEmpty()) {
                    ledger.recordAllUnrecorded();
                }
            }

            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                // the consumer's assignment, not the partitions passed: those are only the ones added since the
                // assignment the consumer last applied, none after an assignment the container failed at (PairingListener)
                if (consumer.assignment().isEmpty()) {
                    return;
                }
                // Partitions given to this instance were another's a moment ago (it stopped, or left): read what it
                // recorded since this instance last read the ledger, so an alert it delivered is not sent again and one
                // it was sending when it died is held for an operator (see AlertDelivery), before the first of those
                // alerts is read. Not a ledger that missed a delivered alert while the registry was away (the alert
                // would go out twice): the rebuild is tried again until it reads everything.
                long assignedAt = System.nanoTime();
                RegistryOutage.untilAvailable("The delivery ledger's rebuild", () -> ledger.rebuildUnlessReadSince(assignedAt));
            }
        });
        factory.getContainerProperties().setObservationEnabled(true);
        return factory;
    }

    /**
     * Reads the delivery ledger, and gives a new SMS lane its first positions ({@link SmsLaneStart}), before the delivery
     * lanes read their first alert. Phase 1: after the pairing state
     * rebuild (phase 0) has filled the inquiry book, so delivery never mistakes a known inquiry for a withdrawn one.
     * {@code reunification.delivery.enabled=false} leaves delivery stopped (the end-to-end benchmark measures to the
     * AlertIssued event and has no mail server).
     */
    @Bean
    @ConditionalOnProperty(name = "reunification.delivery.enabled", havingValue = "true", matchIfMissing = true)
    StartupStep deliveryStartup(DeliveryLedger ledger, KafkaListenerEndpointRegistry registry, KafkaProperties kafka,
                                @Value("${reunification.delivery.group-id}") String emailGroup) {
        return new StartupStep(1) {
            @Override
            protected void run() {
                RegistryOutage.untilAvailable("The delivery ledger's rebuild", ledger::rebuild);
                try (Admin admin = Admin.create(new HashMap<>(kafka.buildAdminProperties()))) {
                    SmsLaneStart.seed(admin, emailGroup, emailGroup + AlertDelivery.SMS_GROUP_SUFFIX);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Interrupted while giving the SMS delivery lane its first positions", e);
                } catch (ExecutionException | TimeoutException e) {
                    throw new IllegalStateException("Could not give the SMS delivery lane its first positions", e);
                }
                AlertDelivery.LANES.forEach(lane -> registry.getListenerContainer(lane).start());
            }
        };
    }
}
