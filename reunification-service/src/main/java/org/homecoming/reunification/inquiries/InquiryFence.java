package org.homecoming.reunification.inquiries;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.kafka.FencedTransactions;
import org.homecoming.platform.kafka.FencedTransactions.FencedOutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.stereotype.Component;

/**
 * Every REST write about one inquiry (registration, update, renewal, withdrawal, erasure, a caseworker's decision on
 * one of its matches) is decided in one place across the instances: under the inquiry's transactional id
 * ({@code reunification-inquiry-<inquiryId>}, the same on every instance, see {@link FencedTransactions}). The writer
 * takes the id, which fences whoever held it and aborts that holder's open transaction, then waits until this
 * instance has read the inquiry's partition to its end as it is then ({@link InquiryReads}), checks the inquiry, and
 * commits its record with its audit entry in one transaction.
 *
 * <p>Before, the wait, the check and the write were not one step: between an instance's "still open?" and its commit
 * another instance could commit a withdrawal, and the update or confirmation then landed after the tombstone (a
 * withdrawn inquiry brought back with its contact data, or a caseworker's confirmation recorded for it). Now, of two
 * writes of one inquiry at the same moment on two instances, either the later one reads the earlier one's record
 * before it checks, or it is fenced before its commit; the loser is answered 409 and nothing of it is written.
 *
 * <p>Within one instance, the writes of one inquiry take turns ({@link #LOCK_WAIT} at most, then 409 retryable): a
 * double-click's second request would otherwise take the id while the first is committing and fence it, and the first
 * would be answered 409 for a race with itself. Waiting, the second decides on what the first wrote. The turn is the
 * inquiry's alone: a write that waits for its coordinator (up to {@code max.block.ms} while one fails over) holds up
 * no write of another inquiry.
 *
 * <p>A write that names an inquiry ({@link #decideExisting}) is answered 404 before any id is taken when this
 * instance, caught up with the inquiry's partition, does not know it: the coordinator keeps every transactional id it
 * was given for {@code transactional.id.expiration.ms} (7 days), so ids for made-up inquiries would pile up there.
 */
@Component
public class InquiryFence {

    private static final Logger log = LoggerFactory.getLogger(InquiryFence.class);

    /** The transactional id of an inquiry's writes is this plus the inquiry id, the same on every instance. */
    static final String INQUIRY = "reunification-inquiry-";

    /**
     * Whether a transactional id is an inquiry's writes' ({@link #INQUIRY}): shared by every instance, so no instance
     * ends it as its own when another dies inside it (see {@code InquiriesCaughtUp}, which ends it once left open).
     */
    public static boolean isInquiryFence(String transactionalId) {
        return transactionalId.startsWith(INQUIRY);
    }

    /**
     * How long a write waits for an earlier write of the same inquiry on this instance: a fenced write takes tens of
     * milliseconds, so only a broker away holds one this long, and the caller is better told to try again than held.
     */
    static final Duration LOCK_WAIT = Duration.ofSeconds(10);

    /** The turns of the inquiries being written on this instance; an entry lives while a write holds or awaits it. */
    private final Map<String, Turn> turns = new ConcurrentHashMap<>();

    private final KafkaTemplate<String, Object> kafka;
    /** The producers of the fenced transactions; none in tests without Kafka, which write through {@link #kafka}. */
    private final Supplier<ProducerFactory<String, Object>> producers;
    /** How far this instance has read the topic; looked up when first needed (its bean reads what the service writes). */
    private final Supplier<InquiryReads> reads;
    /** {@link #LOCK_WAIT}, shorter in tests. */
    private final Duration lockWait;

    @Autowired
    InquiryFence(KafkaTemplate<String, Object> kafka, ObjectProvider<ProducerFactory<String, Object>> producers,
                 ObjectProvider<InquiryReads> reads) {
        this(kafka, producers::getIfAvailable, () -> reads.getIfAvailable(() -> InquiryReads.CAUGHT_UP), LOCK_WAIT);
    }

    private InquiryFence(KafkaTemplate<String, Object> kafka, Supplier<ProducerFactory<String, Object>> producers,
                         Supplier<InquiryReads> reads, Duration lockWait) {
        this.kafka = kafka;
        this.producers = producers;
        this.reads = reads;
        this.lockWait = lockWait;
    }

