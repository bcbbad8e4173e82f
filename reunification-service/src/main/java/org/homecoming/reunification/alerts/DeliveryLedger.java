package org.homecoming.reunification.alerts;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.AlertDeliveryAttempted;
import org.homecoming.events.reunification.DeliveryOutcome;
import org.homecoming.platform.kafka.TopicReplay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

/**
 * Every delivery attempt, recorded on {@code reunification.alert-deliveries} before the alert's offset is committed,
 * and the set of alerts already DELIVERED, rebuilt from that topic at start-up. An alert in the set is never sent again.
 */
@Component
public class DeliveryLedger {

    private static final Logger log = LoggerFactory.getLogger(DeliveryLedger.class);

    private final KafkaTemplate<String, Object> kafka;
    private final KafkaProperties properties;
    private final Set<String> delivered = ConcurrentHashMap.newKeySet();
    private final Map<String, AlertDeliveryAttempted> latest = new ConcurrentHashMap<>();

    DeliveryLedger(KafkaTemplate<String, Object> kafka, KafkaProperties properties) {
        this.kafka = kafka;
        this.properties = properties;
    }

    public boolean isDelivered(String alertId) {
        return delivered.contains(alertId);
    }

    public Optional<AlertDeliveryAttempted> latest(String alertId) {
        return Optional.ofNullable(latest.get(alertId));
    }

    /** Writes the attempt and waits until it is committed: only then may the alert's offset be committed. */
    void record(AlertDeliveryAttempted attempt) {
        kafka.executeInTransaction(operations ->
                operations.send(Topics.ALERT_DELIVERIES.name(), attempt.getAlertId(), attempt)).join();
        remember(attempt);
    }

    private void remember(AlertDeliveryAttempted attempt) {
        latest.put(attempt.getAlertId(), attempt);
        if (attempt.getOutcome() == DeliveryOutcome.DELIVERED) {
            delivered.add(attempt.getAlertId());
        }
    }

    /** Reads every committed attempt from the beginning. */
    void rebuild() {
        long count = new TopicReplay(properties).toEnd(Topics.ALERT_DELIVERIES, record -> {
            if (record.value() != null) {
                remember(record.value());
            }
        });
        log.info("Delivery ledger rebuilt: {} attempts, {} alerts delivered", count, delivered.size());
    }
}
