package org.homecoming.reunification.pairing;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntToLongFunction;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.MatchDecided;
import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.platform.kafka.Poison;
import org.homecoming.platform.registry.RegistryOutage;
import org.homecoming.reunification.alerts.MatchStandings;
import org.homecoming.reunification.inquiries.InquiryBook;
import org.homecoming.reunification.matching.MatchScorer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The matches and alerts of the inquiries another instance owns (see {@link InquiryOwnership}), as the topics hold
 * them, so that every instance answers REST reads about every inquiry. It follows {@code reunification.matches} and
 * {@code reunification.alerts} (read_committed, no group), leaving out the partitions this instance owns, into books of
 * its own in which nothing is decided. Reads about an inquiry this instance owns go to pairing's books: they hold what
 * this instance decided before its transaction is read back, and while they are rebuilt, what they held before.
 *
 * <p>Delivery asks it whether an alert's match still stands ({@link MatchStandings}); about another instance's inquiry
 * it first waits, bounded, until the followed partition is read up to where the topic was when it asked.
 */
@Component
public class DecisionsElsewhere implements SmartLifecycle, MatchStandings {

    private static final Logger log = LoggerFactory.getLogger(DecisionsElsewhere.class);
    private static final Duration POLL = Duration.ofMillis(500);
    /** How long a question about a match waits for the follower to read its partition up to the topic's end. */
    static final Duration CATCH_UP = Duration.ofSeconds(3);

    private final Map<String, Object> config;
    /** Per followed partition of the matches topic, the follower's position after its last poll. */
    private final Map<Integer, Long> matchesReadTo = new ConcurrentHashMap<>();
    private final StateRebuild ownership;
    private final MatchBook ownMatches;
    private final AlertBook ownAlerts;
    private final MatchBook matches;
    private final AlertBook alerts;
    private volatile KafkaConsumer<Object, Object> consumer;
    private volatile Thread follower;
    private volatile boolean stopping;
    /** Waits until the follower has read a partition to its end as it is now: none in tests without it. */
    private final Supplier<InquiriesCaughtUp> caughtUp;

    @Autowired
    DecisionsElsewhere(KafkaProperties kafka, StateRebuild ownership, MatchBook ownMatches, AlertBook ownAlerts, Clock clock,
                       ObjectProvider<InquiriesCaughtUp> caughtUp) {
        this(kafka, ownership, ownMatches, ownAlerts, clock, (Supplier<InquiriesCaughtUp>) caughtUp::getIfAvailable);
    }

