package org.homecoming.roster.rounds;

import org.homecoming.platform.audit.AuditTrail;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Where a change of a round is published: a template whose transactions carry the round's own transactional id (see
 * {@link ExchangeRounds#withRoundLocked}), and an audit trail that writes inside those transactions.
 */
public record RoundTransaction(KafkaTemplate<String, Object> kafka, AuditTrail audit) {
}
