package org.homecoming.platform.kafka;

import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;

/**
 * A decision that must be taken in one place across every instance of a service (a round's lists in roster, a bus's
 * readings in transport), serialized by Kafka itself: the decision's transactions all use one transactional id, the
 * same on every instance. Taking the id (initTransactions) fences whoever held it before, and the coordinator aborts
 * that holder's open transaction; so of two instances deciding at the same moment only the later one can commit, and
 * the earlier one's commit fails with {@link FencedOutException}.
 *
 * <p>A caller that checks state before publishing must read that state only after {@link #run} has taken the id, up
 * to the log's end as it is then (every commit of an earlier holder is below it): either nobody took the id since, and
 * the check saw every earlier decision, or someone did, and this commit fails. A fresh producer is made for every
 * decision and closed after it: a cached one would be fenced by any decision the other instance took meanwhile, and
 * would then refuse work that was never concurrent. (For a decision taken so often that this costs too much,
 * {@link KeptFencedTransactions} keeps the producer and takes such work once more with a fresh one.)
 */
public final class FencedTransactions {

    private FencedTransactions() {
    }

    /**
     * Takes {@code transactionalId} (fencing the previous holder) and runs {@code action} with a template whose
     * transactions use it.
     *
     * @throws FencedOutException when another holder took the id before this one committed
     */
    public static <T> T run(ProducerFactory<String, Object> producers, String transactionalId,
                            Function<KafkaTemplate<String, Object>, T> action) {
        // The factory appends a suffix to its prefix: the first (and, one decision at a time, only) producer is "0".
        ProducerFactory<String, Object> keyed = producers.copyWithConfigurationOverride(
                Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId + "-"));
        try {
            try (Producer<String, Object> fence = keyed.createProducer()) {
                // creating it called initTransactions(): the fence; closing returns it to the copy's cache
            }
            return action.apply(new KafkaTemplate<>(keyed));
        } catch (RuntimeException e) {
            if (isFencing(e)) {
                throw new FencedOutException(transactionalId, e);
            }
            throw e;
        } finally {
            keyed.reset();
        }
    }

    /** Whether the failure, or one of its causes, says that another producer took the transactional id. */
    public static boolean isFencing(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException
                    || cause instanceof FencedOutException) {
                return true;
            }
        }
        return false;
    }

    /** Another instance took the same decision's transactional id while this one was deciding; nothing was published. */
    public static class FencedOutException extends RuntimeException {
        public FencedOutException(String transactionalId, Throwable cause) {
            super("Another instance took transactional id " + transactionalId + " first", cause);
        }
    }
}
