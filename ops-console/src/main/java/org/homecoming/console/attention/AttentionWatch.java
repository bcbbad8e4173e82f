package org.homecoming.console.attention;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.homecoming.catalogue.Topics;
import org.homecoming.console.operation.OperationPicture;
import org.homecoming.console.operation.OperationSnapshot;
import org.homecoming.console.signin.ProviderProbe;
import org.homecoming.console.topics.TopicWatch;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.events.console.AttentionItemAcknowledged;
import org.homecoming.platform.audit.AuditTrail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the attention board fed with every reading of the topics, answers what needs attention now, and
 * publishes the open items per concern as {@code homecoming_attention_items{concern}}, so Prometheus can
 * page someone even when no console page is open.
 *
 * <p>Acknowledgements are shared by every console instance through {@code console.attention-acknowledgements}: this
 * instance writes the ones its operators make, and learns every instance's, its own included, from the topic
 * ({@link #acknowledged}, fed by the console's reader of its observed topics).
 */
@Component
public class AttentionWatch {

    private static final Logger log = LoggerFactory.getLogger(AttentionWatch.class);

    private final AttentionBoard board;
    private final OperationPicture picture;
    private final TopicWatch topics;
    private final MultiGauge openItems;
    private final AuditTrail audit;
    private final ProviderProbe identityProvider;
    private final KafkaTemplate<String, Object> kafka;
    private final Clock clock = Clock.systemUTC();
    private volatile long version;

    AttentionWatch(AttentionRules rules, OperationPicture picture, TopicWatch topics, MeterRegistry meters,
                   AuditTrail audit, ProviderProbe identityProvider, KafkaTemplate<String, Object> kafka) {
        this.board = new AttentionBoard(rules);
        this.kafka = kafka;
        this.identityProvider = identityProvider;
        this.audit = audit;
        this.picture = picture;
        this.topics = topics;
        this.openItems = MultiGauge.builder("homecoming.attention.items")
                .description("Items on the console's 'needs attention now' list, not acknowledged, per concern")
                .register(meters);
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "${homecoming.console.topic-poll-interval:5s}")
    void refresh() {
        List<AttentionItem> items = items(picture.snapshot());
        Map<Concern, Integer> counts = AttentionBoard.countByConcern(items);
        openItems.register(counts.entrySet().stream().map(count ->
                MultiGauge.Row.of(Tags.of("concern", count.getKey().name()), count.getValue())).toList(), true);
    }

    /** What needs attention now, given the operation as it is. */
    public List<AttentionItem> items(OperationSnapshot operation) {
        board.observe(topics.figures());
        board.observeIdentityProvider(identityProvider.unreachableSince().orElse(null));
        List<AttentionItem> items = board.items(operation, clock.instant());
        // the acknowledged items too: a page must learn at once that a colleague acknowledged or put back an item
        version = 31 * items.hashCode() + board.acknowledgedItems().hashCode();
        return items;
    }

    /** Changes when the list of items changes. */
    public long version() {
        return version;
    }

    /**
     * Takes an item off the list, on every console instance, while this occurrence of its condition lasts. Only an open
     * item is acknowledged, and only once the acknowledgement and its audit entry (with the signed-in operator and the
     * item id) are committed together on Kafka: one that cannot be recorded is not made.
     *
     * @return false if no such item is open
     * @throws AuditTrail.AuditUnavailableException when the transaction could not be committed
     */
    public boolean acknowledge(String itemId, String who) {
        Optional<AttentionItem> item = board.openItem(itemId);
        if (item.isEmpty()) {
            return false;
        }
        // the item's id and start, and who: never its summary, which names buses and persons
        AttentionItemAcknowledged acknowledgement = AttentionItemAcknowledged.newBuilder()
                .setItemId(itemId)
                .setConditionSince(item.get().since())
                .setAcknowledgedBy(who)
                .setAcknowledgedAt(clock.instant())
                .build();
        commitWithItsAuditEntry(AuditAction.ATTENTION_ACKNOWLEDGED, itemId, acknowledgement);
        // committed: this instance's next answer leaves the item out, before its reader gets the record back
        acknowledged(acknowledgement);
        log.info("Attention item {} acknowledged by {}", itemId, who);
        refresh();
        return true;
    }

    /** An acknowledgement read from {@code console.attention-acknowledgements}, or just committed by this instance. */
    public void acknowledged(AttentionItemAcknowledged acknowledgement) {
        board.acknowledged(acknowledgement.getItemId(), acknowledgement.getConditionSince(),
                acknowledgement.getAcknowledgedBy(), acknowledgement.getAcknowledgedAt());
    }

    /** The open items an acknowledgement keeps off the list, with who acknowledged each and when. */
    public List<AttentionBoard.AcknowledgedItem> acknowledgedItems() {
        return board.acknowledgedItems();
    }

    /**
     * Puts an acknowledged item back on the list, on every console instance: an operator who acknowledged the wrong item,
     * or who wants a colleague to see it again, takes the acknowledgement back. A tombstone for the item on
     * {@code console.attention-acknowledgements} and an audit entry naming the signed-in operator commit together, or
     * nothing changes. Compaction then drops the acknowledgement for good, so a restarted console lists the item too.
     *
     * @param acknowledgedAt when the acknowledgement the operator saw was made (null: whichever holds now)
     * @throws AuditTrail.AuditUnavailableException when the transaction could not be committed
     */
    public Withdrawal withdrawAcknowledgement(String itemId, Instant acknowledgedAt, String who) {
        Optional<Instant> holding = board.acknowledgedAt(itemId);
        if (holding.isEmpty() || !board.isAcknowledgedAndOpen(itemId)) {
            return Withdrawal.NOT_ACKNOWLEDGED;
        }
        // The tombstone removes whatever acknowledgement the item has: a page showing an older one (this console's
        // reader behind another's) must not remove the one a colleague made since.
        if (acknowledgedAt != null && !sameMillisecond(acknowledgedAt, holding.get())) {
            return Withdrawal.ACKNOWLEDGED_AGAIN;
        }
        commitWithItsAuditEntry(AuditAction.ATTENTION_ACKNOWLEDGEMENT_WITHDRAWN, itemId, null);
        // committed: this instance lists the item again at once, before its reader gets the tombstone back
        acknowledgementWithdrawn(itemId);
        log.info("Acknowledgement of attention item {} withdrawn by {}", itemId, who);
        refresh();
        return Withdrawal.WITHDRAWN;
    }

    /**
     * Writes the item's record on {@code console.attention-acknowledgements} ({@code null}: a tombstone) and the audit
     * entry of {@code action} in one transaction: neither is written without the other.
     *
     * @throws AuditTrail.AuditUnavailableException when the transaction could not be committed
     */
    private void commitWithItsAuditEntry(AuditAction action, String itemId, AttentionItemAcknowledged record) {
        AuditTrail trail = audit.writingWith(kafka);
        try {
            kafka.executeInTransaction(operations -> {
                trail.recorded(action, AuditSubject.ATTENTION_ITEM, itemId, AuditOutcome.SUCCEEDED);
                operations.send(Topics.ATTENTION_ACKNOWLEDGEMENTS.name(), itemId, record);
                return null;
            });
        } catch (AuditTrail.AuditUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AuditTrail.AuditUnavailableException(action, e);
        }
    }

    /** What came of an operator's withdrawal of an acknowledgement. */
    public enum Withdrawal {
        WITHDRAWN,
        /** No such item is open and acknowledged. */
        NOT_ACKNOWLEDGED,
        /** The item was acknowledged again since the operator's page showed it: nothing withdrawn. */
        ACKNOWLEDGED_AGAIN
    }

    /** The topic keeps times to the millisecond; a page sends back what it was shown. */
    private static boolean sameMillisecond(Instant one, Instant other) {
        return other != null && one.truncatedTo(ChronoUnit.MILLIS).equals(other.truncatedTo(ChronoUnit.MILLIS));
    }

    /** A tombstone on {@code console.attention-acknowledgements}: the item's acknowledgement no longer holds. */
    public void acknowledgementWithdrawn(String itemId) {
        board.acknowledgementWithdrawn(itemId);
    }
}
