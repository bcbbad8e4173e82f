package org.homecoming.reunification.alerts;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.events.reunification.AlertDeliveryAttempted;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.DeliveryOutcome;
import org.homecoming.events.reunification.Milestone;
import org.homecoming.catalogue.Topics;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.kafka.FencedTransactions;
import org.homecoming.reunification.pairing.AlertBook;
import org.homecoming.reunification.pairing.DecisionsElsewhere;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;

/**
 * The alerts whose delivery outcome is unknown, and what an operator does with each: resend it (the same Message-ID,
 * so a mail system that did get the first copy shows one message) or mark it delivered (the family confirmed it). Both
 * are audited before they take effect: an action the audit trail cannot record is not taken. One alert is settled once:
 * a second resend or mark finds it no longer held. An alert whose delivery FAILED can be resent the same way (never
 * marked delivered), once the operator knows the cause is over.
 *
 * <p>Across instances the settlement is decided in one place: the transactional id of the alert's person
 * ({@code reunification-held-person-<opaque id>}, see {@link #personFence} and {@link FencedTransactions}; an alert
 * whose attempts name no person, recorded before v3: {@code reunification-held-alert-<alertId>}). An alert id no
 * delivery is recorded for is answered 404 before any id is taken. After taking it, the instance waits until no
 * transaction is open on the delivery ledger's topic (at most {@link DeliveryLedger#STABLE_WAIT}, else 503 with
 * nothing decided: a read stops below an open transaction, and would miss a claim committed above it; a settlement a
 * killed instance left open is ended there once it is old enough: {@link DeliveryLedger#awaitStableEnd}), reads the ledger
 * again, checks the alert is still held, that no later milestone of its inquiry and person went out and that no other
 * inquiry's alert of the same news reached the same address or may have (delivered, or held with an unknown outcome;
 * one claimed for sending there at this moment is settled by which claim came first: {@link DeliveryLedger#firstClaim}),
 * and commits the settling record
 * (DELIVERED for a mark, the first SENDING of a resend, or the alert withheld) with its audit entry in one transaction.
 * Of two operators settling the same alert at the same moment on two instances one commits; the other either finds it
 * no longer held or is fenced before its commit, and is answered 409 with nothing recorded and nothing sent. A
 * settlement fenced before its commit reads the ledger again before it answers: 409 only when another settlement took
 * the alert (or makes it one to withhold now); its own record there (a commit whose answer was lost) is a success; the
 * alert still held (it stalled during a broker's failover and was ended as left open) is a 503 to try again. The same
 * holds for two operators resending a family's two alerts of one news (a mother registered twice): a fence per alert
 * let both claim, each delivery then saw the other's claim, and both were withheld as already told, so the family heard
 * nothing and the 409 told both operators it had. And for two resends of one person's two milestones: one fence per
 * person, so "crossed the border" is never decided beside "arrived" and sent after it.
 *
 * <p>Only the decision is one at a time, not the sending: an operator's resend to an SMS gateway that does not answer
 * (up to its timeouts and retries) holds up no other operator's resend or mark on the instance (before, every
 * settlement of the instance waited behind it, the e-mail alerts too).
 */
@Component
public class HeldAlerts {

    private static final Logger log = LoggerFactory.getLogger(HeldAlerts.class);
    static final String CONFIRMED = "marked delivered by an operator";

    private final DeliveryLedger ledger;
    private final AlertBook alerts;
    private final AlertDelivery delivery;
    private final AuditTrail audit;
    private final Clock clock;
    private final KafkaTemplate<String, Object> kafka;
    private final ObjectProvider<ProducerFactory<String, Object>> producers;
    private final ObjectProvider<HeldAlertSettlementHook> hook;
    private final ObjectProvider<DecisionsElsewhere> elsewhere;