    DecisionsElsewhere(KafkaProperties kafka, StateRebuild ownership, MatchBook ownMatches, AlertBook ownAlerts, Clock clock,
                       Supplier<InquiriesCaughtUp> caughtUp) {
        this.caughtUp = caughtUp;
        this.config = new HashMap<>(kafka.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.ownership = ownership;
        this.ownMatches = ownMatches;
        this.ownAlerts = ownAlerts;
        MatchScorer scorer = new MatchScorer();
        InquiryBook none = new InquiryBook();
        Facts facts = new Facts(scorer, none, inquiryId -> false);
        this.matches = new MatchBook(0.0, clock, facts);
        this.alerts = new AlertBook(facts, none, matches, clock, AlertBook.Counter.NONE);
    }

    /**
     * The pairs with a given status ({@code null}: all) of every inquiry, oldest decision first. What pairing's books
     * know wins (while they are rebuilt, what they held before: after a broker restart it can take a minute, and a
     * caseworker must not see the queue shrink or get 404 for a match that exists meanwhile); the followed books fill in
     * the rest: the other instances' inquiries, and those of a partition this instance is taking over.
     */
    public List<MatchView> matches(MatchStatus status, int limit) {
        List<MatchView> all = new ArrayList<>(ownMatches.matches(status, limit));
        // The followed books' oldest, less those pairing's books know: ask for more while some were left out, so the
        // page holds the oldest of both (a page cut before the filter could skip an older pair for good).
        for (int asked = limit; ; asked = (int) Math.min(Integer.MAX_VALUE, 2L * asked)) {
            List<MatchView> followed = matches.matches(status, asked);
            List<MatchView> others = followed.stream().filter(match -> ownMatches.match(match.matchId()).isEmpty()).toList();
            if (others.size() >= limit || followed.size() < asked || asked == Integer.MAX_VALUE) {
                all.addAll(others);
                break;
            }
        }
        all.sort(MatchView.OLDEST_DECISION_FIRST);
        return all.size() > limit ? List.copyOf(all.subList(0, limit)) : all;
    }

    /**
     * Pairing's match, or the followed one for another instance's inquiry. While pairing's books are being rebuilt (a
     * takeover, an aborted batch) they hold part of what they will: a match read there could lack a caseworker's
     * decision, and a decision checked against it would be taken on what the match no longer is. Then the followed
     * match comes first when there is one (a partition being taken over is still followed until the rebuild ends); for a
     * partition owned before and after, a decision waits for pairing's position, which the rebuild forgets
     * ({@link #matchesReadTo}), so it is answered 503 rather than decided on the partial book.
     */
    public Optional<MatchView> match(String matchId) {
        if (ownership.rebuilding()) {
            Optional<MatchView> followed = matches.match(matchId);
            if (followed.isPresent()) {
                return followed;
            }
        }
        Optional<MatchView> own = ownMatches.match(matchId);
        return own.isPresent() ? own : matches.match(matchId);
    }

    public List<AlertIssued> alertsOf(String inquiryId) {
        List<AlertIssued> own = ownedHere(inquiryId) ? ownAlerts.alertsOf(inquiryId) : List.of();
        return own.isEmpty() ? alerts.alertsOf(inquiryId) : own;
    }

    /**
     * The match as pairing's books hold it when this instance owns the inquiry; otherwise as the followed topic holds it,
     * once the follower has read the inquiry's partition as far as the topic went a moment ago.
     */
    @Override
    public Standing of(String inquiryId, String personId) {
        String matchId = AlertRules.matchId(inquiryId, personId);
        if (ownedHere(inquiryId) && ownership.rebuilding()) {
            // pairing's books are being rebuilt and may lack a caseworker's rejection: not known now, asked again
            return Standing.UNKNOWN;
        }
        Optional<MatchStatus> status = ownedHere(inquiryId) ? ownMatches.status(matchId) : Optional.empty();
        if (status.isEmpty()) {
            // another instance's inquiry, or one this instance took over a moment ago (followed until then). A follower
            // still short of the topic's end may hold a pair as it was before a caseworker rejected it (a partition
            // followed again from its start after this instance owned it, or a follower behind): not yet known.
            if (!awaitFollowed(inquiryId)) {
                return Standing.UNKNOWN;
            }
            status = matches.status(matchId);
        }
        return status.map(known -> known == MatchStatus.AUTO_MATCHED || known == MatchStatus.CONFIRMED ? Standing.STANDS : Standing.FELL)
                .orElse(Standing.UNKNOWN);
    }

    /** Pairing's own pairs of the person and the followed ones of other instances' inquiries, as read so far. */
    @Override
    public Set<String> inquiriesPairedWith(String personId) {
        Set<String> inquiries = new LinkedHashSet<>(ownMatches.inquiriesOf(personId));
        inquiries.addAll(matches.inquiriesOf(personId));
        return inquiries;
    }

    /**
     * Waits, at most {@link #CATCH_UP}, until the follower has read the partition up to where it was written when asked;
     * whether it has. Up to the last stable offset is not enough: another inquiry's pairing transaction open on the
     * partition holds it below a caseworker's rejection committed after that transaction began, and a follower there
     * would say the match stands, and the alert would go out for a rejected match. So the last stable offset must first
     * reach the high watermark as it is now ({@link InquiriesCaughtUp#awaitMatchesRead}, as a caseworker's decision
     * waits). The follower's position counts, so an aborted transaction at the end is passed over as the consumer passes it.
     */
    private boolean awaitFollowed(String inquiryId) {
        int partition = InquiryPartitions.of(inquiryId);
        InquiriesCaughtUp reads = caughtUp.get();
        if (reads == null) {
            return false; // cannot tell how far the topic goes: not known here yet
        }
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        try {
            // a partition just assigned has no position yet: without one the probe would read it from its start
            while (!matchesReadTo.containsKey(partition) && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return matchesReadTo.containsKey(partition)
                && reads.awaitMatchesRead(inquiryId, followed -> matchesReadTo.getOrDefault(followed, InquiriesCaughtUp.UNKNOWN_POSITION));
    }

    /**
     * The offset after the last record of the matches partition that the books answering about it took in: pairing's
     * ({@code owned}) for a partition this instance owns, the follower's for another; {@link
     * InquiriesCaughtUp#UNKNOWN_POSITION} when those books hold no position (being rebuilt, or read again from the start).
     */
    long matchesReadTo(int partition, IntToLongFunction owned) {
        return ownership.owned().contains(partition) && !ownership.rebuilding() ? owned.applyAsLong(partition)
                : matchesReadTo.getOrDefault(partition, InquiriesCaughtUp.UNKNOWN_POSITION);
    }

    /** Whether this instance owns the inquiry: its key's partition, as the producers' default partitioner chose it. */
    private boolean ownedHere(String inquiryId) {
        return ownership.owned().contains(InquiryPartitions.of(inquiryId));
    }

    @Override
    public void start() {
        stopping = false;
        consumer = new KafkaConsumer<>(config);
        follower = new Thread(this::follow, "reunification-decisions-elsewhere");
        follower.setDaemon(true);
        follower.start();
    }

    /**
     * Follows both topics' partitions that this instance does not own: pairing's books hold the owned ones, and a
     * second copy of a million inquiries' pairs and alerts would not fit the heap (nor would reading and decoding them
     * all again be free, at the moment a service starts to take load). A partition this instance stops owning is
     * followed from its start, so that its inquiries are answered here as before; one it comes to own is let go.
     */
    private void follow() {
        try (KafkaConsumer<Object, Object> reading = consumer) {
            Set<Integer> followed = Set.of();
            int outages = 0;
            int failures = 0;
            while (!stopping) {
                try {
                    Set<Integer> notOwned = notOwned();
                    if (!notOwned.equals(followed)) {
                        reading.assign(partitions(notOwned));
                        Set<Integer> added = new HashSet<>(notOwned);
                        added.removeAll(followed);
                        reading.seekToBeginning(partitions(added));
                        // read again from the start: until it is at the end, what it holds of them may be out of date
                        matchesReadTo.keySet().removeIf(partition -> !notOwned.contains(partition) || added.contains(partition));
                        followed = notOwned;
                    }
                    if (followed.isEmpty()) {
                        Thread.sleep(POLL.toMillis()); // this instance owns every inquiry: nothing to follow
                        continue;
                    }
                    outages = readOnce(reading, outages);
                    for (int partition : followed) {
                        try {
                            matchesReadTo.put(partition, reading.position(new TopicPartition(Topics.MATCHES.name(), partition), Duration.ZERO));
                        } catch (TimeoutException notKnownYet) {
                            // its position is not fetched yet (just assigned, or the broker is away): asked again after the next poll
                        }
                    }
                    failures = 0;
                } catch (WakeupException | InterruptException e) {
                    throw e;
                } catch (RuntimeException e) {
                    // Never given up: a follower that stopped left every question about other instances' matches to
                    // a book frozen in the past. It starts again from the topics' start; until it is at their end,
                    // delivery holds the alerts it asks about (UNKNOWN), and never answers from the stale book.
                    failures++;
                    log.error("Following the decisions of other instances failed ({} in a row); reading them again from the start",
                            failures, e);
                    followed = Set.of();
                    matchesReadTo.clear();
                    Thread.sleep(Math.min(30_000L, POLL.toMillis() << Math.min(failures, 6)));
                }
            }
        } catch (WakeupException | InterruptException | InterruptedException e) {
            // stopped (stop() wakes the consumer up)
        }
    }

    private Set<Integer> notOwned() {
        Set<Integer> owned = ownership.owned();
        Set<Integer> notOwned = new HashSet<>();
        for (int partition = 0; partition < Topics.MATCHES.partitions(); partition++) {
            if (!owned.contains(partition)) {
                notOwned.add(partition);
            }
        }
        return notOwned;
    }

    /** One poll into the followed books; the registry outages in a row so far. */
    private int readOnce(KafkaConsumer<Object, Object> reading, int outages) throws InterruptedException {
        List<ConsumerRecord<Object, Object>> polled = new ArrayList<>();
        reading.poll(POLL).forEach(polled::add);
        for (int i = 0; i < polled.size(); i++) {
            ConsumerRecord<Object, Object> record = polled.get(i);
            if (Poison.registryUnavailable(record)) {
                // not poison: read it again once the registry answers, or a decision made elsewhere is missed
                RegistryOutage.count(record, Poison.of(record));
                RegistryOutage.seekBack(reading, polled, i);
                Thread.sleep(RegistryOutage.pauseAfter(outages + 1).toMillis());
                return outages + 1;
            }
            outages = 0;
            if (record.value() == null || Poison.of(record) != null) {
                continue; // pairing dead-letters what it cannot read
            }
            take(record.value());
        }
        return outages;
    }

    /** A match decision or an alert another instance committed, into the followed books. */
    void take(Object value) {
        if (value instanceof MatchDecided decision) {
            matches.restore(decision);
        } else if (value instanceof AlertIssued alert) {
            alerts.restore(alert);
        }
    }

    /** The partitions of both topics for these inquiry partitions (both are keyed by inquiry, with as many partitions). */
    private static List<TopicPartition> partitions(Set<Integer> inquiryPartitions) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int partition : inquiryPartitions) {
            partitions.add(new TopicPartition(Topics.MATCHES.name(), partition));
            partitions.add(new TopicPartition(Topics.ALERTS.name(), partition));
        }
        return partitions;
    }

    @Override
    public void stop() {
        stopping = true;
        KafkaConsumer<Object, Object> reading = consumer;
        if (reading != null) {
            reading.wakeup();
        }
        Thread thread = follower;
        if (thread != null) {
            try {
                thread.join(Duration.ofSeconds(10).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        follower = null;
        consumer = null;
    }

    @Override
    public boolean isRunning() {
        return follower != null;
    }
}
