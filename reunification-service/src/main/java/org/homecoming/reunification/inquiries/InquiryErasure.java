package org.homecoming.reunification.inquiries;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.reunification.contactkeys.ContactKeyVault;
import org.homecoming.reunification.contactkeys.ContactKeyVault.AuditPending;
import org.homecoming.reunification.inquiries.ContactDataErasures.Reason;
import org.homecoming.reunification.inquiries.InquiryFence.InquiryChangedException;
import org.homecoming.reunification.inquiries.InquiryService.InquiryNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Service;

/**
 * Erases an inquiry by crypto-shredding: its data key is destroyed (durably), so its contact data cannot be read from
 * any copy of the topic — live, in an old log segment or in a backup — and then, if it is still open, it is withdrawn
 * with a tombstone so every instance and every listener stops using it (matching retracts it, no alert is issued,
 * delivery finds it withdrawn). Key before tombstone: if the tombstone failed, the data would already be unreadable and
 * delivery would still send nothing.
 *
 * <p>Every erasure is done and every erasure is audited. The key lives in a file, so it cannot be destroyed in the
 * audit entry's ({@code ERASED}) Kafka transaction. The key is destroyed first, and its erasure marker notes the entry
 * as owed ({@link ContactKeyVault.AuditPending}), in one durable write; then the entry is written (with the tombstone
 * when the inquiry is open) and the note cleared. An entry that cannot be written (the broker away, the instance
 * killed) stays owed: its caller is told it failed (the audit trail's 503), the erasure itself is done, and the next
 * erasure of it or the retention sweep writes the entry, under the principal and reason noted. Before, either the key
 * was destroyed first and a failed entry was never written (a retry found the key gone), or the entry was committed
 * first and a crash left an audited erasure undone, with the contact data readable and alerts still sent, until the
 * retention period ended. An erasure whose entry is written records nothing more when erased again.
 */
@Service
public class InquiryErasure {

    private static final Logger log = LoggerFactory.getLogger(InquiryErasure.class);

    private final InquiryService inquiries;
    private final InquiryFence fence;
    private final ContactKeyVault vault;
    private final ContactDataErasures audit;
    private final Clock clock;

    InquiryErasure(InquiryService inquiries, ContactKeyVault vault, ObjectProvider<ContactDataErasures> audit, Clock clock) {
        this.inquiries = inquiries;
        this.fence = inquiries.fence();
        this.vault = vault;
        this.audit = audit.getIfAvailable(() -> ContactDataErasures.NOT_RECORDED);
        this.clock = clock;
    }

    /** Erases the inquiry; erasing it again changes nothing. An id the service never knew is not found. */
    public void erase(String inquiryId, String erasedBy, Reason reason) {
        eraseIf(inquiryId, erasedBy, reason, inquiry -> true);
    }

