package org.homecoming.roster.lists;

import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.homecoming.catalogue.Topics;
import org.homecoming.platform.kafka.FencedTransactions;
import org.homecoming.roster.rounds.RoundConflictException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;

/**
 * Release lists are published one at a time across every roster instance and every round. The round's fence
 * ({@code ExchangeRounds.withRoundLocked}) serializes the changes of one round only, and two rules look across rounds: a
 * list id belongs to one round, and a person is on the lists of one open round at most (so a cancellation's or an
 * amendment's WITHDRAWN never takes off a person another round still lists). Two instances publishing in two rounds at
 * the same moment would each pass those checks. So every upload first takes one transactional id,
 * {@value #LISTING_TRANSACTIONS} (the same on every instance), before the round's fence and its read of the topics.
 *
 * <p>A list's records are sent (and flushed: in the log, inside the round's open transaction) and only then is this
 * fence checked, by committing a transaction under it; the round's transaction commits after that. Either another upload
 * took the fence before that check, and the check fails (this upload publishes nothing, 409), or it takes it after, and
 * its read of the topics to their end waits for this upload's open transaction and sees its lists (400 if it breaks a
 * rule). A transaction needs something in it for the coordinator to check its epoch: it commits an offset of a consumer
 * group no consumer uses ({@value #CLAIMS_GROUP}), which writes nothing to any topic a client reads.
 *
 * <p>Why one fence and not one per list id and per person: a list holds hundreds of people, and each fence costs an
 * initTransactions; lists are published a few times a day, so queueing them costs nothing an operator would notice.
 */
@Component
class ListingFence {

    /** The transactional id of every list publication, the same on every roster instance. */
    static final String LISTING_TRANSACTIONS = "roster-listings";
    static final String CLAIMS_GROUP = "roster-list-claims";

    private final ObjectProvider<ProducerFactory<String, Object>> producers;
    /** This instance's own uploads wait for each other here instead of fencing each other. */
    private final ReentrantLock lock = new ReentrantLock(true);

    ListingFence(ObjectProvider<ProducerFactory<String, Object>> producers) {
        this.producers = producers;
    }

    /**
     * Runs {@code action} holding the fence; the action calls {@link Claim#confirm} inside its publication, after sending
     * the list's records and before its commit.
     *
     * @throws RoundConflictException (409) when another upload took the fence first (from {@link Claim#confirm})
     */
    <T> T withListingsFenced(Function<Claim, T> action) {
        lock.lock();
        try {
            ProducerFactory<String, Object> factory = producers.getIfAvailable();
            if (factory == null) {
                // no broker (web slice tests): the lock is the only guard
                return action.apply(Claim.UNFENCED);
            }
            return FencedTransactions.run(factory, LISTING_TRANSACTIONS, template -> action.apply(new Claim(template)));
        } finally {
            lock.unlock();
        }
    }

    /** The fence as taken before the round's; {@link #UNFENCED} when there is no broker. */
    static final class Claim {

        static final Claim UNFENCED = new Claim(null);

        private final KafkaTemplate<String, Object> template;

        private Claim(KafkaTemplate<String, Object> template) {
            this.template = template;
        }

        /**
         * Checks that no other upload took the fence since this one did, by a transaction under its transactional id.
         * Call it after the list's records are flushed, inside the round's transaction.
         */
        void confirm(String roundId, String listId) {
            if (template == null) {
                return;
            }
            try {
                template.executeInTransaction(operations -> {
                    operations.sendOffsetsToTransaction(
                            Map.of(new TopicPartition(Topics.RELEASE_LISTS.name(), 0),
                                    new OffsetAndMetadata(0, "list " + listId + " of round " + roundId)),
                            new ConsumerGroupMetadata(CLAIMS_GROUP));
                    return null;
                });
            } catch (RuntimeException e) {
                if (FencedTransactions.isFencing(e)) {
                    // not a fencing cause itself: the round's fence must not read it as its own
                    throw new RoundConflictException("A list was changed by another request at the same moment, in this round "
                            + "or another; nothing was published. Read the round's lists again and retry");
                }
                throw e;
            }
        }
    }
}
