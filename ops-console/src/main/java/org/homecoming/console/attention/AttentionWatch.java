package org.homecoming.console.attention;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.homecoming.console.operation.OperationPicture;
import org.homecoming.console.operation.OperationSnapshot;
import org.homecoming.console.signin.ProviderProbe;
import org.homecoming.console.topics.TopicWatch;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.platform.audit.AuditTrail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the attention board fed with every reading of the topics, answers what needs attention now, and
 * publishes the open items per concern as {@code homecoming_attention_items{concern}}, so Prometheus can
 * page someone even when no console page is open.
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
    private final Clock clock = Clock.systemUTC();
    private volatile long version;

    AttentionWatch(AttentionRules rules, OperationPicture picture, TopicWatch topics, MeterRegistry meters,
                   AuditTrail audit, ProviderProbe identityProvider) {
        this.board = new AttentionBoard(rules);
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
        version = items.hashCode();
        return items;
    }

    /** Changes when the list of items changes. */
    public long version() {
        return version;
    }

    /**
     * Takes an item off the list while its condition lasts. Only an open item is acknowledged, and only once the audit
     * trail has the acknowledgement (with the signed-in operator and the item id): one it cannot record is not made.
     */
    public boolean acknowledge(String itemId, String who) {
        if (!board.isOpen(itemId)) {
            return false;
        }
        audit.recorded(AuditAction.ATTENTION_ACKNOWLEDGED, AuditSubject.ATTENTION_ITEM, itemId, AuditOutcome.SUCCEEDED);
        boolean acknowledged = board.acknowledge(itemId, clock.instant());
        if (acknowledged) {
            log.info("Attention item {} acknowledged by {}", itemId, who);
            refresh();
        }
        return acknowledged;
    }
}