    /** One instance's writes through {@code kafka}, with no other instance writing the topic (tests). */
    static InquiryFence alone(KafkaTemplate<String, Object> kafka, ObjectProvider<InquiryReads> reads) {
        return new InquiryFence(kafka, () -> null, () -> reads.getIfAvailable(() -> InquiryReads.CAUGHT_UP), LOCK_WAIT);
    }

    /** As {@link #alone}, on a view that is always caught up, a write waiting at most {@code lockWait} for its turn. */
    static InquiryFence alone(KafkaTemplate<String, Object> kafka, Duration lockWait) {
        return new InquiryFence(kafka, () -> null, () -> InquiryReads.CAUGHT_UP, lockWait);
    }

    /**
     * Takes the inquiry's transactional id, waits until this instance has read the inquiry as it is, and runs
     * {@code decision} with a template whose transactions use that id. The decision checks the inquiry (as this
     * instance's view now holds it) and writes through the template it is given, never another one.
     *
     * @throws InquiryService.InquiryViewBehindException when this instance has not read the inquiry in time: nothing done
     * @throws InquiryChangedException when another instance wrote the inquiry at the same moment: nothing written
     */
    public <T> T decide(String inquiryId, Function<KafkaTemplate<String, Object>, T> decision) {
        Turn turn = awaitTurn(inquiryId);
        try {
            return decideInTurn(inquiryId, decision);
        } finally {
            endTurn(inquiryId, turn);
        }
    }

    /**
     * As {@link #decide}, for a write of an inquiry that must exist (an update, renewal, withdrawal, erasure):
     * {@code known} says whether this instance knows it (open, withdrawn or erased). An inquiry it does not know is
     * looked up again once the view has caught up with the inquiry's partition, and if still unknown the write is
     * answered 404 without taking the inquiry's transactional id.
     *
     * @throws InquiryService.InquiryNotFoundException when the caught-up view does not know the inquiry: nothing done
     */
    public <T> T decideExisting(String inquiryId, Predicate<String> known,
                                Function<KafkaTemplate<String, Object>, T> decision) {
        // known once, known for good (a withdrawn or erased inquiry stays so), so only an unknown one waits for the view
        if (!known.test(inquiryId)) {
            requireCaughtUp(inquiryId);
            if (!known.test(inquiryId)) {
                throw new InquiryService.InquiryNotFoundException(inquiryId);
            }
        }
        return decide(inquiryId, decision);
    }

    /**
     * Runs {@code write} in the inquiry's turn on this instance (waiting {@link #LOCK_WAIT} at most), without taking its
     * transactional id: for a write that needs no fence across instances but must not run beside another write of the
     * same inquiry here (an erasure's audit entry owed, which the retention sweep and a request may both come to write:
     * {@link InquiryErasure}). Writes of other inquiries do not wait for it, nor it for them.
     *
     * @throws InquiryBusyException when another write of the inquiry held its turn all that time: {@code write} did not run
     */
    void inTurn(String inquiryId, Runnable write) {
        Turn turn = awaitTurn(inquiryId);
        try {
            write.run();
        } finally {
            endTurn(inquiryId, turn);
        }
    }

    /** How many inquiries are being written on this instance now (their writes hold or await a turn). */
    int inquiriesInTurn() {
        return turns.size();
    }

