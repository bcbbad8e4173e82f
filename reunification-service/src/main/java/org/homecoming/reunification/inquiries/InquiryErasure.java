package org.homecoming.reunification.inquiries;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.reunification.contactkeys.ContactKeyVault;
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
 * <p>The erasure's audit entry ({@code ERASED}) is committed before the key is destroyed. The key lives in a file, so
 * it cannot be destroyed in the entry's Kafka transaction; and destroyed first, an entry that then failed (the broker
 * away, the instance killed) was never written, because a retry found the key gone and had nothing left to do: an
 * erasure without an audit entry. Entry first, a crash in between leaves an entry for an erasure that did not happen
 * yet (its caller was told it failed, and it is done, with an entry again, on the next try); never an erasure without
 * one. A key found destroyed was recorded when it was destroyed, so erasing again records nothing more.
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
        // whether an attempt of this call committed the entry: one fenced after destroying the key does not record the
        // same erasure again with the tombstone the next attempt writes
        AtomicBoolean recorded = new AtomicBoolean();
        for (int attempt = 1; ; attempt++) {
            try {
                return fence.decideExisting(inquiryId, this::knows,
                        template -> erase(inquiryId, erasedBy, reason, stillDue, template, recorded));
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
        if (vault.isErased(inquiryId)) {
            return;
        }
        // the entry first (see above): if it cannot be written, this throws and the key stays, to be erased again
        audit.contactDataErased(inquiryId, erasedBy, reason);
        if (vault.destroy(inquiryId, clock.instant())) {
            log.info("Inquiry {} erased ({}): its data key is destroyed", inquiryId, reason);
        }
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
                          KafkaTemplate<String, Object> template, AtomicBoolean recorded) {
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
        boolean erasedBefore = vault.isErased(inquiryId);
        boolean erasedNow = false;
        if (!erasedBefore) {
            // The entry is committed before the key is destroyed (see above), under the fence: if another instance
            // took it meanwhile, neither is done and the erasure is decided again.
            template.executeInTransaction(operations -> {
                audit.contactDataErased(inquiryId, erasedBy, reason, template);
                return null;
            });
            recorded.set(true);
            erasedNow = vault.destroy(inquiryId, clock.instant());
        }
        if (open) {
            // A tombstone that finishes an erasure whose key was destroyed before this call (the sweep's COMPLETED, or a
            // request made again) is recorded with it; one whose entry this call committed is not recorded twice.
            inquiries.tombstone(inquiryId, template, recorded.get() ? () -> { }
                    : () -> audit.contactDataErased(inquiryId, erasedBy, reason, template));
        }
        if (erasedNow || (open && erasedBefore)) {
            log.info("Inquiry {} erased ({}): its data key is destroyed", inquiryId, reason);
        }
        return true;
    }
}