    HeldAlerts(DeliveryLedger ledger, AlertBook alerts, AlertDelivery delivery, AuditTrail audit, Clock clock,
               KafkaTemplate<String, Object> kafka, ObjectProvider<ProducerFactory<String, Object>> producers,
               ObjectProvider<HeldAlertSettlementHook> hook, ObjectProvider<DecisionsElsewhere> elsewhere) {
        this.ledger = ledger;
        this.alerts = alerts;
        this.elsewhere = elsewhere;
        this.delivery = delivery;
        this.audit = audit;
        this.clock = clock;
        this.kafka = kafka;
        this.producers = producers;
        this.hook = hook;
        Arrays.setAll(decisionLocks, i -> new Object());
    }

    /** The alerts held, as every instance knows them: the ledger is read again first (another instance may have settled one). */
    public List<AlertDeliveryAttempted> held() {
        ledger.rebuild();
        return ledger.held();
    }

    /**
     * Sends a held alert again, now, with bounded retries. Also an alert whose delivery FAILED (every attempt, and it went
     * to {@code reunification.alerts-dlt}): a provider outage that outlasted the retries, or a permanent failure, that the
     * operator knows is over. Nothing else ever sends a failed alert again, so without this it would be lost. It goes the
     * same way as a held one (fenced, audited, SENDING committed first), so it is delivered at most once more even when
     * two operators resend it on two instances at the same moment.
     *
     * <p>A resend this instance cannot make yet (it has not read the alert's inquiry or match: 503) leaves the alert as it
     * was; one that stops inside the delivery leaves it held with an unknown outcome. Either way it can be resent again.
     *
     * @return the delivery's last record (DELIVERED, FAILED and why, or UNKNOWN when the channel did not answer in time)
     * @throws NotHeldException when the alert is neither held nor failed (unknown, delivered, being delivered, or its
     *                          inquiry was withdrawn or its contact erased)
     * @throws SupersededException when its inquiry and person already had a later milestone go out: the alert is
     *                             recorded withheld, nothing is sent
     * @throws AlreadyToldException when it was withheld because the family heard the news through another inquiry, and
     *                              that inquiry's alert still reached them or may have (held with an unknown outcome),
     *                              or it was claimed for sending there before this resend's claim
     */
    public AlertDeliveryAttempted resend(String alertId, String operator) {
        AlertIssued[] resent = new AlertIssued[1];
        AlertDeliveryAttempted[] before = new AlertDeliveryAttempted[1];
        AlertDeliveryAttempted held = settle(alertId, AuditAction.ALERT_RESENT, true, latest -> {
            resent[0] = issued(latest.getInquiryId()).stream().filter(issued -> issued.getAlertId().equals(alertId))
                    .findFirst().orElseThrow(() -> new NotHeldException(alertId));
            before[0] = latest;
            // Checked before the claim, on the ledger just read again: nothing is claimed, audited or sent for an
            // alert whose family already heard a later milestone of the same person. It is withheld for good, as
            // delivery withholds it, so it leaves the console's list of alerts to resend; the record is committed in
            // this decision, under the fence (before, it was written after the fence was let go).
            Optional<Milestone> later = delivery.supersededBy(resent[0]);
            if (later.isPresent()) {
                return new Settlement(delivery.supersededRecord(resent[0], operator), false, () -> {
                    delivery.withheldSuperseded(resent[0], later.get());
                    return new SupersededException(resent[0], later.get());
                });
            }
            // Nor for one whose news reached the family through another of their inquiries, or may have (delivered,
            // or unknown), on the ledger read under the person's fence (one claimed there right now is settled by the
            // first claim, in the delivery below): a resend of the
            // family's other alert decided on another instance a moment ago is on it, or this commit is fenced.
            // One withheld as already told may go once that alert failed, or that inquiry was withdrawn before its
            // alert reached them: it stays as it is. A held or failed one is withheld now, in this decision, as
            // delivery withholds it, so it leaves the list of alerts to resend (refused and left held, it stayed there
            // for good).
            boolean withheldAsTold = AlertDelivery.withheld(latest) && AlertDelivery.ALREADY_TOLD.equals(latest.getFailureReason());
            Optional<String> told = delivery.alreadyToldThrough(resent[0], withheldAsTold);
            if (told.isPresent()) {
                if (withheldAsTold) {
                    throw new AlreadyToldException(alertId);
                }
                AlertDeliveryAttempted withheld = delivery.alreadyToldRecord(resent[0], operator);
                return new Settlement(withheld, false, () -> {
                    delivery.withheldAlreadyTold(withheld, resent[0], told.get());
                    return new AlreadyToldException(alertId);
                });
            }
            // the claim: SENDING, committed before anything leaves; the delivery then records its own attempts
            return new Settlement(AlertDeliveryAttempted.newBuilder(latest)
                    .setOutcome(DeliveryOutcome.SENDING)
                    .setFailureReason(null)
                    .setAttemptedAt(clock.instant())
                    .setDecidedBy(operator)
                    .build(), true, null);
        });
        AlertDeliveryAttempted last;
        try {
            last = delivery.deliver(resent[0], operator).last();
        } catch (AlertDelivery.InquiryNotReadYet | AlertDelivery.MatchNotReadYet | DeliveryLedger.LedgerInDoubtException notRead) {
            // Nothing left, nothing was tried: the alert goes back to what it was, held or failed, so that it can be
            // resent once this instance has read its inquiry and match. The claim must not stay the alert's last record:
            // a SENDING nobody finishes is settled only when the delivery listener reads the alert again, and the
            // listener committed this alert's offset long ago, so the alert would be stuck, neither held nor resendable.
            ledger.record(AlertDeliveryAttempted.newBuilder(before[0]).setAttemptedAt(clock.instant()).build());
            throw notRead;
        } catch (RuntimeException failure) {
            // Stopped somewhere inside the delivery (the broker, the vault): a message may have left. If the last record
            // is still a SENDING, it is held as unknown now, for the same reason as above.
            ledger.latest(alertId).filter(latest -> latest.getOutcome() == DeliveryOutcome.SENDING).ifPresent(sending -> {
                try {
                    ledger.holdForOperator(sending);
                } catch (RuntimeException unrecorded) {
                    failure.addSuppressed(unrecorded);
                }
            });
            throw failure;
        }
        if (AlertDelivery.withheld(last) && AlertDelivery.SUPERSEDED.equals(last.getFailureReason())) {
            // a later milestone went out between the check above and the delivery's own: withheld there, answered alike
            throw new SupersededException(resent[0], delivery.supersededBy(resent[0]).orElse(null));
        }
        if (AlertDelivery.withheld(last) && AlertDelivery.ALREADY_TOLD.equals(last.getFailureReason())) {
            // the family's other alert went out, or began to, between the check above and the delivery's own
            throw new AlreadyToldException(alertId);
        }
        log.info("Alert {} of inquiry {} resent by an operator: {}", alertId, held.getInquiryId(), last.getOutcome());
        return last;
    }

