package org.homecoming.platform.audit;

import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditEventRecorded;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Records on {@code audit.events} what a caller did: read personal data, decided, published, withdrew, erased,
 * acknowledged. Who is the signed-in principal of the current request (the name the token's principal claim gives,
 * see {@code TokenClaims}), or {@value #SYSTEM} when the service acts on its own; when is the service's clock.
 *
 * <p>An entry is never lost quietly. Inside a Kafka transaction of the service (a list publication, a caseworker's
 * decision) it is written in that transaction, so it commits or aborts with the action it records. Otherwise it is
 * sent with the service's idempotent producer and this call returns only once the broker has it; if it cannot be
 * written the call throws, so a caller records before it hands personal data out: no audit entry, no data.
 *
 * <p>Entries carry ids, roles and principal names only. {@code detail} is for a count, a status or a version;
 * never a name or a contact channel.
 */
public class AuditTrail {

    /** The principal of what the service does on its own, with no caller. */
    public static final String SYSTEM = "system";
    private static final long SEND_TIMEOUT_SECONDS = 30;

    private final KafkaTemplate<String, Object> kafka;
    private final Clock clock;
    private final String service;

    public AuditTrail(KafkaTemplate<String, Object> kafka, Clock clock, String service) {
        this.kafka = kafka;
        this.clock = clock;
        this.service = service;
    }

    /**
     * The same trail writing with another (transactional) template, so that entries written inside that template's
     * transactions commit with them: a service whose decisions have their own transactional ids (FencedTransactions).
     */
    public AuditTrail writingWith(KafkaTemplate<String, Object> template) {
        return new AuditTrail(template, clock, service);
    }

    public void recorded(AuditAction action, AuditSubject subject, String subjectId, AuditOutcome outcome) {
        recorded(action, subject, subjectId, outcome, null);
    }

    /**
     * @param detail a short non-personal note (a count, a status, a version), or null
     * @throws AuditUnavailableException when the entry could not be written
     */
    public void recorded(AuditAction action, AuditSubject subject, String subjectId, AuditOutcome outcome, String detail) {
        recordedAs(principal(), action, subject, subjectId, outcome, detail);
    }

    /**
     * As {@link #recorded(AuditAction, AuditSubject, String, AuditOutcome, String)}, under {@code principal} instead of
     * the current caller: for an entry of an action taken earlier for someone else, and written only now (an erasure
     * whose entry was owed, written by another operator's request or by a sweep that has no caller). The entry must name
     * who acted, not whoever finished writing it. {@code principal} must come from a token (kept since), never from a
     * request's body.
     *
     * @throws AuditUnavailableException when the entry could not be written
     */
    public void recordedAs(String principal, AuditAction action, AuditSubject subject, String subjectId,
                           AuditOutcome outcome, String detail) {
        AuditEventRecorded event = AuditEventRecorded.newBuilder()
                .setAuditId(UUID.randomUUID().toString())
                .setAction(action)
                .setPrincipal(principal == null || principal.isBlank() ? SYSTEM : principal)
                .setRecordedAt(clock.instant())
                .setService(service)
                .setSubjectKind(subject)
                .setSubjectId(subjectId)
                .setOutcome(outcome)
                .setDetail(detail)
                .build();
        ProducerRecord<String, Object> record = new ProducerRecord<>(Topics.AUDIT_EVENTS.name(), subjectId, event);
        try {
            if (kafka.isTransactional() && kafka.inTransaction()) {
                // The caller's transaction: the entry commits, or aborts, with what it records.
                kafka.send(record);
            } else if (kafka.isTransactional()) {
                // A transactional producer sends nothing outside a transaction; the commit waits for the broker.
                kafka.executeInTransaction(operations -> operations.send(record));
            } else {
                kafka.send(record).get(SEND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditUnavailableException(action, e);
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new AuditUnavailableException(action, e);
        }
    }

    /** Who acts now: the caller's name as its authentication gives it, or {@value #SYSTEM} when there is none. */
    static String principal() {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (caller == null || caller.getName() == null || caller.getName().isBlank()) {
            return SYSTEM;
        }
        return caller.getName();
    }

    /** The audit entry of an action could not be written; the action must not count as done. */
    public static class AuditUnavailableException extends RuntimeException {
        public AuditUnavailableException(AuditAction action, Throwable cause) {
            super("The audit trail did not take the entry of " + action + ": " + cause, cause);
        }
    }
}
