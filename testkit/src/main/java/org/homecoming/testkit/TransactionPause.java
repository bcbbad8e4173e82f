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
    private boolean deaf;

    /** Makes the next call of {@link #pauseIfArmed} wait inside its transaction. */
    public synchronized void arm() {
        paused = new CountDownLatch(1);
        released = new CountDownLatch(1);
        armed = true;
        deaf = false;
    }

    /**
     * As {@link #arm}, and the paused decision stays inside its transaction even when its thread is interrupted (a
     * closing context interrupts its request threads, which would then abort the transaction): as if its process died
     * there. Only {@link #release} (or the bound of two minutes) lets it go on.
     */
    public synchronized void armAsDead() {
        arm();
        deaf = true;
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
        boolean stayWhenInterrupted;
        synchronized (this) {
            stayWhenInterrupted = deaf;
        }
        transaction.flush();
        reached.countDown();
        // bounded, so that a test that fails before releasing does not hold the service's thread for ever
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HOLD_SECONDS);
        boolean interrupted = false;
        while (true) {
            try {
                release.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                if (!stayWhenInterrupted) {
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