    /**
     * The inquiry's alerts as every instance issued them: an operator's resend reaches any instance, and this one's own
     * book holds only the inquiries it owns. Before, a resend that reached the other instance was refused 409 as if the
     * alert were not held, about half the time with two instances.
     */
    private List<AlertIssued> issued(String inquiryId) {
        DecisionsElsewhere all = elsewhere.getIfAvailable();
        return all == null ? alerts.alertsOf(inquiryId) : all.alertsOf(inquiryId);
    }

    /** Records a held alert as delivered without sending it: the family confirmed they received it. */
    public AlertDeliveryAttempted markDelivered(String alertId, String operator) {
        AlertDeliveryAttempted delivered = settle(alertId, AuditAction.ALERT_MARKED_DELIVERED, false, held ->
                new Settlement(AlertDeliveryAttempted.newBuilder(held)
                        .setOutcome(DeliveryOutcome.DELIVERED)
                        .setFailureReason(CONFIRMED)
                        .setAttemptedAt(clock.instant())
                        .setDecidedBy(operator)
                        .build(), true, null));
        log.info("Alert {} of inquiry {} marked delivered by an operator", alertId, delivered.getInquiryId());
        return delivered;
    }

    /**
     * What a decision commits: the settling record, whether it is audited as the operator's action taking effect, and,
     * for a resend refused and recorded withheld, the refusal to answer once the record is committed (it counts and logs
     * the withheld alert first).
     */
    private record Settlement(AlertDeliveryAttempted record, boolean audited, Supplier<NotHeldException> refusal) {
    }

