package org.homecoming.reunification.inquiries;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
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
 *   <li>an open inquiry that nobody changed for {@code after-last-change} (365 days: the operation is over for it) is
 *       erased: key destroyed and withdrawn;</li>
 *   <li>a key whose inquiry is on no topic (its registration never committed) is destroyed {@code after-withdrawal}
 *       after it was made, once two sweeps in a row found no inquiry for it (an inquiry registered through another
 *       instance is unknown here until this instance reads it back);</li>
 *   <li>an inquiry written before contact data was sealed is re-published sealed.</li>
 * </ul>
 */
@Component
public class ContactDataRetention implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ContactDataRetention.class);

    /** What one sweep did. */
    public record Swept(int sealed, int erased) {
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

    /** One sweep, now (by the clock). */
    public synchronized Swept sweep() {
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
            String inquiryId = entry.inquiryId();
            if (inquiries.isWithdrawn(inquiryId)) {
                Instant closedAt = entry.closedAt();
                if (closedAt == null) {
                    vault.closed(inquiryId, now);
                    closedAt = now;
                }
                erased += eraseIfDue(inquiryId, closedAt.plus(afterWithdrawal), now);
                continue;
            }
            Optional<InquiryRegistered> open = inquiries.find(inquiryId);
            if (open.isPresent()) {
                erased += eraseIfDue(inquiryId, open.get().getUpdatedAt().plus(afterLastChange), now);
            } else {
                unknown.add(inquiryId);
                if (unknownLastTime.contains(inquiryId)) {
                    erased += eraseIfDue(inquiryId, entry.createdAt().plus(afterWithdrawal), now);
                }
            }
        }
        unknownLastTime.clear();
        unknownLastTime.addAll(unknown);
        if (sealed > 0 || erased > 0) {
            log.info("Contact-data retention: {} inquiries re-published sealed, {} erased", sealed, erased);
        }
        return new Swept(sealed, erased);
    }

    private int eraseIfDue(String inquiryId, Instant due, Instant now) {
        if (due.isAfter(now)) {
            return 0;
        }
        erasure.erase(inquiryId, ContactDataErasures.RETENTION, Reason.RETENTION_ENDED);
        return 1;
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
