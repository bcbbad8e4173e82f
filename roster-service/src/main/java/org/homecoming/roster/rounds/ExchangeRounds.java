package org.homecoming.roster.rounds;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import org.homecoming.catalogue.Topics;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.events.common.Side;
import org.homecoming.events.roster.RoundStatus;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.web.InvalidRequestException;
import org.homecoming.platform.web.PlainText;
import org.homecoming.platform.web.PlausibleTime;
import org.homecoming.platform.web.Violation;
import org.homecoming.platform.web.EntityId;
import org.homecoming.roster.RecordTracing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Service;

/**
 * The exchange rounds and their life cycle. Every change is published to the compacted rounds topic, and
 * the in-memory view is updated only after that transaction committed.
 *
 * <p>It also owns one lock per round: everything that changes a round or its lists runs under it, so two
 * uploads for the same round cannot both pass the checks against the round's other lists.
 */
@Service
public class ExchangeRounds {

    private static final Logger log = LoggerFactory.getLogger(ExchangeRounds.class);

    private final KafkaTemplate<String, Object> kafka;
    private final RecordTracing tracing;
    private final AuditTrail audit;
    private final Map<String, ExchangeRound> rounds = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    ExchangeRounds(KafkaTemplate<String, Object> kafka, RecordTracing tracing, AuditTrail audit) {
        this.kafka = kafka;
        this.tracing = tracing;
        this.audit = audit;
    }

    /** What recording a round did: whether it was new, and the round as it now stands. */
    record Recorded(ExchangeRound round, boolean created) {
    }

    public Optional<ExchangeRound> find(String roundId) {
        return Optional.ofNullable(rounds.get(roundId));
    }

    List<ExchangeRound> all() {
        return rounds.values().stream()
                .sorted(Comparator.comparing(ExchangeRound::exchangeDate).thenComparing(ExchangeRound::roundId))
                .toList();
    }