    /**
     * Checks the alert is known (the ledger read to its end: 404 before any transactional id is taken, so an unknown
     * alert id mints none on the broker), takes the transactional id of its person, waits until no transaction is
     * open on the ledger's topic and reads it again, checks the alert is held, and commits the record {@code settling}
     * makes of it, with the audit entry of {@code action}, in one transaction.
     *
     * @param orFailed whether an alert whose delivery FAILED may be settled too (a resend, not a mark: only the family
     *                 can say an alert arrived, and a failed one did not)
     * @return the committed record
     * @throws UnknownAlertException when no delivery of the alert is recorded
     * @throws NotHeldException when the alert is not held, or another instance settled it at the same moment; or a
     *                          resend was refused and the alert recorded withheld
     * @throws DeliveryLedger.LedgerInDoubtException when a transaction stayed open on the ledger's topic: nothing decided
     */
    private AlertDeliveryAttempted settle(String alertId, AuditAction action, boolean orFailed,
                                          Function<AlertDeliveryAttempted, Settlement> settling) {
        ProducerFactory<String, Object> factory = producers.getIfAvailable();
        // the settlement this decision tried to commit, for its answer when the commit was lost (see afterLostCommit)
        AtomicReference<Settlement> attempted = new AtomicReference<>();
        Function<KafkaTemplate<String, Object>, Settlement> decision = template -> {
            Settlement settlement = settling.apply(requireHeld(alertId, orFailed));
            attempted.set(settlement);
            AuditTrail trail = audit.writingWith(template);
            template.executeInTransaction(operations -> {
                if (settlement.audited()) {
                    trail.recorded(action, AuditSubject.ALERT, alertId, AuditOutcome.SUCCEEDED);
                }
                operations.send(Topics.ALERT_DELIVERIES.name(), DeliveryLedger.partition(settlement.record(), operations),
                        alertId, settlement.record());
                hook.ifAvailable(afterSend -> afterSend.afterSend(operations));
                return null;
            });
            return settlement;
        };
        // the ledger read first: the fence is the alert's person, which its recorded attempts name
        ledger.rebuild();
        if (ledger.latest(alertId).isEmpty()) {
            // Unknown: answered before any transactional id is taken. Before, every id an operator sent took
            // reunification-held-alert-<id> on the broker first, so any operator could mint ids without limit. Read to
            // the topic's end first (an attempt above an open transaction is not read otherwise), then answered 404.
            if (factory != null) {
                ledger.awaitStableEnd();
                ledger.rebuild();
            }
            if (ledger.latest(alertId).isEmpty()) {
                throw new UnknownAlertException(alertId);
            }
        }
        String fence = fenceOf(alertId);
        Settlement settled;
        // One decision of a person at a time on this instance as well (each would otherwise fence the other); only the
        // decision, not the delivery that follows it.
        synchronized (decisionLocks[Math.floorMod(fence.hashCode(), decisionLocks.length)]) {
            try {
                settled = factory == null ? decision.apply(kafka) : FencedTransactions.run(factory, fence, template -> {
                    // After taking the id, and before reading: a read stops below a transaction left open on the topic,
                    // and a claim another instance committed above it would not be seen (the family told twice).
                    ledger.awaitStableEnd();
                    return decision.apply(template);
                });
            } catch (RuntimeException lost) {
                if (!lostCommit(lost)) {
                    throw lost;
                }
                settled = afterLostCommit(alertId, orFailed, attempted.get(), settling);
            }
        }
        ledger.settled(settled.record());
        if (settled.refusal() != null) {
            throw settled.refusal().get();
        }
        return settled.record();
    }

