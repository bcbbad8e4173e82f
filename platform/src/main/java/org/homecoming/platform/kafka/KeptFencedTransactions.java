package org.homecoming.platform.kafka;

import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.homecoming.platform.kafka.FencedTransactions.FencedOutException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

/**
 * {@link FencedTransactions} for one decision taken often (the reception point's hand-overs in transport, one per
 * person), whose producer holding the transactional id is kept from one decision to the next. Taking the id afresh for
 * each (a new producer, its metadata, coordinator and InitProducerId) made such decisions about ten times slower.
 *
 * <p>Keeping it is as safe: a decision reads its state after the producer took the id, so the read sees every decision
 * committed before; one committed since on another instance took the id and fenced the kept producer, whose commit then
 * fails. A kept producer that finds itself fenced is dropped and the decision taken once more with a new one (nothing
 * was published); only a decision fenced with a producer that took the id for it lost a race, and fails with
 * {@link FencedOutException}.
 *
 * <p>A kept producer can also be blocked rather than fenced: another instance holding the id with a transaction open
 * keeps the state from being read to its end, and only taking the id afresh aborts that transaction. The caller says
 * which of its failures mean that ({@code blocked}); with a kept producer they are retried like a fencing, with a
 * producer taken for the decision they are thrown as they are.
 *
 * <p>One decision at a time per instance; {@link #close} when the owner stops.
 */
public final class KeptFencedTransactions implements AutoCloseable {

    private final String transactionalId;
    private final Predicate<RuntimeException> blocked;
    /** The factory of producers holding the id; it caches the producer between decisions. Guarded by this. */
    private final ProducerFactory<String, Object> holding;
    /** Whether {@link #holding} caches a producer that took the id for an earlier decision. Guarded by this. */
    private boolean kept;

    /**
     * @param blocked which failures of a decision run with a kept producer may come from another holder's open
     *                transaction (for example the state could not be read to its end)
     */
    public KeptFencedTransactions(ProducerFactory<String, Object> producers, String transactionalId,
                                  Predicate<RuntimeException> blocked) {
        this.transactionalId = transactionalId;
        this.blocked = blocked;
        // the factory appends a suffix to its prefix: one decision at a time, the only producer is "0"
        this.holding = producers.copyWithConfigurationOverride(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId + "-"));
    }

    /**
     * Runs {@code action} with a template whose transactions use the id, held by the kept producer or taken afresh.
     *
     * @throws FencedOutException when another holder took the id before this decision committed
     */
    public synchronized <T> T run(Function<KafkaTemplate<String, Object>, T> action) {
        while (true) {
            boolean takenForThis = !kept;
            try {
                try (Producer<String, Object> fence = holding.createProducer()) {
                    // a new producer took the id here (initTransactions); a kept one took it before; closing caches it
                }
                kept = true;
                return action.apply(new KafkaTemplate<>(holding));
            } catch (RuntimeException e) {
                boolean fenced = FencedTransactions.isFencing(e);
                if (!fenced && (takenForThis || !blocked.test(e))) {
                    // a refusal before any transaction, or a failed one whose producer the factory dropped
                    throw e;
                }
                // Fenced, or (with a kept producer) blocked: another instance may hold the id with a transaction open,
                // which only taking the id afresh aborts. Either way nothing was published.
                holding.reset();
                kept = false;
                if (takenForThis) {
                    throw new FencedOutException(transactionalId, e);
                }
                // the kept producer was fenced, or blocked, by a decision taken on another instance since: take the id afresh
            }
        }
    }

    @Override
    public synchronized void close() {
        holding.reset();
        kept = false;
    }
}
