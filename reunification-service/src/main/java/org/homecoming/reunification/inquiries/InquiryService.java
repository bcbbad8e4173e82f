package org.homecoming.reunification.inquiries;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.homecoming.catalogue.Topics;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.events.reunification.Relative;
import org.homecoming.events.reunification.SoughtPerson;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.web.InvalidRequestException;
import org.homecoming.platform.web.Violation;
import org.homecoming.reunification.contactkeys.ContactKeyVault;
import org.homecoming.reunification.contactkeys.ContactSeal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.context.annotation.Primary;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Service;

/**
 * Registers, updates and withdraws inquiries. Each change is one record on the compacted inquiries topic, written in
 * its own Kafka transaction under the inquiry's transactional id ({@link InquiryFence}): the check of the inquiry's
 * state and the write are one step across the instances, so no change lands after a withdrawal or erasure that another
 * instance committed a moment earlier. Matching reacts to a change when it reads the topic, and only then is it in the
 * {@link InquiryBook}. Until then this service remembers what it wrote, so a re-sent request, an update or a
 * withdrawal takes effect at once. Logs carry inquiry ids only.
 *
 * <p>The writes of one inquiry take turns under its fence, so nothing here is locked across inquiries: a write that
 * waits for the broker holds up no other inquiry's write on this instance.
 */
@Service
@Primary
public class InquiryService implements InquiryLookup {

    private static final Logger log = LoggerFactory.getLogger(InquiryService.class);

    private final InquiryFence fence;
    private final InquiryBook book;
    private final Clock clock;
    private final ContactSeal contacts;
    private final AuditTrail audit;
    /** Records this service committed that the book has not applied yet (a tombstone is held as null). */
    private final Map<String, Optional<InquiryRegistered>> unread = new ConcurrentHashMap<>();

    @Autowired
    InquiryService(InquiryFence fence, InquiryBook book, Clock clock, ContactSeal contacts, AuditTrail audit) {
        this.fence = fence;
        this.audit = audit;
        this.book = book;
        this.clock = clock;
        this.contacts = contacts;
    }

    /** One instance's service, with no other instance writing the topic (tests). */
    InquiryService(KafkaTemplate<String, Object> kafka, InquiryBook book, Clock clock, ContactSeal contacts, AuditTrail audit) {
        this(InquiryFence.alone(kafka, new StaticListableBeanFactory().getBeanProvider(InquiryReads.class)), book, clock,
                contacts, audit);
    }

    /** An inquiry's id and revision after a request, and whether the request created or changed anything. */
    public record Registration(String inquiryId, int revision, boolean changed) {
    }

    /**
     * Registers an inquiry. Its id is derived from the client's idempotency key or, without one, from its content, so a
     * re-sent request finds the inquiry it created and publishes nothing; keyed by the contact-key KEK
     * ({@link ContactSeal#inquiryId}), so an id does not let anyone confirm a guess of a family's data.
     */
    public Registration register(String idempotencyKey, InquiryForm form) {
        validate(form);
        Relative relative = form.toRelative();
        // An age makes a birth year that moves with the calendar: the id comes from the form as sent, with an age counted
        // from a fixed year, so the same request re-sent after New Year finds its inquiry instead of making a second one.
        String inquiryId = idempotencyKey == null || idempotencyKey.isBlank()
                ? contacts.inquiryId("content|" + form.toSought(AGES_FOR_IDS) + "|" + relative)
                : contacts.inquiryId("key|" + idempotencyKey.trim());
        return fence.decide(inquiryId, template -> register(inquiryId, form, relative, template));
    }

    /** The year an age is counted from in a content-derived id: any fixed year does. */
    private static final Clock AGES_FOR_IDS = Clock.fixed(Instant.parse("2000-07-01T00:00:00Z"), ZoneOffset.UTC);

    /**
     * The sought person of the form, an age counted from the year the inquiry was registered (now, for a new one): the
     * same form sent again a year later is the same inquiry, not a correction. Before, it moved the birth year by one,
     * which counted as a correction of the sought person and reopened a pair a caseworker had rejected.
     */
    private SoughtPerson sought(InquiryForm form, Optional<InquiryRegistered> known) {
        return form.toSought(known.map(inquiry -> Clock.fixed(inquiry.getRegisteredAt(), ZoneOffset.UTC)).orElse(clock));
    }