    /** Whether the decision's transaction was taken from it (fenced, or ended by the coordinator) before its commit. */
    private static boolean lostCommit(Throwable failure) {
        if (FencedTransactions.isFencing(failure)) {
            return true;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidTxnStateException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The answer to a settlement whose transaction was fenced or ended before its commit: by another operator's
     * settlement of the same person on another instance, or by another instance's wait on the ledger because this one
     * stalled past {@code reunification.pairing.abandoned-after} (a write blocked during a broker's failover: the
     * decision was healthy). Which of them, and whether the commit went through after all (a commit whose answer was
     * lost), only the ledger says: it is read again, to its stable end. The settlement's own record there: it is
     * settled, answered as such. The alert still held: nothing was recorded, and the operator is told to try again
     * (503), never that another operator settled it (before, a 409 said so of every lost commit, and the operator
     * moved on while the alert stayed held and the family waited). Otherwise another settlement took it (409): the
     * alert itself, or another alert of the same person, after which this one would now be withheld (the same checks,
     * made again on the fresh read, nothing committed).
     */
    private Settlement afterLostCommit(String alertId, boolean orFailed, Settlement attempted,
                                       Function<AlertDeliveryAttempted, Settlement> settling) {
        ledger.awaitStableEnd();
        ledger.rebuild();
        Optional<AlertDeliveryAttempted> latest = ledger.latest(alertId);
        // Equal as read back: the topic keeps attemptedAt in milliseconds (timestamp-millis), and the generated setter
        // truncates the clock's finer instant to them when the record is built (HeldAlertsTest checks it on a clock
        // with microseconds); a record built another way must do the same, or its own commit reads as another's.
        if (attempted != null && latest.isPresent() && latest.get().equals(attempted.record())) {
            log.info("Settling alert {} lost its transaction's answer, but its record is on the ledger: it is settled", alertId);
            return attempted;
        }
        AlertDeliveryAttempted held;
        try {
            held = requireHeld(alertId, orFailed);
        } catch (NotHeldException settledElsewhere) {
            log.info("Settling alert {} lost to another settlement; nothing was recorded", alertId);
            throw new NotHeldException(alertId, "another operator settled it at the same moment");
        }
        Settlement now = settling.apply(held);
        if (now.refusal() != null) {
            log.info("Settling alert {} lost to another settlement of the same person; nothing was recorded", alertId);
            throw new NotHeldException("Alert " + alertId + " was not settled: another operator settled another alert "
                    + "of the same person at the same moment, and this one would now be withheld (the family has the news, "
                    + "or a later one); nothing was recorded or sent", (Throwable) null);
        }
        log.info("Settling alert {} lost its transaction before its commit (another settlement of the same person, or it "
                + "stalled and was ended as left open); nothing was recorded and the alert is still held", alertId);
        throw new SettlementLostException(alertId);
    }

    /**
     * The transactional id under which the alert's settlement is decided, the same on every instance: its person's (see
     * {@link #HELD_PERSON}), or the alert's own when its attempts name no person (recorded before v3).
     */
    String fenceOf(String alertId) {
        return ledger.latest(alertId).filter(attempt -> attempt.getPersonId() != null && attempt.getMilestone() != null)
                .map(attempt -> HELD_PERSON + personFence(attempt.getPersonId()))
                .orElse(HELD_ALERT + alertId);
    }

    /**
     * An opaque id of the person, the same on every instance: a name-based UUID, as alert ids are made. The person id
     * itself would be in the Kafka clients' log lines (a producer's client id is its transactional id), next to lines
     * naming the inquiry: together they say who looks for whom.
     */
    static String personFence(String personId) {
        byte[] id = personId.getBytes(StandardCharsets.UTF_8);
        return UUID.nameUUIDFromBytes(("held-person:" + id.length + ":" + personId).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * The transactional id of a settlement is this plus an opaque id of the person ({@link #personFence}): every alert
     * about the person, of every milestone, to whichever inquiry, is decided under one id. So two resends of a family's
     * two alerts of one news (or a resend and a mark) are never decided side by side, nor are two resends of one
     * family's "crossed the border" and "arrived" (under a fence per news both passed the check for a later milestone,
     * and the family could hear "arrived", then "crossed the border"). A family is found by its address, which is
     * contact data and no part of an id; two operators settling alerts about the same person for two families at the
     * same moment are rare, and the one fenced is answered 409 with nothing recorded, to resend again.
     */
    static final String HELD_PERSON = "reunification-held-person-";
    /** The transactional id of the settlement of an alert whose attempts name no person: this plus the alert id. */
    static final String HELD_ALERT = "reunification-held-alert-";

    /**
     * Whether a transactional id is a settlement's ({@link #HELD_PERSON}, {@link #HELD_ALERT}): shared by every
     * instance, so none ends it as its own (see {@link DeliveryLedger#awaitStableEnd}).
     */
    static boolean isSettlementFence(String transactionalId) {
        return transactionalId.startsWith(HELD_PERSON) || transactionalId.startsWith(HELD_ALERT);
    }
    private final Object[] decisionLocks = new Object[64];

    private AlertDeliveryAttempted requireHeld(String alertId, boolean orFailed) {
        ledger.rebuild();
        Optional<AlertDeliveryAttempted> latest = ledger.latest(alertId);
        if (latest.isEmpty()) {
            throw new UnknownAlertException(alertId);
        }
        if (!(ledger.isHeld(alertId) || (orFailed && (ledger.isFailed(alertId) || ledger.isWithheldAsAlreadyTold(alertId))))) {
            throw new NotHeldException(alertId);
        }
        return latest.get();
    }

    /**
     * The alert's family already heard a later milestone of the same person (delivered, or it may have been): this one
     * is not sent, and is recorded withheld ({@link AlertDelivery#SUPERSEDED}). A 409, as for an alert not held.
     */
    public static class SupersededException extends NotHeldException {
        SupersededException(AlertIssued alert, Milestone later) {
            super(alert.getAlertId(), alert.getMilestone(), later);
        }
    }

    /**
     * The alert was withheld because its news reached the family's address through another of their inquiries, and that
     * one still delivered it, is sending it, or may have (held with an unknown outcome): settle that alert first. Which
     * inquiry is not said (see {@link AlertDelivery#ALREADY_TOLD}). A 409, as for an alert not held.
     */
    public static class AlreadyToldException extends NotHeldException {
        AlreadyToldException(String alertId) {
            super("Alert " + alertId + " was not sent: the same news reached this address through another inquiry of the "
                    + "family, or may have (delivered, held with an unknown outcome, or claimed for sending there before "
                    + "this one), and is not sent twice; it can be resent once that inquiry's alert failed, or the inquiry "
                    + "was withdrawn before its alert reached them", (Throwable) null);
        }
    }

    /**
     * The settlement's transaction was taken from it before its commit, and the ledger read again shows the alert still
     * held: nothing was recorded or sent, and the same request can be made again (503 with Retry-After).
     */
    public static class SettlementLostException extends RuntimeException {
        SettlementLostException(String alertId) {
            super("Alert " + alertId + " is still held: this resend or mark lost its write to another settlement of the same "
                    + "person, or to a broker's failover, before it was recorded; nothing was recorded or sent, try again");
        }
    }

    /** No delivery of the alert is recorded: an unknown id, or an alert delivery has not reached yet. */
    public static class UnknownAlertException extends RuntimeException {
        UnknownAlertException(String alertId) {
            super("No delivery of alert " + alertId + " is recorded: no such alert, or delivery has not reached it yet");
        }
    }

    /** The alert is not held for an operator (nor, for a resend, failed): nothing to resend or mark. */
    public static class NotHeldException extends RuntimeException {
        NotHeldException(String alertId) {
            super("Alert " + alertId + " is neither held for an operator nor failed (it was delivered, is being delivered, its "
                    + "inquiry was withdrawn, its contact erased, its match fell, or a later milestone went out)");
        }

        NotHeldException(String alertId, Milestone milestone, Milestone later) {
            super("Alert " + alertId + " (" + milestone + ") was not sent: a later milestone of the same inquiry and person"
                    + (later == null ? "" : " (" + later + ")") + " was already delivered, or may have been, and this one "
                    + "would announce older news after it; it is recorded as withheld and cannot be resent");
        }

        NotHeldException(String message, Throwable cause) {
            super(message, cause);
        }

        NotHeldException(String alertId, String why) {
            super("Alert " + alertId + " is not held for an operator any more: " + why + "; nothing was recorded or sent");
        }
    }
}
