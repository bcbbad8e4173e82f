package org.homecoming.console.dashboard;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** Pushes to several open dashboards when one of the pages has stopped reading. */
class DashboardStreamTest {

    final DashboardService dashboards = mock(DashboardService.class);
    final AtomicLong version = new AtomicLong();
    /** Lets the stalled page's blocked write go on at the end, as the server's write timeout would. */
    final CountDownLatch unblock = new CountDownLatch(1);

    DashboardStreamTest() {
        when(dashboards.version()).thenAnswer(call -> version.incrementAndGet());
    }

    @AfterEach
    void letTheStalledWriteEnd() {
        unblock.countDown();
    }

    @Test
    void shouldKeepPushingToEveryOtherDashboardWhileOnePageHasStoppedReading() throws Exception {
        // given two operators' dashboards, and the first page's network gone quiet: its next write blocks
        DashboardStream streams = new DashboardStream(dashboards, 10, 5, Duration.ofMinutes(5));
        streams.subscribe("ops-1", new StallingPage());
        CountingPage other = new CountingPage(3);
        streams.subscribe("ops-2", other);

        // when the figures keep changing (the scheduler's pushes, every 10 ms, on a thread of their own here)
        Thread scheduler = new Thread(() -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (other.received.getCount() > 0 && System.nanoTime() < deadline) {
                streams.push();
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        scheduler.start();

        // then the second operator keeps getting them, while the first page's write is still stuck
        assertThat(other.received.await(30, TimeUnit.SECONDS)).as("pushes reached the reading page").isTrue();
        scheduler.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(scheduler.isAlive()).as("the scheduler waits for no page").isFalse();
        assertThat(streams.open()).as("a stalled page keeps its stream until the stall limit").isEqualTo(2);
    }

    @Test
    void shouldCloseTheStreamOfAPageStuckInAWritePastTheStallLimitAndFreeItsSlot() throws Exception {
        // given a page whose write has been stuck longer than the limit (none here)
        DashboardStream streams = new DashboardStream(dashboards, 10, 1, Duration.ZERO);
        StallingPage stalled = new StallingPage();
        streams.subscribe("ops-1", stalled);
        pushOnItsOwnThread(streams);
        assertThat(stalled.writing.await(30, TimeUnit.SECONDS)).isTrue();

        // when the next push finds it still writing
        assertThat(pushOnItsOwnThread(streams)).as("the push waited for no page").isTrue();

        // then its stream is closed, and the viewer may open another
        assertThat(streams.open()).isZero();
        streams.subscribe("ops-1", new CountingPage(1));
        assertThat(streams.open()).isEqualTo(1);
    }

    /** @return whether the push was done within 30 s (a push that writes on the scheduler's thread waits for the stalled page) */
    private static boolean pushOnItsOwnThread(DashboardStream streams) throws InterruptedException {
        Thread scheduler = new Thread(streams::push);
        scheduler.setDaemon(true);
        scheduler.start();
        scheduler.join(TimeUnit.SECONDS.toMillis(30));
        return !scheduler.isAlive();
    }

    /** A page that took its first figures, and whose every later write blocks: its network stopped reading. */
    final class StallingPage extends SseEmitter {
        final AtomicInteger writes = new AtomicInteger();
        final CountDownLatch writing = new CountDownLatch(1);

        @Override
        public void send(SseEventBuilder event) throws IOException {
            if (writes.incrementAndGet() == 1) {
                return;
            }
            // as SseEmitter's own send does: the emitter's write lock is held for the whole write
            writeLock.lock();
            try {
                writing.countDown();
                unblock.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                writeLock.unlock();
            }
            throw new IOException("write timed out");
        }
    }

    /** A page that reads everything; counts down once per push after its first figures. */
    static final class CountingPage extends SseEmitter {
        final CountDownLatch received;
        private boolean first = true;

        CountingPage(int pushes) {
            this.received = new CountDownLatch(pushes);
        }

        @Override
        public synchronized void send(SseEventBuilder event) {
            if (first) {
                first = false;
                return;
            }
            received.countDown();
        }
    }
}
