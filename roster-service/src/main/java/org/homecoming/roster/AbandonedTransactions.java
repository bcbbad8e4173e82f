package org.homecoming.roster;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

/**
 * Ends the roster transactions that an instance left open when it died. Roster transactions last milliseconds (a
 * 10,000-row list commits in well under 2 s). One still open long after that was left by an instance killed inside it,
 * and until the coordinator times it out ({@code transaction.timeout.ms}, 30 s) every read_committed reader of the
 * partitions it wrote stops at it: this instance's catch-up too, so every change answers 503 meanwhile. A restarted
 * instance fences its own transactional id at start, and a change of the same round fences the round's id, but a dead
 * instance that is not restarted, or a change of another round, would wait it out.
 *
 * <p>So when a catch-up has waited {@code homecoming.roster.abandoned-after} (5 s), the roster's own transactions that
 * have been open longer than that are fenced (Admin {@code fenceProducers}): the coordinator aborts them at once, and
 * the catch-up goes on. Fencing never publishes anything: a holder that was alive but stalled that long (a long GC
 * pause) loses its commit, and its caller is told that nothing was published.
 */
@Component
public class AbandonedTransactions implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AbandonedTransactions.class);
    /** Every transactional id of the roster begins so: its instances' own, its rounds' and its list ids' fences. */
    static final String ROSTER_TRANSACTIONS = "roster-";
    private static final long TIMEOUT_SECONDS = 10;

    private final KafkaAdmin kafkaAdmin;
    private final Duration after;
    private Admin admin;

    AbandonedTransactions(KafkaAdmin kafkaAdmin, @Value("${homecoming.roster.abandoned-after:5s}") Duration after) {
        this.kafkaAdmin = kafkaAdmin;
        this.after = after;
    }

    /** How long a catch-up waits before it fences transactions open that long. */
    Duration after() {
        return after;
    }

    /** Fences the roster's transactions open longer than {@link #after()}; the ids it fenced (none if it could not ask). */
    synchronized List<String> fence() {
        try {
            ListTransactionsOptions open = new ListTransactionsOptions()
                    .filterStates(List.of(TransactionState.ONGOING))
                    .filterOnDuration(after.toMillis());
            List<String> abandoned = admin().listTransactions(open).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS).stream()
                    .map(TransactionListing::transactionalId)
                    .filter(id -> id.startsWith(ROSTER_TRANSACTIONS))
                    .toList();
            if (!abandoned.isEmpty()) {
                admin().fenceProducers(abandoned).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                log.warn("Fenced {} roster transaction(s) open longer than {}, left by an instance that stopped inside them: {}",
                        abandoned.size(), after, abandoned);
            }
            return abandoned;
        } catch (ExecutionException | TimeoutException e) {
            log.warn("Could not end the roster transactions left open: {}", e.toString());
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    private Admin admin() {
        if (admin == null) {
            Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
            admin = Admin.create(config);
        }
        return admin;
    }

    @Override
    public synchronized void destroy() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
