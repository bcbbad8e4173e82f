package org.homecoming.roster.lists;

import java.util.Map;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.homecoming.catalogue.Topics;
import org.homecoming.platform.kafka.FencedTransactions;
import org.homecoming.platform.web.EntityId;
import org.homecoming.roster.rounds.RoundConflictException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;

/**
 * A list id belongs to one round, across every roster instance. The round's fence ({@code ExchangeRounds.withRoundLocked})
 * serializes the changes of one round only: two instances creating the same list id in two rounds at the same moment
 * would each find it unused. So an upload also takes the list id's own transactional id ({@code roster-list-<listId>}),
 * the same on every instance, before the round's fence and its read of the topics.
 *
 * <p>A new list's records are sent (and flushed: in the log, inside the round's open transaction) and only then is the
 * list id's fence checked, by committing a transaction under it; the round's transaction commits after that. Either
 * another instance took the list id before that check, and the check fails (this upload publishes nothing, 409), or it
 * takes it after, and its read of the topics to their end waits for this upload's open transaction and finds the list
 * id used (400). A transaction needs something in it for the coordinator to check its epoch: it commits an offset of a
 * consumer group no consumer uses ({@value #CLAIMS_GROUP}), which writes nothing to any topic a client reads.
 */
@Component
class ListIdClaims {

    /** The transactional id of a list id's claims is this plus the list id, the same on every roster instance. */
    static final String LIST_TRANSACTIONS = "roster-list-";
    static final String CLAIMS_GROUP = "roster-list-claims";

    private final ObjectProvider<ProducerFactory<String, Object>> producers;

    ListIdClaims(ObjectProvider<ProducerFactory<String, Object>> producers) {
        this.producers = producers;
    }

    /**
     * Runs {@code action} holding the list id's fence ({@code null}: none to take); the action calls {@link Claim#confirm}
     * inside its publication, after sending a new list's records and before its commit.
     *
     * @throws RoundConflictException (409) when another upload took the list id first (from {@link Claim#confirm})
     */
    <T> T withListIdTaken(String listId, Function<Claim, T> action) {
        ProducerFactory<String, Object> factory = producers.getIfAvailable();
        if (factory == null || listId == null || !EntityId.isValid(listId)) {
            // no broker (web slice tests), no id to take (a list id already known), or one the validator refuses
            return action.apply(Claim.UNFENCED);
        }
        return FencedTransactions.run(factory, LIST_TRANSACTIONS + listId, template -> action.apply(new Claim(listId, template)));
    }

    /** The fence of one list id, as taken before the round's; {@link #UNFENCED} when there is none to take. */
    static final class Claim {

        static final Claim UNFENCED = new Claim(null, null);

        private final String listId;
        private final KafkaTemplate<String, Object> template;

        private Claim(String listId, KafkaTemplate<String, Object> template) {
            this.listId = listId;
            this.template = template;
        }

        /**
         * Checks that no other upload took the list id since this one did, by a transaction under the list id's
         * transactional id. Call it after the new list's records are flushed, inside the round's transaction.
         */
        void confirm(String roundId) {
            if (template == null) {
                return;
            }
            try {
                template.executeInTransaction(operations -> {
                    operations.sendOffsetsToTransaction(
                            Map.of(new TopicPartition(Topics.RELEASE_LISTS.name(), 0),
                                    new OffsetAndMetadata(0, "list " + listId + " claimed for round " + roundId)),
                            new ConsumerGroupMetadata(CLAIMS_GROUP));
                    return null;
                });
            } catch (RuntimeException e) {
                if (FencedTransactions.isFencing(e)) {
                    // not a fencing cause itself: the round's fence must not read it as its own
                    throw new RoundConflictException("List " + listId + " was changed by another request at the same moment, "
                            + "for this round or another; nothing was published. Read the round's lists again and retry");
                }
                throw e;
            }
        }
    }
}
