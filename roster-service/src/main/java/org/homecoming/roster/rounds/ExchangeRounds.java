package org.homecoming.roster.rounds;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

import org.homecoming.catalogue.Topics;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.events.common.Side;
import org.homecoming.events.roster.RoundStatus;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.kafka.FencedTransactions;
import org.homecoming.platform.web.InvalidRequestException;
import org.homecoming.platform.web.PlainText;
import org.homecoming.platform.web.PlausibleTime;
import org.homecoming.platform.web.Violation;
import org.homecoming.platform.web.EntityId;
import org.homecoming.roster.RecordTracing;
import org.homecoming.roster.RosterFeed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Service;

/**
 * The exchange rounds and their life cycle. Every change is published to the compacted rounds topic, and
 * the in-memory view is updated only after that transaction committed.
 *
 * <p>It also serializes the changes of each round, across every roster instance: everything that changes a round or
 * its lists runs in {@link #withRoundLocked}, so two uploads for the same round cannot both pass the checks against the
 * round's other lists, nor both publish against the same previous version.
 *
 * <p>Why transactional fencing per round and not a round-keyed command topic: the fence needs no new topic, no
 * request/reply plumbing and no consumer group, the REST call stays a plain synchronous call with its problem+json
 * answers, and Kafka's transaction coordinator already is the one place that knows who holds a transactional id. A
 * change takes the round's id ({@code roster-round-<roundId>}), reads the topics to their end, checks, and publishes
 * in a transaction under that id; a change on another instance that took the id meanwhile makes this commit fail,
 * and the caller gets 409 (nothing was published) and can retry against the new state. The cost is one
 * initTransactions per change, tens of milliseconds: rounds and lists change a few times a day.
 */
@Service
public class ExchangeRounds {

    private static final Logger log = LoggerFactory.getLogger(ExchangeRounds.class);

    private final KafkaTemplate<String, Object> kafka;
    private final RecordTracing tracing;
    private final AuditTrail audit;
    private final Map<String, ExchangeRound> rounds = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final ObjectProvider<ProducerFactory<String, Object>> producers;
    private final ObjectProvider<RosterFeed> feed;
    private final ObjectProvider<RoundCancellation> cancellation;

    ExchangeRounds(KafkaTemplate<String, Object> kafka, RecordTracing tracing, AuditTrail audit,
                   ObjectProvider<ProducerFactory<String, Object>> producers, ObjectProvider<RosterFeed> feed,
                   ObjectProvider<RoundCancellation> cancellation) {
        this.kafka = kafka;
        this.tracing = tracing;
        this.audit = audit;
        this.producers = producers;
        this.feed = feed;
        this.cancellation = cancellation;
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

    /**
     * Runs a change of the round while no other change to the same round can commit, on this instance or another: the
     * action publishes with the {@link RoundTransaction} it is given, and sees the view read to the topics' end after
     * the round's transactional id was taken. The lock keeps this instance's own changes of a round in a queue
     * instead of fencing each other.
     *
     * @throws RoundConflictException (409) when another instance changed the round at the same moment
     */
    public <T> T withRoundLocked(String roundId, Function<RoundTransaction, T> action) {
        ReentrantLock lock = locks.computeIfAbsent(roundId, id -> new ReentrantLock());
        lock.lock();
        try {
            ProducerFactory<String, Object> factory = producers.getIfAvailable();
            if (factory == null) {
                // no broker at all (web slice tests with a mocked template): the in-process lock is the only guard
                return action.apply(new RoundTransaction(kafka, audit));
            }
            return FencedTransactions.run(factory, ROUND_TRANSACTIONS + roundId, template -> {
                feed.ifAvailable(RosterFeed::awaitForChange);
                return action.apply(new RoundTransaction(template, audit.writingWith(template)));
            });
        } catch (FencedTransactions.FencedOutException fenced) {
            log.info("A change of round {} lost to a change on another instance; nothing was published", roundId);
            throw new RoundConflictException("Round " + roundId + " was changed by another request at the same moment; "
                    + "nothing was published. Read the round and its lists again and retry");
        } finally {
            lock.unlock();
        }
    }

    /** The transactional id of a round's changes is this plus the round id, the same on every roster instance. */
    static final String ROUND_TRANSACTIONS = "roster-round-";

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
        return withRoundLocked(roundId, transaction -> {
            ExchangeRound proposed = terms.toRound(roundId, now());
            ExchangeRound existing = rounds.get(roundId);
            if (existing != null) {
                if (existing.sameTermsAs(proposed)) {
                    return new Recorded(existing, false);
                }
                throw new RoundConflictException("Round " + roundId + " already exists with other terms");
            }
            publish(transaction, proposed, AuditAction.ROUND_CREATED);
            log.info("Round {} recorded as {}", roundId, proposed.status());
            return new Recorded(proposed, true);
        });
    }

    /** Moves a round along its life cycle. Asking for the status it already has publishes nothing. */
    Recorded changeStatus(String roundId, RoundStatus next) {
        return withRoundLocked(roundId, transaction -> {
            ExchangeRound round = find(roundId).orElseThrow(() -> new UnknownRoundException(roundId));
            if (round.status() == next) {
                return new Recorded(round, false);
            }
            if (!round.canBecome(next)) {
                throw new RoundConflictException("Round " + roundId + " is " + round.status() + " and cannot become "
                        + next + "; allowed next: " + (round.allowedNext().isEmpty() ? "none" : round.allowedNext()));
            }
            // later than the round's last change even if this instance's clock is behind the one that made it
            Instant now = now();
            Instant at = now.isAfter(round.recordedAt()) ? now : round.recordedAt().plusMillis(1);
            ExchangeRound changed = round.withStatus(next, at);
            publish(transaction, changed, next == RoundStatus.CANCELLED ? AuditAction.ROUND_CANCELLED : AuditAction.ROUND_STATUS_CHANGED);
            log.info("Round {} changed from {} to {}", roundId, round.status(), next);
            return new Recorded(changed, true);
        });
    }

    /**
     * A round as the rounds topic holds it, published by this instance or another. The view may already hold a later
     * change (this instance applies its own changes as soon as they commit): a round's changes are recorded at
     * increasing times, so an older record read afterwards changes nothing.
     */
    void read(ExchangeRound round) {
        rounds.merge(round.roundId(), round, (current, incoming) ->
                incoming.recordedAt().isBefore(current.recordedAt()) ? current : incoming);
    }

    /** Publishes the round and its audit entry in one transaction: neither is written without the other. */
    private void publish(RoundTransaction transaction, ExchangeRound round, AuditAction action) {
        List<Runnable> afterCommit = new ArrayList<>(1);
        tracing.inSpan("roster round publication", trace -> transaction.kafka().executeInTransaction(operations -> {
            // A cancelled round's persons leave its lists in the same transaction: no reader sees the round
            // cancelled while its persons are still listed, nor the other way round.
            RoundCancellation lists = cancellation.getIfAvailable();
            if (round.status() == RoundStatus.CANCELLED && lists != null) {
                afterCommit.add(lists.withdrawEveryone(operations, transaction.audit(), round.roundId(), round.recordedAt()));
            }
            operations.send(trace.record(Topics.EXCHANGE_ROUNDS.name(), round.roundId(), round.toEvent()));
            transaction.audit().recorded(action, AuditSubject.EXCHANGE_ROUND, round.roundId(), AuditOutcome.SUCCEEDED,
                    round.status().name());
            return null;
        }));
        afterCommit.forEach(Runnable::run);
        read(round);
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
