package org.homecoming.roster.rounds;

import java.time.Instant;

import org.homecoming.platform.audit.AuditTrail;
import org.springframework.kafka.core.KafkaOperations;

/**
 * What cancelling a round does to its release lists, inside the round's own transaction. Implemented by the lists
 * (which depend on the rounds, not the other way round).
 *
 * <p>Why anything happens to the lists: a cancelled exchange frees nobody, but its persons would stay listed for
 * release, and a relative who asks about one of them afterwards would be told "listed for release". Taken off their
 * lists, they are no longer matched, and a family already told goes to a caseworker ("withdrawn from list") instead.
 */
public interface RoundCancellation {

    /**
     * Sends, in the open transaction, a new version of each of the round's lists without any person (a WITHDRAWN per
     * person and the version's header, as an amendment that removes everyone would), each recorded in the audit trail
     * as an amendment, and returns what to apply to the lists' view once the transaction has committed.
     */
    Runnable withdrawEveryone(KafkaOperations<String, Object> operations, AuditTrail audit, String roundId, Instant at);
}