    /**
     * Erases the inquiry if, once this instance has read the latest of it, it is withdrawn or {@code stillDue} holds for
     * it as it is then: the retention sweep decides on its own view, and the family may have renewed the inquiry
     * through another instance a moment ago. Returns whether it was erased (or had been).
     *
     * <p>Decided under the inquiry's fence ({@link InquiryFence}), like every write of it: a change another instance
     * commits at the same moment is either read before the check or fenced before its commit, so none lands after the
     * tombstone. When this erasure is the one fenced (the key may be destroyed already, the tombstone not written) it
     * is decided again, a bounded number of times: the relative asked to be forgotten, and a change of the inquiry
     * does not undo that.
     *
     * <p>A withdrawn inquiry is erased without its fence: it stays withdrawn for good, and its erasure writes nothing of
     * it (only its key is destroyed, and the erasure put on the audit trail), so there is no write of it to order.
     * Before, the retention sweep took the fence of every withdrawn inquiry whose time was up.
     */
    public boolean eraseIf(String inquiryId, String erasedBy, Reason reason, Predicate<InquiryRegistered> stillDue) {
        if (inquiries.isWithdrawn(inquiryId)) {
            eraseWithdrawn(inquiryId, erasedBy, reason);
            return true;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return fence.decideExisting(inquiryId, this::knows,
                        template -> erase(inquiryId, erasedBy, reason, stillDue, template));
            } catch (InquiryChangedException | InquiryService.InquiryViewBehindException lost) {
                // a lost race is often followed by a view a moment behind the winner's write: both are decided again
                if (attempt >= ATTEMPTS) {
                    throw lost;
                }
                log.info("Erasure of inquiry {} met a write of it on another instance; deciding it again", inquiryId);
                pauseBeforeAttempt(attempt);
            }
        }
    }

    /** Known here: as an inquiry (open, withdrawn, erased), or by its data key alone (its registration never read). */
    private boolean knows(String inquiryId) {
        return inquiries.knows(inquiryId) || vault.holdsKey(inquiryId) || vault.isErased(inquiryId);
    }

    private void eraseWithdrawn(String inquiryId, String erasedBy, Reason reason) {
        // destroyed again when erased before: that deletes a key file an earlier destroy left behind (see the vault)
        if (vault.destroy(inquiryId, clock.instant(), owed(inquiryId, erasedBy, reason))) {
            log.info("Inquiry {} erased ({}): its data key is destroyed", inquiryId, reason);
        }
        recordOwedEntry(inquiryId);
    }

    /**
     * Writes the erasure's audit entry if it is still owed (see above), on its own: an inquiry with no tombstone to
     * write. In the inquiry's turn on this instance ({@link InquiryFence#inTurn}), which an erasure of it holds through
     * its tombstone's commit (it writes under the fence), so that the sweep and a request finishing the same erasure
     * write one entry. The turn is the inquiry's alone: before, this instance's monitor was taken, and one commit
     * stalled on the broker (a failover, up to the producer's {@code max.block.ms} and delivery timeout) held every
     * other family's erasure and the retention sweep behind it.
     *
     * @throws InquiryFence.InquiryBusyException when an erasure of the same inquiry held its turn for
     *                                           {@link InquiryFence#LOCK_WAIT}: the entry stays owed (that erasure or
     *                                           the next sweep writes it)
     */
    void recordOwedEntry(String inquiryId) {
        fence.inTurn(inquiryId, () -> {
            Optional<AuditPending> owed = vault.auditPending(inquiryId);
            if (owed.isPresent()) {
                audit.contactDataErased(inquiryId, owed.get().erasedBy(), Reason.valueOf(owed.get().reason()));
                vault.auditRecorded(inquiryId);
            }
        });
    }

    /**
     * Writes the audit entries still owed for erasures whose inquiry is on no open record (withdrawn, compacted away or
     * never registered): the retention sweep's part, after a crash or an audit trail away. An open inquiry's owed entry
     * is written with its tombstone ({@link ContactDataRetention} finishes those).
     */
    void recordOwedEntries() {
        for (AuditPending owed : vault.auditsPending()) {
            if (Thread.currentThread().isInterrupted()) {
                // the service is stopping: the rest stays owed for the next start's sweep
                break;
            }
            if (inquiries.find(owed.inquiryId()).isPresent()) {
                continue;
            }
            try {
                recordOwedEntry(owed.inquiryId());
            } catch (RuntimeException e) {
                log.warn("The audit entry of the erasure of inquiry {} is not written yet ({}); the next sweep tries again",
                        owed.inquiryId(), e.getClass().getSimpleName());
            }
        }
    }

    private static AuditPending owed(String inquiryId, String erasedBy, Reason reason) {
        return new AuditPending(inquiryId, erasedBy, reason.name());
    }

    /** Whether the inquiry's data key is destroyed (its erasure done, its audit entry written or owed). */
    boolean keyDestroyed(String inquiryId) {
        return vault.isErased(inquiryId);
    }

    /** How many times an erasure is decided before a caller is told it kept meeting other writes of the inquiry. */
    static final int ATTEMPTS = 3;

    /** A growing, jittered pause: two instances' sweeps erasing the same inquiry at once must not fence each other again. */
    private static void pauseBeforeAttempt(int attempt) {
        try {
            TimeUnit.MILLISECONDS.sleep(100L * attempt + ThreadLocalRandom.current().nextLong(200));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean erase(String inquiryId, String erasedBy, Reason reason, Predicate<InquiryRegistered> stillDue,
                          KafkaTemplate<String, Object> template) {
        // on a view behind the topic an inquiry registered elsewhere looks unknown or closed: its key would be
        // destroyed and its record left open on the topic, without the tombstone that stops matching. The fence has
        // waited for this instance to read the inquiry to its end.
        Optional<InquiryRegistered> current = inquiries.find(inquiryId);
        // once the key is destroyed the erasure is under way (an earlier attempt was fenced): it ends with the tombstone
        if (current.isPresent() && !vault.isErased(inquiryId) && !stillDue.test(current.get())) {
            return false;
        }
        boolean open = current.isPresent();
        if (!open && !inquiries.isWithdrawn(inquiryId) && !vault.holdsKey(inquiryId) && !vault.isErased(inquiryId)) {
            throw new InquiryNotFoundException(inquiryId);
        }
        // The key first, with its entry noted as owed (see above); destroyed again when erased before, which deletes a
        // key file an earlier destroy left behind.
        boolean erasedNow = vault.destroy(inquiryId, clock.instant(), owed(inquiryId, erasedBy, reason));
        boolean erasedBefore = !erasedNow;
        // Still in the inquiry's turn on this instance (taken by the fence's decide), as recordOwedEntry is: the sweep
        // does not write the entry again between this commit and the note cleared. Another inquiry's erasure, and the
        // sweep's entries of other inquiries, do not wait for this commit.
        recordOwed(inquiryId, erasedBy, reason, open, template);
        if (erasedNow || (open && erasedBefore)) {
            log.info("Inquiry {} erased ({}): its data key is destroyed", inquiryId, reason);
        }
        return true;
    }

    private void recordOwed(String inquiryId, String erasedBy, Reason reason, boolean open, KafkaTemplate<String, Object> template) {
        Optional<AuditPending> owed = vault.auditPending(inquiryId);
        if (open) {
            // The owed entry commits with the tombstone, under the fence: fenced, neither is written and the next attempt
            // writes both. A key destroyed with no entry owed and its inquiry still open was destroyed by the code before
            // entries were noted as owed, whose entry may never have been written: recorded with the tombstone.
            boolean committed = inquiries.tombstone(inquiryId, template, owed
                    .<Runnable>map(entry -> () -> audit.contactDataErased(inquiryId, entry.erasedBy(), Reason.valueOf(entry.reason()), template))
                    .orElse(() -> audit.contactDataErased(inquiryId, erasedBy, reason, template)));
            if (committed) {
                owed.ifPresent(entry -> vault.auditRecorded(inquiryId));
                return;
            }
            // Withdrawn meanwhile (another instance's withdrawal, read once the tombstone looked again): no tombstone
            // was written, so neither was the entry it was to carry. It is written on its own, as for any withdrawn
            // inquiry. Before, the note was cleared all the same and the request answered 204: erased, never audited.
        }
        if (owed.isPresent()) {
            template.executeInTransaction(operations -> {
                audit.contactDataErased(inquiryId, owed.get().erasedBy(), Reason.valueOf(owed.get().reason()), template);
                return null;
            });
            // only once a commit carried the entry: a note cleared before would leave the erasure unaudited for good
            vault.auditRecorded(inquiryId);
        }
    }
}
