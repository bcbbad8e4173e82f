package org.homecoming.platform.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTransactionsOptions;
import org.apache.kafka.clients.admin.DescribeTransactionsResult;
import org.apache.kafka.clients.admin.FenceProducersOptions;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the transactions that a service's instance left open when it died, or that stall far longer than its decisions
 * take. A service's own decisions (a round's list in roster, a manifest or a hand-over in transport, an operator's
 * settlement in reunification) commit in milliseconds while the brokers are well. One still open long after that holds
 * every read_committed reader of the partitions it wrote: the other instances' catch-ups too, so every decision that
 * must see the topics' end answers 503 until the coordinator times it out ({@code transaction.timeout.ms}). A restarted
 * instance fences its own ids at start, and a decision under the same fence id fences the holder, but a decision under
 * another id would wait it out.
 *
 * <p>So a catch-up that has waited {@link #after()} calls {@link #fence()} (transport: its catch-up; roster at start, for
 * its rounds' transactions): the service's transactions open
 * longer than that ({@code listTransactions}, state ONGOING, by duration; {@code ours} chooses the ids) are fenced
 * ({@code fenceProducers}), the coordinator aborts them at once, and the catch-up goes on. Fencing never publishes
 * anything: a holder that was alive but stalled that long (a long GC pause, a write blocked on a partition without a
 * leader during a broker's failover) loses its commit, and its caller must be told that nothing was published.
 *
 * <p>{@link #fenceHolding} narrows that to the transactions that hold given partitions: roster's background probe fences
 * only what holds a partition its catch-up found held back (off the requests' threads, while a change, the probe or the
 * start-up read waits); reunification fences only what
 * is open on the inquiry partitions it has just been given, and, for the delivery ledger's wait, only what is open on
 * {@code reunification.alert-deliveries} (an operator's settlement that an instance was killed in or that stalled);
 * never another live instance's long transaction elsewhere. {@link #fenceWhere} lets the service choose by id
 * (reunification, at a takeover: the transactions of an instance that is no longer in its consumer group).
 *
 * <p>Callers do not queue behind each other's admin calls: while a fence of the same kind is in flight, another caller
 * takes that one's answer (it lists every transaction open that long) instead of asking again, waiting for it no longer
 * than it would have waited for its own ({@link #fenceHolding(Collection, Duration)}). Before, every caller waited in
 * turn behind calls of up to 10 s each while a broker was down.
 *
 * <p>A broker that has just died (a SIGKILL, a lost host) stays in the cluster's metadata until the controller fences it
 * (its broker session timeout), and the admin client asks it for its open transactions until the call's timeout. So the
 * listing takes the brokers' answers as they come: it waits for the first up to two thirds of the caller's time (an
 * admin's first call connects to every broker, which can take most of a short wait), then for the others for
 * {@link #STRAGGLERS} at most, and fences what those that answered listed, each id on its own (the ids fenced are returned
 * even if another one's fence failed). The others are not waited for longer because the listed ids go stale meanwhile:
 * a transaction listed may commit and its id begin a new one, which the fence would end. Every admin call is given its own
 * timeout (never the admin's 60 s): what is left of the caller's time, the fence at least 2 s and at most 10 s. What cannot be fenced while
 * that broker is gone: the transactions it coordinated (it alone lists them, and their fence needs their coordinator)
 * until its {@code __transaction_state} partitions have a new leader, which a later fence then finds. And no fence
 * completes before the controller has fenced the dead broker: the coordinator's abort must reach every in-sync replica
 * of its {@code __transaction_state} partition, and the dead broker stays in sync until then (9 s with the brokers'
 * default session timeout), and the abort then takes about a second more: AbandonedTransactionsClusterTest in
 * local-stack fences about 10 s after the kill, so a fence begun at the kill itself ends on the edge of its 10 s.
 */
public final class AbandonedTransactions implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AbandonedTransactions.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Predicate<String> ANY = id -> true;
    /** How long the listing waits for the other brokers once one has answered (see the class's comment). */
    static final Duration STRAGGLERS = Duration.ofSeconds(1);
    /** The shortest time a fence call is given: a sub-second share would report as failed a fence the coordinator made. */
    private static final Duration FENCE_AT_LEAST = Duration.ofSeconds(2);

    private final Map<String, Object> adminConfig;
    private final Function<Map<String, Object>, Admin> admins;
    private final Duration after;
    private final Predicate<String> ours;
    /** The fences in flight, by what they fence (the partitions, or {@code ALL}); guarded by itself. */
    private final Map<Object, CompletableFuture<List<String>>> inFlight = new HashMap<>();
    private Admin admin;

    /**
     * @param adminConfig the service's admin client settings (its credentials included)
     * @param after       how long a transaction may be open before it counts as abandoned
     * @param ours        which transactional ids are the service's decisions (never a Kafka Streams producer's)
     */
    public AbandonedTransactions(Map<String, Object> adminConfig, Duration after, Predicate<String> ours) {
        this(adminConfig, after, ours, Admin::create);
    }

    /** As above, with the admin client {@code admins} makes from the settings (a test's slow one). */
    AbandonedTransactions(Map<String, Object> adminConfig, Duration after, Predicate<String> ours,
                          Function<Map<String, Object>, Admin> admins) {
        this.adminConfig = new HashMap<>(adminConfig);
        this.admins = admins;
        this.after = after;
        this.ours = ours;
    }

    /** How long a catch-up waits before it fences the transactions open that long. */
    public Duration after() {
        return after;
    }

    /** Fences the service's transactions open longer than {@link #after()}; the ids it fenced (none if it could not ask). */
    public List<String> fence() {
        return shared("ALL", ANY, null, TIMEOUT);
    }

    /**
     * Fences the service's transactions open longer than {@link #after()} that have written to one of {@code partitions};
     * the ids it fenced (none if it could not ask).
     */
    public List<String> fenceHolding(Collection<TopicPartition> partitions) {
        return fenceHolding(partitions, TIMEOUT);
    }

    /**
     * As {@link #fenceHolding(Collection)}, within {@code within}: each admin call waits no longer, and while a fence of
     * the same partitions is in flight its answer is taken (waited for up to {@code within}) instead of asking again.
     */
    public List<String> fenceHolding(Collection<TopicPartition> partitions, Duration within) {
        Set<TopicPartition> holding = Set.copyOf(partitions);
        return shared(holding, ANY, holding, within);
    }

    /**
     * Fences the service's transactions open longer than {@link #after()} whose ids {@code left} picks; the ids it
     * fenced (none if it could not ask). Never shared: each caller's {@code left} is its own.
     */
    public List<String> fenceWhere(Predicate<String> left) {
        return fence(left, null, TIMEOUT);
    }

    private List<String> shared(Object kind, Predicate<String> left, Set<TopicPartition> holding, Duration within) {
        CompletableFuture<List<String>> answer;
        boolean mine = false;
        synchronized (inFlight) {
            answer = inFlight.get(kind);
            if (answer == null) {
                answer = new CompletableFuture<>();
                inFlight.put(kind, answer);
                mine = true;
            }
        }
        if (!mine) {
            try {
                return answer.get(Math.max(1, within.toMillis()), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                return List.of();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        }
        List<String> fenced = List.of();
        try {
            fenced = fence(left, holding, within);
            return fenced;
        } finally {
            synchronized (inFlight) {
                inFlight.remove(kind);
            }
            answer.complete(fenced);
        }
    }

    private List<String> fence(Predicate<String> left, Set<TopicPartition> holding, Duration within) {
        long start = System.nanoTime();
        long deadline = start + within.toNanos();
        try {
            // a third of the time at least is kept for the describe and fence steps
            List<String> abandoned = listOpen(left, start + within.toNanos() * 2 / 3, start + within.toNanos() * 5 / 6,
                    deadline);
            if (holding != null && !abandoned.isEmpty()) {
                // half of what is left: the fence may wait for the controller to fence a dead broker
                abandoned = holding(abandoned, holding, System.nanoTime() + (deadline - System.nanoTime()) / 2);
            }
            if (abandoned.isEmpty()) {
                return List.of();
            }
            List<String> fenced = fenceEach(abandoned, deadline);
            if (!fenced.isEmpty()) {
                // not "left by a dead instance": a live holder stalled that long (a write blocked during a failover)
                // is fenced too, and whoever reads this must not take it for a crash
                log.warn("Fenced {} transaction(s) open longer than {}; each one's holder stopped or stalled: {}",
                        fenced.size(), after, fenced);
            }
            return fenced;
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Could not end the transactions left open: {}", e.toString());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /**
     * The service's transactions open longer than {@link #after()} that {@code left} picks, as listed by the brokers that
     * answered: the first by {@code firstBy}, the others within {@link #STRAGGLERS} of it (and by {@code othersBy}, so
     * that the brokers that answer a moment after a first call's slow connection are still heard).
     */
    private List<String> listOpen(Predicate<String> left, long firstBy, long othersBy, long deadline)
            throws ExecutionException, TimeoutException, InterruptedException {
        ListTransactionsOptions open = new ListTransactionsOptions()
                .filterStates(List.of(TransactionState.ONGOING))
                .filterOnDuration(after.toMillis())
                .timeoutMs(millisLeft(deadline));
        Map<Integer, KafkaFuture<Collection<TransactionListing>>> byBroker = admin().listTransactions(open).byBrokerId()
                .get(left(firstBy), TimeUnit.NANOSECONDS);
        awaitFirst(byBroker.values(), firstBy);
        awaitAll(byBroker.values(), Math.min(othersBy, System.nanoTime() + STRAGGLERS.toNanos()));
        List<String> ids = new ArrayList<>();
        List<Integer> silent = new ArrayList<>();
        byBroker.forEach((broker, listing) -> {
            Collection<TransactionListing> listed = answered(listing);
            if (listed == null) {
                silent.add(broker);
            } else {
                listed.forEach(transaction -> ids.add(transaction.transactionalId()));
            }
        });
        if (!silent.isEmpty()) {
            // their transactions are listed by their coordinators only: those wait for a later fence
            log.warn("Broker(s) {} did not list their open transactions in time; fencing those the others listed", silent);
        }
        return ids.stream().filter(ours.and(left)).distinct().toList();
    }

    /** Those of {@code ids} still open on one of {@code holding}, as described by their coordinators by {@code until}. */
    private List<String> holding(List<String> ids, Set<TopicPartition> holding, long until) throws InterruptedException {
        DescribeTransactionsResult described = admin().describeTransactions(ids,
                new DescribeTransactionsOptions().timeoutMs(millisLeft(until)));
        Map<String, KafkaFuture<TransactionDescription>> each = new LinkedHashMap<>();
        ids.forEach(id -> each.put(id, described.description(id)));
        awaitAll(each.values(), until);
        // one not described in time (its coordinator gone) is left for a later fence, the others are fenced
        return ids.stream().filter(id -> {
            TransactionDescription transaction = answered(each.get(id));
            return transaction != null && transaction.state() == TransactionState.ONGOING
                    && !Collections.disjoint(transaction.topicPartitions(), holding);
        }).toList();
    }

    /** Fences each of {@code ids}; those fenced by {@code until}, even if another one's fence failed. */
    private List<String> fenceEach(List<String> ids, long until) throws InterruptedException {
        // A bounded call of its own, a little past the caller's time: unbounded, the admin retried it for its
        // default.api.timeout.ms (60 s) during a failover, and a fence landing that late could end the transaction a
        // live holder began since. (kafka-clients also sends it as the fencing epoch's transaction timeout, unused.)
        FenceProducersOptions bounded = new FenceProducersOptions()
                .timeoutMs((int) Math.min(TIMEOUT.toMillis(), Math.max(millisLeft(until), FENCE_AT_LEAST.toMillis())));
        Map<String, KafkaFuture<Void>> each = admin().fenceProducers(ids, bounded).fencedProducers();
        awaitAll(each.values(), until);
        List<String> fenced = new ArrayList<>();
        List<String> notFenced = new ArrayList<>();
        for (String id : ids) {
            KafkaFuture<Void> fence = each.get(id);
            if (fence != null && fence.isDone() && !fence.isCompletedExceptionally()) {
                fenced.add(id);
            } else {
                notFenced.add(id);
            }
        }
        if (!notFenced.isEmpty()) {
            // most likely coordinated by a broker that is gone, until its __transaction_state partitions move
            log.warn("Could not fence {} in time; a later fence will try again", notFenced);
        }
        return fenced;
    }

    /** Waits until one of {@code futures} is done (normally or not) or {@code until} has come. */
    private static void awaitFirst(Collection<? extends KafkaFuture<?>> futures, long until) throws InterruptedException {
        CountDownLatch first = new CountDownLatch(futures.isEmpty() ? 0 : 1);
        futures.forEach(future -> future.whenComplete((value, failure) -> first.countDown()));
        first.await(left(until), TimeUnit.NANOSECONDS);
    }

    /** Waits until every one of {@code futures} is done or {@code until} has come; a failed one does not end the wait early. */
    private static void awaitAll(Collection<? extends KafkaFuture<?>> futures, long until) throws InterruptedException {
        for (KafkaFuture<?> future : futures) {
            try {
                future.get(left(until), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException notThisOne) {
                // its caller finds it failed or not done and leaves it out
            }
        }
    }

    /** The value of {@code future} if it completed normally, else null. */
    private static <T> T answered(KafkaFuture<T> future) {
        if (future == null || !future.isDone() || future.isCompletedExceptionally() || future.isCancelled()) {
            return null;
        }
        try {
            return future.getNow(null);
        } catch (ExecutionException | InterruptedException e) {
            return null;
        }
    }

    private static long left(long deadline) {
        return Math.max(TimeUnit.MILLISECONDS.toNanos(1), deadline - System.nanoTime());
    }

    /** An admin call's own timeout, so that none outlives the caller's time (the admin's default is 60 s). */
    private static int millisLeft(long deadline) {
        return (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = admins.apply(adminConfig);
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