    private Registration register(String inquiryId, InquiryForm form, Relative relative,
                                  KafkaTemplate<String, Object> template) {
        forgetWhatTheBookHas();
        // the key's note outlasts the tombstone: after compaction and a restart the topic no longer says it was withdrawn
        if (isWithdrawn(inquiryId) || contacts.isErased(inquiryId) || contacts.isClosed(inquiryId)) {
            throw new InquiryConflictException("This inquiry was withdrawn; register it again with a new Idempotency-Key");
        }
        Optional<InquiryRegistered> known = find(inquiryId);
        SoughtPerson sought = sought(form, known);
        if (known.isPresent()) {
            if (sameContent(known.get(), sought, relative)) {
                return new Registration(inquiryId, known.get().getRevision(), false);
            }
            throw new InquiryConflictException("The Idempotency-Key was already used for a different inquiry");
        }
        Instant now = clock.instant();
        InquiryRegistered inquiry = new InquiryRegistered(inquiryId, 1, sought, relative, now, now, 1);
        publish(inquiryId, inquiry, AuditAction.INQUIRY_REGISTERED, template);
        log.info("Inquiry {} registered", inquiryId);
        return new Registration(inquiryId, 1, true);
    }

    /** Replaces the sought person and the relative's details; the revision goes up by one and matching runs again. */
    public Registration update(String inquiryId, InquiryForm form) {
        validate(form);
        return fence.decideExisting(inquiryId, this::knows, template -> replace(inquiryId, form, template));
    }

    private Registration replace(String inquiryId, InquiryForm form, KafkaTemplate<String, Object> template) {
        forgetWhatTheBookHas();
        InquiryRegistered known = openInquiry(inquiryId);
        if (contacts.isErased(inquiryId)) {
            // erased on another instance a moment ago, its tombstone not written yet: a change would be sealed with no key
            throw new InquiryConflictException("Inquiry " + inquiryId + " was erased");
        }
        SoughtPerson sought = sought(form, Optional.of(known));
        Relative relative = form.toRelative();
        if (sameContent(known, sought, relative)) {
            return new Registration(inquiryId, known.getRevision(), false);
        }
        int revision = known.getRevision() + 1;
        // Matching decides pairs on the sought person's revision: a relative who corrects only an e-mail or a phone
        // number must not undo a caseworker's rejection (the matcher would propose, even auto-match, the man she ruled
        // out) nor send a confirmation back to review.
        int soughtRevision = sought.equals(known.getSought()) ? InquiryBook.soughtRevision(known) : revision;
        publish(inquiryId, new InquiryRegistered(inquiryId, revision, sought, relative, known.getRegisteredAt(), clock.instant(),
                        soughtRevision),
                AuditAction.INQUIRY_UPDATED, template);
        log.info("Inquiry {} updated to revision {}", inquiryId, revision);
        return new Registration(inquiryId, revision, true);
    }

    /**
     * Renews an open inquiry: the family, asked by the hotline, still searches. Re-published as it is, under the same
     * revision (matching has seen it and does not run again), with {@code updatedAt} now, from which the retention's
     * time runs again ({@link ContactDataRetention}). Audited like a change.
     *
     * @return the inquiry as renewed (its contact data sealed)
     * @throws InquiryConflictException if the inquiry was withdrawn or its contact data erased: there is nothing to keep
     */
    public InquiryRegistered renew(String inquiryId) {
        return fence.decideExisting(inquiryId, this::knows, template -> renewed(inquiryId, template));
    }

    private InquiryRegistered renewed(String inquiryId, KafkaTemplate<String, Object> template) {
        forgetWhatTheBookHas();
        InquiryRegistered known = openInquiry(inquiryId);
        InquiryRegistered open = contacts.open(known).orElseThrow(() -> new InquiryConflictException(
                "Inquiry " + inquiryId + " has its contact data erased: there is nothing to keep"));
        InquiryRegistered renewal = InquiryRegistered.newBuilder(open).setUpdatedAt(clock.instant()).build();
        // what was sealed and committed, not looked up again: another inquiry's write may have forgotten it since
        // (the book had read it), and the renewal, committed, was answered 500
        InquiryRegistered renewed = publish(inquiryId, renewal, AuditAction.INQUIRY_UPDATED,
                "renewed, revision " + renewal.getRevision(), template);
        log.info("Inquiry {} renewed", inquiryId);
        return renewed;
    }

    /** Withdraws an inquiry: a tombstone on the compacted topic. No alert follows, even one already issued. */
    public void withdraw(String inquiryId) {
        fence.decideExisting(inquiryId, this::knows, template -> {
            tombstone(inquiryId, template);
            return null;
        });
    }

