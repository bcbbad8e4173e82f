package org.homecoming.reunification.inquiries;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The writes of one inquiry take turns on an instance; writes of other inquiries do not wait for them. Without Kafka:
 * the decisions here write nothing, they only say when they ran (the fence's broker side is in
 * {@code InquiryFenceIntegrationTest}).
 */
class InquiryFenceTurnsTest {

    private final ExecutorService writers = Executors.newFixedThreadPool(3);
    private final CountDownLatch firstMayEnd = new CountDownLatch(1);
    private final CountDownLatch firstStarted = new CountDownLatch(1);
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        firstMayEnd.countDown();
        writers.shutdownNow();
    }

    @Test
    void shouldLetASecondWriteOfTheSameInquiryWaitUntilTheFirstHasEnded() throws Exception {
        // given a write of inquiry inq-1 under way
        InquiryFence fence = InquiryFence.alone(null, InquiryFence.LOCK_WAIT);
        Future<String> first = writers.submit(() -> fence.decide("inq-1", template -> held("first")));
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).as("the first write started").isTrue();

        // when a second write of it comes in on the same instance (a double-click)
        AtomicReference<Thread> secondThread = new AtomicReference<>();
        Future<String> second = writers.submit(() -> {
            secondThread.set(Thread.currentThread());
            return fence.decide("inq-1", template -> record("second"));
        });

        // then it waits for its turn, and runs once the first has ended
        await().atMost(Duration.ofSeconds(10)).until(() -> !second.isDone() && secondThread.get() != null
                && Set.of(Thread.State.WAITING, Thread.State.TIMED_WAITING).contains(secondThread.get().getState()));
        assertThat(ran).as("what ran while the first write was under way").containsExactly("first started");
        firstMayEnd.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("second");
        assertThat(ran).containsExactly("first started", "first ended", "second");
        assertThat(fence.inquiriesInTurn()).as("inquiries still holding a turn once every write ended").isZero();
    }

    @Test
    void shouldRefuseAWriteOfAnInquiryStartedInsideAnotherWriteOfItOnTheSameThread() throws Exception {
        // given a write of inquiry inq-1 under way
        InquiryFence fence = InquiryFence.alone(null, InquiryFence.LOCK_WAIT);

        // when code inside it starts another write of the same inquiry, then that one is refused as a mistake, not
        // taken as a turn of its own (which would fence the write around it), and the outer write goes on
        String outer = fence.decide("inq-1", template -> {
            assertThatThrownBy(() -> fence.decide("inq-1", nested -> record("nested")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("inq-1");
            // a write of another inquiry nested there is not refused
            fence.decide("inq-2", nested -> record("other inquiry"));
            return record("outer");
        });
        assertThat(outer).isEqualTo("outer");
        assertThat(ran).containsExactly("other inquiry", "outer");
        assertThat(fence.inquiriesInTurn()).as("inquiries still holding a turn once every write ended").isZero();
    }

    @Test
    void shouldNotHoldUpAWriteOfAnotherInquiry() throws Exception {
        // given a write of inquiry inq-1 that waits (for a broker, say)
        InquiryFence fence = InquiryFence.alone(null, InquiryFence.LOCK_WAIT);
        Future<String> first = writers.submit(() -> fence.decide("inq-1", template -> held("first")));
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).as("the first write started").isTrue();

        // when a write of inquiry inq-2 comes in, then it runs at once, while the first still waits
        Future<String> other = writers.submit(() -> fence.decide("inq-2", template -> record("other")));
        assertThat(other.get(10, TimeUnit.SECONDS)).isEqualTo("other");
        assertThat(first.isDone()).as("the first write still waits").isFalse();
        firstMayEnd.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
    }

    @Test
    void shouldTellASecondWriteToRetryWhenTheFirstHoldsTheInquiryBeyondTheWait() throws Exception {
        // given a write of inquiry inq-1 that holds it, and turns that wait at most 200 ms
        InquiryFence fence = InquiryFence.alone(null, Duration.ofMillis(200));
        Future<String> first = writers.submit(() -> fence.decide("inq-1", template -> held("first")));
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).as("the first write started").isTrue();

        // when a second write of it comes in, then it is refused as a lost race (409 retryable) and nothing of it ran
        Future<String> second = writers.submit(() -> fence.decide("inq-1", template -> record("second")));
        assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(InquiryFence.InquiryChangedException.class)
                .hasMessageContaining("under way on this instance");
        assertThat(ran).doesNotContain("second");
        firstMayEnd.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
        assertThat(fence.inquiriesInTurn()).as("inquiries still holding a turn once every write ended").isZero();
    }

    @Test
    void shouldLetAnOwedAuditEntryWaitForAWriteOfItsOwnInquiryOnlyAndLeaveNoTurnBehind() throws Exception {
        // given an erasure of inquiry inq-1 inside its transaction (its tombstone's commit held up by a broker)
        InquiryFence fence = InquiryFence.alone(null, InquiryFence.LOCK_WAIT);
        Future<String> first = writers.submit(() -> fence.decide("inq-1", template -> held("first")));
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).as("the first write started").isTrue();

        // when the sweep writes an owed entry of inquiry inq-2, and one of inq-1
        fence.inTurn("inq-2", () -> record("entry of inq-2"));
        AtomicReference<Thread> sameInquiryThread = new AtomicReference<>();
        Future<?> sameInquiry = writers.submit(() -> {
            sameInquiryThread.set(Thread.currentThread());
            fence.inTurn("inq-1", () -> record("entry of inq-1"));
        });

        // then the other inquiry's ran at once; the same inquiry's waits for the erasure to end, then runs
        await().atMost(Duration.ofSeconds(10)).until(() -> !sameInquiry.isDone() && sameInquiryThread.get() != null
                && Set.of(Thread.State.WAITING, Thread.State.TIMED_WAITING).contains(sameInquiryThread.get().getState()));
        assertThat(ran).as("what ran while the erasure of inq-1 was under way").containsExactly("first started", "entry of inq-2");
        firstMayEnd.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
        sameInquiry.get(10, TimeUnit.SECONDS);
        assertThat(ran).containsExactly("first started", "entry of inq-2", "first ended", "entry of inq-1");
        assertThat(fence.inquiriesInTurn()).as("inquiries still holding a turn once every write ended").isZero();
    }

    private String held(String name) {
        ran.add(name + " started");
        firstStarted.countDown();
        try {
            firstMayEnd.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ran.add(name + " ended");
        return name;
    }

    private String record(String name) {
        ran.add(name);
        return name;
    }
}