    /** Runs an action while no other change to the same round can run. */
    public <T> T withRoundLocked(String roundId, Supplier<T> action) {
        ReentrantLock lock = locks.computeIfAbsent(roundId, id -> new ReentrantLock());
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Records a new round as PLANNED. Sending the same round again (same id and terms) publishes nothing;
     * the same id with other terms is a conflict.
     */
    Recorded record(RoundTerms terms) {
        String roundId = terms.roundId() == null ? "round-" + UUID.randomUUID() : terms.roundId();
        List<Violation> violations = terms.violations();
        if (!violations.isEmpty()) {
            throw new InvalidRequestException("The round has " + violations.size() + " problem(s)", violations);
        }
        return withRoundLocked(roundId, () -> {
            ExchangeRound proposed = terms.toRound(roundId, now());
            ExchangeRound existing = rounds.get(roundId);
            if (existing != null) {
                if (existing.sameTermsAs(proposed)) {
                    return new Recorded(existing, false);
                }
                throw new RoundConflictException("Round " + roundId + " already exists with other terms");
            }
            publish(proposed, AuditAction.ROUND_CREATED);
            log.info("Round {} recorded as {}", roundId, proposed.status());
            return new Recorded(proposed, true);
        });
    }

    /** Moves a round along its life cycle. Asking for the status it already has publishes nothing. */
    Recorded changeStatus(String roundId, RoundStatus next) {
        return withRoundLocked(roundId, () -> {
            ExchangeRound round = find(roundId).orElseThrow(() -> new UnknownRoundException(roundId));
            if (round.status() == next) {
                return new Recorded(round, false);
            }
            if (!round.canBecome(next)) {
                throw new RoundConflictException("Round " + roundId + " is " + round.status() + " and cannot become "
                        + next + "; allowed next: " + (round.allowedNext().isEmpty() ? "none" : round.allowedNext()));
            }
            ExchangeRound changed = round.withStatus(next, now());
            publish(changed, next == RoundStatus.CANCELLED ? AuditAction.ROUND_CANCELLED : AuditAction.ROUND_STATUS_CHANGED);
            log.info("Round {} changed from {} to {}", roundId, round.status(), next);
            return new Recorded(changed, true);
        });
    }

    /** Rebuilds the view from the rounds topic: the last record of each round is the round. */
    void restore(Collection<ExchangeRound> latest) {
        latest.forEach(round -> rounds.put(round.roundId(), round));
    }

    /** Publishes the round and its audit entry in one transaction: neither is written without the other. */
    private void publish(ExchangeRound round, AuditAction action) {
        tracing.inSpan("roster round publication", trace -> kafka.executeInTransaction(operations -> {
            operations.send(trace.record(Topics.EXCHANGE_ROUNDS.name(), round.roundId(), round.toEvent()));
            audit.recorded(action, AuditSubject.EXCHANGE_ROUND, round.roundId(), AuditOutcome.SUCCEEDED,
                    round.status().name());
            return null;
        }));
        rounds.put(round.roundId(), round);
    }

    private static Instant now() {
        // Avro timestamp-millis: keep the in-memory value equal to what a consumer reads back
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** A round id that no round has. Answered 404. */
    public static class UnknownRoundException extends RuntimeException {
        public UnknownRoundException(String roundId) {
            super("There is no exchange round " + roundId);
        }
    }

    /** A new round as a client describes it; {@code roundId} may be null to let the service choose one. */
    record RoundTerms(String roundId, String agreementReference, Integer stage, Integer stageCount,
                      LocalDate exchangeDate, Side releasingSide,
                      Side receivingSide, Integer plannedSoldiers,
                      Integer plannedCivilians) {

        /** No agreement has had more stages; a larger number is a typo or an attack on the console's layout. */
        static final int MAX_STAGES = 50;
        /** Far beyond any exchange so far (the largest freed a few hundred a side). */
        static final int MAX_PLANNED = 100_000;
        static final int MAX_REFERENCE = 100;

        List<Violation> violations() {
            List<Violation> violations = new ArrayList<>();
            if (roundId != null && !EntityId.isValid(roundId)) {
                violations.add(Violation.of("roundId", "must be " + EntityId.RULE));
            }
            PlainText.require("agreementReference", agreementReference, MAX_REFERENCE, violations);
            if (stage == null || stage < 1) {
                violations.add(Violation.of("stage", "is required and must be 1 or more"));
            }
            if (stageCount == null || stageCount < 1 || stageCount > MAX_STAGES) {
                violations.add(Violation.of("stageCount", "is required and must be 1 to " + MAX_STAGES));
            } else if (stage != null && stage > stageCount) {
                violations.add(Violation.of("stage", "stage " + stage + " is beyond the " + stageCount + " stages agreed"));
            }
            if (exchangeDate == null) {
                violations.add(Violation.of("exchangeDate", "is required (yyyy-MM-dd)"));
            } else {
                PlausibleTime.checkOperationDate("exchangeDate", exchangeDate, LocalDate.now(ZoneOffset.UTC), violations);
            }
            if (releasingSide == null) {
                violations.add(Violation.of("releasingSide", "is required (UA or RU)"));
            }
            if (receivingSide == null) {
                violations.add(Violation.of("receivingSide", "is required (UA or RU)"));
            } else if (receivingSide == releasingSide) {
                violations.add(Violation.of("receivingSide", "must differ from releasingSide"));
            }
            if (plannedSoldiers == null || plannedSoldiers < 0 || plannedSoldiers > MAX_PLANNED) {
                violations.add(Violation.of("plannedSoldiers", "is required and must be 0 to " + MAX_PLANNED));
            }
            if (plannedCivilians == null || plannedCivilians < 0 || plannedCivilians > MAX_PLANNED) {
                violations.add(Violation.of("plannedCivilians", "is required and must be 0 to " + MAX_PLANNED));
            }
            return violations;
        }

        ExchangeRound toRound(String id, Instant at) {
            return new ExchangeRound(id, agreementReference.strip(), stage, stageCount, exchangeDate, releasingSide,
                    receivingSide, plannedSoldiers, plannedCivilians, RoundStatus.PLANNED, at);
        }
    }
}