    /**
     * Withdraws the inquiry through {@code template}, which holds the inquiry's fence ({@link InquiryFence#decide}):
     * also the last step of an erasure, decided under the same fence.
     */
    void tombstone(String inquiryId, KafkaTemplate<String, Object> template) {
        tombstone(inquiryId, template, () -> {
        });
    }

    /**
     * The tombstone, with {@code alongside} writing through {@code template} in the same transaction. Returns whether
     * that transaction committed: false when the inquiry was withdrawn already (on another instance a moment ago, or
     * before), and then nothing was written, {@code alongside} neither. A caller whose {@code alongside} must be written
     * (an erasure's audit entry) writes it on its own then.
     */
    boolean tombstone(String inquiryId, KafkaTemplate<String, Object> template, Runnable alongside) {
        forgetWhatTheBookHas();
        if (isWithdrawn(inquiryId)) {
            return false;
        }
        openInquiry(inquiryId);
        AuditTrail trail = trail(template);
        // The tombstone and its audit entry in one transaction: neither is written without the other.
        template.executeInTransaction(operations -> {
            var sent = operations.send(Topics.INQUIRIES.name(), inquiryId, null);
            trail.recorded(AuditAction.INQUIRY_WITHDRAWN, AuditSubject.INQUIRY, inquiryId, AuditOutcome.SUCCEEDED);
            alongside.run();
            return sent;
        }).join();
        unread.put(inquiryId, Optional.empty());
        contacts.closed(inquiryId, clock.instant());
        log.info("Inquiry {} withdrawn", inquiryId);
        return true;
    }

    @Override
    public boolean isErased(String inquiryId) {
        return contacts.isErased(inquiryId);
    }

    /** The fence every write of an inquiry is decided under. */
    InquiryFence fence() {
        return fence;
    }

    /** The inquiry as this service last wrote it or, once read back, as the book holds it. */
    @Override
    public Optional<InquiryRegistered> find(String inquiryId) {
        if (isWithdrawn(inquiryId)) {
            return Optional.empty();
        }
        Optional<InquiryRegistered> booked = book.find(inquiryId);
        Optional<InquiryRegistered> written = unread.get(inquiryId);
        if (written == null || written.isEmpty() || (booked.isPresent() && hasRead(booked.get(), written.get()))) {
            return booked;
        }
        return written;
    }

    /**
     * Whether this instance knows the inquiry at all: open, withdrawn or erased (the note on its key outlasts the
     * tombstone). Once known, known for good; a write of an unknown one is answered 404 without taking its fence.
     */
    boolean knows(String inquiryId) {
        return isWithdrawn(inquiryId) || find(inquiryId).isPresent() || contacts.isErased(inquiryId)
                || contacts.isClosed(inquiryId);
    }

    /** Withdrawn on the topic, or by this service a moment ago: from then on nothing is sent for it. */
    @Override
    public boolean isWithdrawn(String inquiryId) {
        if (book.isWithdrawn(inquiryId)) {
            return true;
        }
        Optional<InquiryRegistered> written = unread.get(inquiryId);
        return written != null && written.isEmpty();
    }

    /** Keeps the memory of unread writes small: the book has applied most of them by the next request. */
    private void forgetWhatTheBookHas() {
        unread.entrySet().removeIf(entry -> book.isWithdrawn(entry.getKey()) || (entry.getValue().isPresent()
                && book.find(entry.getKey()).map(booked -> hasRead(booked, entry.getValue().get())).orElse(false)));
    }

    /**
     * Whether the book holds {@code written} or something newer: a later revision, or the same one renewed as late
     * (a renewal keeps the revision and moves {@code updatedAt}).
     */
    private static boolean hasRead(InquiryRegistered booked, InquiryRegistered written) {
        return booked.getRevision() > written.getRevision() || (booked.getRevision() == written.getRevision()
                && !booked.getUpdatedAt().isBefore(written.getUpdatedAt()));
    }

    private InquiryRegistered openInquiry(String inquiryId) {
        if (isWithdrawn(inquiryId)) {
            throw new InquiryConflictException("Inquiry " + inquiryId + " was withdrawn");
        }
        return find(inquiryId).orElseThrow(() -> new InquiryNotFoundException(inquiryId));
    }

    private void validate(InquiryForm form) {
        List<Violation> violations = form == null ? List.of(Violation.of("body", "is required")) : form.violations(clock);
        if (!violations.isEmpty()) {
            throw new InvalidRequestException("The inquiry has " + violations.size() + " problem(s)", violations);
        }
    }

