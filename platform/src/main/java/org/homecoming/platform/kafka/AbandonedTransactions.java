package org.homecoming.platform.kafka;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the transactions that a service's instance left open when it died. A service's own decisions (a round's list in
 * roster, a manifest or a hand-over in transport) commit in milliseconds. One still open long after that was left by
 * an instance killed inside it, and until the coordinator times it out ({@code transaction.timeout.ms}) every
 * read_committed reader of the partitions it wrote stops at it: the other instances' catch-ups too, so every decision
 * that must see the topics' end answers 503 meanwhile. A restarted instance fences its own ids at start, and a decision
 * under the same fence id fences the dead holder, but a decision under another id would wait it out.
 *
 * <p>So a catch-up that has waited {@link #after()} calls {@link #fence()}: the service's transactions open longer than
 * that ({@code listTransactions}, state ONGOING, by duration; {@code ours} chooses the ids) are fenced
 * ({@code fenceProducers}), the coordinator aborts them at once, and the catch-up goes on. Fencing never publishes
 * anything: a holder that was alive but stalled that long (a long GC pause) loses its commit, and its caller is told
 * that nothing was published.
 *
 * <p>{@link #fenceHolding} narrows that to the transactions that hold given partitions: a service whose partitions have
 * one writer at a time (reunification's inquiry partitions, written by their owner) fences only what is open on the
 * partitions it has just been given, never another live instance's long transaction elsewhere. {@link #fenceWhere}
 * lets the service choose by id (reunification: the transactions of an instance that is no longer in
 * its consumer group).
 */
public final class AbandonedTransactions implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AbandonedTransactions.class);
    private static final long TIMEOUT_SECONDS = 10;

    private final Map<String, Object> adminConfig;
    private final Duration after;
    private final Predicate<String> ours;
    private Admin admin;

    /**
     * @param adminConfig the service's admin client settings (its credentials included)
     * @param after       how long a transaction may be open before it counts as abandoned
     * @param ours        which transactional ids are the service's decisions (never a Kafka Streams producer's)
     */
    public AbandonedTransactions(Map<String, Object> adminConfig, Duration after, Predicate<String> ours) {
        this.adminConfig = new HashMap<>(adminConfig);
        this.after = after;
        this.ours = ours;
    }

    /** How long a catch-up waits before it fences the transactions open that long. */
    public Duration after() {
        return after;
    }

    /** Fences the service's transactions open longer than {@link #after()}; the ids it fenced (none if it could not ask). */
    public synchronized List<String> fence() {
        return fence(id -> true, null);
    }

    /**
     * Fences the service's transactions open longer than {@link #after()} that have written to one of {@code partitions};
     * the ids it fenced (none if it could not ask).
     */
    public synchronized List<String> fenceHolding(Collection<TopicPartition> partitions) {
        return fence(id -> true, Set.copyOf(partitions));
    }

    /**
     * Fences the service's transactions open longer than {@link #after()} whose ids {@code left} picks; the ids it
     * fenced (none if it could not ask).
     */
    public synchronized List<String> fenceWhere(Predicate<String> left) {
        return fence(left, null);
    }

    private List<String> fence(Predicate<String> left, Set<TopicPartition> holding) {
        try {
            ListTransactionsOptions open = new ListTransactionsOptions()
                    .filterStates(List.of(TransactionState.ONGOING))
                    .filterOnDuration(after.toMillis());
            List<String> abandoned = admin().listTransactions(open).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).stream()
                    .map(TransactionListing::transactionalId)
                    .filter(ours.and(left))
                    .toList();
            if (holding != null && !abandoned.isEmpty()) {
                Map<String, TransactionDescription> described = admin().describeTransactions(abandoned).all()
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                abandoned = abandoned.stream().filter(id -> {
                    TransactionDescription transaction = described.get(id);
                    return transaction != null && transaction.state() == TransactionState.ONGOING
                            && !Collections.disjoint(transaction.topicPartitions(), holding);
                }).toList();
            }
            if (!abandoned.isEmpty()) {
                admin().fenceProducers(abandoned).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                log.warn("Fenced {} transaction(s) open longer than {}, left by an instance that stopped inside them: {}",
                        abandoned.size(), after, abandoned);
            }
            return abandoned;
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Could not end the transactions left open: {}", e.toString());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private Admin admin() {
        if (admin == null) {
            admin = Admin.create(adminConfig);
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