    private <T> T decideInTurn(String inquiryId, Function<KafkaTemplate<String, Object>, T> decision) {
        long start = System.nanoTime();
        ProducerFactory<String, Object> factory = producers.get();
        Function<KafkaTemplate<String, Object>, T> caughtUp = template -> {
            // read after the id is taken: every commit of an earlier holder is then below the end this waits for
            requireCaughtUp(inquiryId);
            return decision.apply(template);
        };
        if (factory == null || !factory.transactionCapable()) {
            return caughtUp.apply(kafka);
        }
        try {
            T decided = FencedTransactions.run(factory, INQUIRY + inquiryId, caughtUp);
            log.debug("A write of inquiry {} was decided under its fence in {} ms", inquiryId,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            return decided;
        } catch (FencedOutException fenced) {
            // Also when this write stalled inside its transaction (on the partition) past
            // reunification.pairing.abandoned-after and another request's wait ended it as left open by a killed
            // instance (InquiriesCaughtUp): its commit failed, so nothing of it was written, and the caller is told so
            log.info("A write of inquiry {} lost to a write of it on another instance, or stalled and was ended as left "
                    + "open; nothing was written", inquiryId);
            throw new InquiryChangedException(inquiryId, fenced);
        }
    }

    /** A lock of one inquiry's writes on this instance, and how many writes hold or await it. */
    private static final class Turn {
        final ReentrantLock lock = new ReentrantLock(true);
        int writers;
    }

    private Turn awaitTurn(String inquiryId) {
        // The turn's lock is reentrant: a write nested in another write of the same inquiry would take it at once, then
        // take the inquiry's transactional id and fence the write around it, which would be answered 409 for a race
        // with itself. No code path nests them; this keeps one from doing so unnoticed. (While this thread holds the
        // lock its turn cannot leave the map, so the look-up is sound.)
        Turn held = turns.get(inquiryId);
        if (held != null && held.lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("A write of inquiry " + inquiryId + " was started inside another write of it "
                    + "on the same thread: it would fence the write around it");
        }
        Turn turn = turns.compute(inquiryId, (id, existing) -> {
            Turn taken = existing == null ? new Turn() : existing;
            taken.writers++;
            return taken;
        });
        boolean locked = false;
        try {
            locked = turn.lock.tryLock(lockWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!locked) {
                leave(inquiryId);
            }
        }
        if (!locked) {
            throw new InquiryBusyException(inquiryId, lockWait);
        }
        return turn;
    }

    private void endTurn(String inquiryId, Turn turn) {
        turn.lock.unlock();
        leave(inquiryId);
    }

    /** The last writer of an inquiry to leave removes its turn: the map holds only inquiries being written. */
    private void leave(String inquiryId) {
        turns.computeIfPresent(inquiryId, (id, turn) -> --turn.writers == 0 ? null : turn);
    }

    /**
     * {@code audit} writing through {@code template}, given by {@link #decide}: its entries then commit in the decision's
     * transaction. Where there is no fence (tests without Kafka) the trail as it is.
     */
    public AuditTrail auditing(AuditTrail audit, KafkaTemplate<String, Object> template) {
        return template == kafka ? audit : audit.writingWith(template);
    }

    /**
     * Waits, bounded, until this instance has read what other instances wrote of the inquiry. A change decided on an
     * older view would republish an old revision over a newer one (a relative's corrected address lost), register
     * again an inquiry withdrawn elsewhere, or erase one without its tombstone.
     *
     * @throws InquiryService.InquiryViewBehindException when it has not caught up in time: nothing is done, and the
     *                                                   caller may retry
     */
    public void requireCaughtUp(String inquiryId) {
        if (!reads.get().awaitCaughtUp(inquiryId)) {
            throw new InquiryService.InquiryViewBehindException(inquiryId);
        }
    }

    /**
     * Another instance wrote the inquiry (withdrew, erased, changed it, or decided one of its matches) while this one was
     * writing it: nothing of this request was written. Reading the inquiry again says what it is now; a request that
     * still makes sense on it may be sent again.
     */
    public static class InquiryChangedException extends RuntimeException {
        InquiryChangedException(String inquiryId, Throwable cause) {
            super("Inquiry " + inquiryId + " was changed, withdrawn or erased on another instance at the same moment "
                    + "(or this write stalled and was ended as left open); nothing of this request was written. Read the "
                    + "inquiry again, and send the request again if it still applies", cause);
        }

        InquiryChangedException(String message) {
            super(message);
        }
    }

    /**
     * Another write of the inquiry on this instance held it for {@link #LOCK_WAIT} (a broker slow to answer): nothing of
     * this request was written, and it may be sent again. A lost race like {@link InquiryChangedException}: every caller
     * that retries those, or answers them 409 retryable, does so for this too.
     */
    public static final class InquiryBusyException extends InquiryChangedException {
        InquiryBusyException(String inquiryId, Duration waited) {
            super("Another write of inquiry " + inquiryId + " is under way on this instance and did not end within "
                    + waited.toMillis() + " ms; nothing of this request was written. Read the inquiry again, and send "
                    + "the request again if it still applies");
        }
    }
}