    /**
     * Re-publishes an inquiry written before contact data was sealed, sealed, under the same revision (matching has
     * seen that revision and does not run again). Returns whether it published anything. Under the inquiry's fence, like
     * a change: a re-publication that landed after another instance's tombstone would bring the withdrawn inquiry back.
     * One this instance cannot decide now (its view behind, or another write of the inquiry at the same moment) is left
     * for the next sweep.
     */
    public boolean sealPlaintext(String inquiryId) {
        try {
            return fence.decide(inquiryId, template -> sealPlaintext(inquiryId, template));
        } catch (InquiryViewBehindException | InquiryFence.InquiryChangedException notNow) {
            log.info("Inquiry {}: its contact data is re-published sealed at the next sweep ({})", inquiryId,
                    notNow.getClass().getSimpleName());
            return false;
        }
    }

    private boolean sealPlaintext(String inquiryId, KafkaTemplate<String, Object> template) {
        Optional<InquiryRegistered> known = find(inquiryId);
        Optional<InquiryRegistered> written = unread.getOrDefault(inquiryId, Optional.empty());
        boolean sealedAlready = written.isPresent() && written.get().getRelative().getSealed() != null; // not read back yet
        if (known.isEmpty() || known.get().getRelative().getSealed() != null || sealedAlready || contacts.isErased(inquiryId)) {
            return false;
        }
        publish(inquiryId, known.get(), AuditAction.INQUIRY_UPDATED, template);
        log.info("Inquiry {}: contact data written in plaintext re-published sealed", inquiryId);
        return true;
    }

    /**
     * Publishes the inquiry with its relative's contact data sealed (plaintext never reaches Kafka), and its audit entry
     * in the same transaction: who registered or changed it (above all a relative's contact,
     * to which the next alert goes) is on the trail whenever the change is on the topic, and never otherwise.
     */
    private void publish(String inquiryId, InquiryRegistered plain, AuditAction action, KafkaTemplate<String, Object> template) {
        publish(inquiryId, plain, action, "revision " + plain.getRevision(), template);
    }

    /** @return the inquiry as committed, its contact data sealed */
    private InquiryRegistered publish(String inquiryId, InquiryRegistered plain, AuditAction action, String detail,
                                      KafkaTemplate<String, Object> template) {
        InquiryRegistered inquiry;
        try {
            inquiry = contacts.seal(plain);
        } catch (ContactKeyVault.ErasedException erased) {
            // erased on another instance between this check and the sealing (the vault is shared): nothing to keep
            throw new InquiryConflictException("Inquiry " + inquiryId + " was erased");
        }
        AuditTrail trail = trail(template);
        // join(): the answer is sent only once the record is committed, so a 201 means the inquiry is durable.
        template.executeInTransaction(operations -> {
            var sent = operations.send(Topics.INQUIRIES.name(), inquiryId, inquiry);
            trail.recorded(action, AuditSubject.INQUIRY, inquiryId, AuditOutcome.SUCCEEDED, detail);
            return sent;
        }).join();
        unread.put(inquiryId, Optional.of(inquiry));
        return inquiry;
    }

    private AuditTrail trail(KafkaTemplate<String, Object> template) {
        return fence.auditing(audit, template);
    }

    /** Compares in plaintext: each sealing has fresh nonces, so equal contact data never has equal ciphertext. */
    private boolean sameContent(InquiryRegistered known, SoughtPerson sought, Relative relative) {
        return known.getSought().equals(sought)
                && contacts.open(known).map(open -> open.getRelative().equals(relative)).orElse(false);
    }


    /** The request names an inquiry that does not exist. */
    public static final class InquiryNotFoundException extends RuntimeException {
        InquiryNotFoundException(String inquiryId) {
            super("No inquiry " + inquiryId);
        }
    }

    /** This instance has not read the latest changes of the inquiry yet (see {@link InquiryFence#requireCaughtUp}). */
    public static final class InquiryViewBehindException extends RuntimeException {
        public InquiryViewBehindException(String inquiryId) {
            super("This instance has not yet read the latest changes of inquiry " + inquiryId
                    + "; nothing was done, try again shortly");
        }
    }

    /** The request conflicts with the inquiry's state (withdrawn, or an idempotency key reused for other content). */
    public static final class InquiryConflictException extends RuntimeException {
        InquiryConflictException(String message) {
            super(message);
        }
    }
}
