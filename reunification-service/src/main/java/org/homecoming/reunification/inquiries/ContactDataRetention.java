package org.homecoming.reunification.inquiries;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.reunification.contactkeys.ContactKeyVault;
import org.homecoming.reunification.contactkeys.ContactKeyVault.Entry;
import org.homecoming.reunification.inquiries.ContactDataErasures.Reason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The retention period of relatives' contact data, enforced by a sweep that runs every
 * {@code reunification.retention.sweep-interval} (first after {@code first-sweep-after}, once the state is rebuilt):
 * <ul>
 *   <li>a withdrawn inquiry's data key is destroyed {@code after-withdrawal} (30 days) after it was withdrawn;</li>
 *   <li>an open inquiry that nobody changed nor renewed for {@code after-last-change} (365 days) is erased: key
 *       destroyed and withdrawn. Families wait years (some detainees are held two years and more), so before that the
 *       hotline asks the family whether it still searches: {@link #renewalsDue} lists the inquiries whose time ends
 *       within {@code renewal-notice} (30 days), and a renewal ({@link InquiryService#renew}) starts it again;</li>
 *   <li>a key whose inquiry is on no topic (its registration never committed) is destroyed {@code after-withdrawal}
 *       after it was made, once two sweeps in a row found no inquiry for it (an inquiry registered through another
 *       instance is unknown here until this instance reads it back);</li>
 *   <li>an inquiry written before contact data was sealed is re-published sealed;</li>
 *   <li>an erasure whose audit entry could not be written (the trail's broker away, the instance stopped after
 *       destroying the key) has it written, once, as its vault marker notes it (the first sweep runs shortly after
 *       start, so a restart writes what a crash left owed).</li>
 * </ul>
 */
@Component
public class ContactDataRetention implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ContactDataRetention.class);

    /** What one sweep did. */
    public record Swept(int sealed, int erased) {
    }

    /** An open inquiry that the sweep erases at {@code keptUntil} unless the family renews it or it changes. */
    public record RenewalDue(String inquiryId, Instant keptUntil) {
    }

    private final InquiryBook book;
    private final InquiryService inquiries;
    private final InquiryErasure erasure;
    private final ContactKeyVault vault;
    private final Clock clock;
    private final Duration afterWithdrawal;
    private final Duration afterLastChange;
    private final Duration interval;
    private final Duration firstAfter;
    /**
     * The sweep's own turn (a scheduled sweep and one a test or an operator calls never run together), apart from the
     * lifecycle's monitor: a sweep can wait on a broker (a failover, up to 10 s an inquiry) and the context's stop and
     * {@link #isRunning()} must not wait behind it.
     */
    private final Object sweeping = new Object();
    private final Set<String> unknownLastTime = new HashSet<>();
    private ScheduledExecutorService scheduler;

    ContactDataRetention(InquiryBook book, InquiryService inquiries, InquiryErasure erasure, ContactKeyVault vault, Clock clock,
                         @Value("${reunification.retention.after-withdrawal:P30D}") Duration afterWithdrawal,
                         @Value("${reunification.retention.after-last-change:P365D}") Duration afterLastChange,
                         @Value("${reunification.retention.sweep-interval:PT1H}") Duration interval,
                         @Value("${reunification.retention.first-sweep-after:PT10S}") Duration firstAfter) {
        this.book = book;
        this.inquiries = inquiries;
        this.erasure = erasure;
        this.vault = vault;
        this.clock = clock;
        this.afterWithdrawal = afterWithdrawal;
        this.afterLastChange = afterLastChange;
        this.interval = interval;
        this.firstAfter = firstAfter;
    }

    /** Until when an open inquiry is kept if nobody changes nor renews it. */
    public Instant keptUntil(InquiryRegistered inquiry) {
        return inquiry.getUpdatedAt().plus(afterLastChange);
    }

    /**
     * The open inquiries this instance knows whose time ends within {@code within} from now, or has ended (the next
     * sweep erases them), the soonest first. Ids and dates only: the hotline opens each to call the family.
     */
    public List<RenewalDue> renewalsDue(Duration within) {
        Instant horizon = clock.instant().plus(within);
        List<RenewalDue> due = new ArrayList<>();
        for (Entry entry : vault.entries()) {
            if (inquiries.isWithdrawn(entry.inquiryId()) || vault.isErased(entry.inquiryId())) {
                continue;
            }
            inquiries.find(entry.inquiryId()).map(this::keptUntil).filter(until -> !until.isAfter(horizon))
                    .ifPresent(until -> due.add(new RenewalDue(entry.inquiryId(), until)));
        }
        due.sort(Comparator.comparing(RenewalDue::keptUntil).thenComparing(RenewalDue::inquiryId));
        return due;
    }

    /** One sweep, now (by the clock). */
    public Swept sweep() {
        synchronized (sweeping) {
            return sweepInTurn();
        }
    }

    private Swept sweepInTurn() {
        Instant now = clock.instant();
        int sealed = 0;
        for (String inquiryId : book.plaintextInquiryIds()) {
            if (inquiries.sealPlaintext(inquiryId)) {
                sealed++;
            }
        }
        int erased = 0;
        Set<String> unknown = new HashSet<>();
        for (Entry entry : vault.entries()) {
            if (stopped()) {
                return new Swept(sealed, erased);
            }
            try {
                erased += sweep(entry, now, unknown);
            } catch (RuntimeException e) {
                // one inquiry that cannot be decided now (another instance wrote it at the same moment, the broker did
                // not answer) waits for the next sweep; the others are swept now
                log.warn("Contact-data retention: inquiry {} not swept now ({}); the next sweep decides it", entry.inquiryId(),
                        e.getClass().getSimpleName());
                if (unknownLastTime.contains(entry.inquiryId())) {
                    unknown.add(entry.inquiryId());
                }
            }
        }
        erased += finishErasures();
        if (stopped()) {
            return new Swept(sealed, erased);
        }
        erasure.recordOwedEntries();
        unknownLastTime.clear();
        unknownLastTime.addAll(unknown);
        if (sealed > 0 || erased > 0) {
            log.info("Contact-data retention: {} inquiries re-published sealed, {} erased", sealed, erased);
        }
        return new Swept(sealed, erased);
    }

    /**
     * Erasures whose key is destroyed while the inquiry is still open on the topic: an erasure that lost every attempt to
     * another instance's writes, or met a broker away, after destroying the key and before its tombstone. The key's
     * entry is gone, so the loop over the vault's entries never meets it again: without this its record would stay
     * open, matched and alerted for, for a family that asked to be forgotten.
     */
    private int finishErasures() {
        int finished = 0;
        for (String inquiryId : vault.erasedIds()) {
            if (stopped()) {
                return finished;
            }
            if (inquiries.find(inquiryId).isEmpty()) {
                continue;
            }
            try {
                erasure.erase(inquiryId, ContactDataErasures.RETENTION, Reason.COMPLETED);
                finished++;
            } catch (RuntimeException e) {
                log.warn("Contact-data retention: the erasure of inquiry {} is not finished yet ({}); the next sweep tries again",
                        inquiryId, e.getClass().getSimpleName());
            }
        }
        return finished;
    }

    /** Sweeps one key's inquiry; returns 1 if it was erased now. */
    private int sweep(Entry entry, Instant now, Set<String> unknown) {
        String inquiryId = entry.inquiryId();
        if (inquiries.isWithdrawn(inquiryId)) {
            Instant closedAt = entry.closedAt();
            if (closedAt == null) {
                vault.closed(inquiryId, now);
                closedAt = now;
            }
            return eraseIfDue(inquiryId, closedAt.plus(afterWithdrawal), now);
        }
        Optional<InquiryRegistered> open = inquiries.find(inquiryId);
        if (open.isPresent()) {
            if (!keptUntil(open.get()).isAfter(now) && erasure.eraseIf(inquiryId, ContactDataErasures.RETENTION,
                    Reason.RETENTION_ENDED, latest -> !keptUntil(latest).isAfter(now))) {
                // decided again on the latest of the inquiry: renewed through another instance a moment ago, it stays
                return 1;
            }
            return 0;
        }
        unknown.add(inquiryId);
        if (unknownLastTime.contains(inquiryId)) {
            return eraseIfDue(inquiryId, entry.createdAt().plus(afterWithdrawal), now);
        }
        return 0;
    }

    private int eraseIfDue(String inquiryId, Instant due, Instant now) {
        if (due.isAfter(now)) {
            return 0;
        }
        erasure.erase(inquiryId, ContactDataErasures.RETENTION, Reason.RETENTION_ENDED);
        return 1;
    }

    /**
     * Whether the service is stopping (its stop interrupts the sweep's thread): the rest waits for the next start's sweep,
     * which runs shortly after it. Going on would try every remaining inquiry with an interrupted thread, each failing at
     * once and logged as busy.
     */
    private static boolean stopped() {
        return Thread.currentThread().isInterrupted();
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            log.warn("The contact-data retention sweep failed; it runs again in {}: {}", interval, e.getClass().getSimpleName());
        }
    }

    @Override
    public synchronized void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "contact-data-retention");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleWithFixedDelay(this::sweepQuietly, firstAfter.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService running;
        synchronized (this) {
            running = scheduler;
            scheduler = null;
        }
        if (running != null) {
            running.shutdownNow();
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduler != null;
    }

    /** After the state is rebuilt (phase 0) and the listeners started. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2048;
    }
}
