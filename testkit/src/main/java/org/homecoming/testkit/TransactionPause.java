package org.homecoming.testkit;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.springframework.kafka.core.KafkaOperations;

/**
 * Holds one decision inside its open Kafka transaction (its records sent and flushed, not committed) until the test lets
 * it go, so that a two-instance test can make the other instance decide the same thing at that very moment. A service
 * offers a hook called inside its transaction after the send; the test registers a bean of that hook which calls
 * {@link #pauseIfArmed}. Unarmed, it does nothing; armed, it pauses the next call only, and can be armed again.
 */
public final class TransactionPause {

    private static final long WAIT_SECONDS = 60;
    private static final long HOLD_SECONDS = 120;

    private CountDownLatch paused = new CountDownLatch(1);
    private CountDownLatch released = new CountDownLatch(1);
    private boolean armed;

    /** Makes the next call of {@link #pauseIfArmed} wait inside its transaction. */
    public synchronized void arm() {
        paused = new CountDownLatch(1);
        released = new CountDownLatch(1);
        armed = true;
    }

    /** Whether the armed decision reached its transaction within a minute. */
    public boolean awaitPaused() throws InterruptedException {
        CountDownLatch reached;
        synchronized (this) {
            reached = paused;
        }
        return reached.await(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Lets the paused decision go on to its commit (or lets the next armed one through at once). */
    public synchronized void release() {
        released.countDown();
    }

    /** Called from the service's hook inside the transaction: when armed, flushes what was sent and waits for {@link #release}. */
    public void pauseIfArmed(KafkaOperations<?, ?> transaction) {
        CountDownLatch reached;
        CountDownLatch release;
        synchronized (this) {
            if (!armed) {
                return;
            }
            armed = false;
            reached = paused;
            release = released;
        }
        transaction.flush();
        reached.countDown();
        try {
            // bounded, so that a test that fails before releasing does not hold the service's thread for ever
            release.await(HOLD_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
