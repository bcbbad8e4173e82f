package org.homecoming.localstack;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * What the launcher started, stopped in reverse order on Ctrl-C or at the end of a run, and what the fault run's
 * supervisors start again after a kill.
 *
 * <p>Once stopping has begun nothing is started again, and a start under way then is waited for and its process stopped
 * with the rest, by the thread that stops (the launcher exits as soon as that thread is done). Before, a supervisor
 * that saw its process die because the launcher was stopping it started it again after the launcher had stopped
 * everything else, and that broker, registry or service outlived the launcher, on the stack's ports and data folder.
 */
final class StartedProcesses {

    /** How long a stop waits for a start under way to hand its process over. */
    static final Duration START_UNDER_WAY_WAIT = Duration.ofSeconds(20);

    private final Duration startUnderWayWait;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    /** Set first thing when stopping begins; read without the lock by the supervisors. */
    private volatile boolean stopping;
    /** Starts under way (guarded by this): a stop waits for them. */
    private int startsUnderWay;

    StartedProcesses() {
        this(START_UNDER_WAY_WAIT);
    }

    StartedProcesses(Duration startUnderWayWait) {
        this.startUnderWayWait = startUnderWayWait;
    }

    /** Something started: stopped with the rest, or at once if the launcher is stopping already. */
    void push(AutoCloseable process) {
        synchronized (this) {
            if (!stopping) {
                started.push(process);
                return;
            }
        }
        close(process);
    }

    /**
     * Starts a process again (a supervisor, after a kill); nothing is started once stopping has begun.
     *
     * @return the process, or empty if the launcher is stopping (what was started meanwhile is stopped with the rest)
     */
    <T extends AutoCloseable> Optional<T> restart(Callable<T> start) throws Exception {
        synchronized (this) {
            if (stopping) {
                return Optional.empty();
            }
            startsUnderWay++;
        }
        T process = null;
        boolean stoppingMeanwhile;
        try {
            process = start.call();
        } finally {
            synchronized (this) {
                startsUnderWay--;
                if (process != null) {
                    started.push(process);
                }
                stoppingMeanwhile = stopping;
                notifyAll();
            }
        }
        if (stoppingMeanwhile) {
            // a stop that gave up waiting for this start has stopped everything else: stop this one too (the stop's own
            // last step ends it anyway if the launcher exits first)
            synchronized (this) {
                if (started.remove(process)) {
                    close(process);
                }
            }
            return Optional.empty();
        }
        return Optional.of(process);
    }

    /** Whether stopping has begun: nothing is to be started again. */
    boolean stopping() {
        return stopping;
    }

    /**
     * Stops everything started, the last first, once the starts under way have their process, or after
     * {@link #START_UNDER_WAY_WAIT} (20 s) at most: a start waits for its process to be ready (Keycloak up to 5 minutes, a
     * registry for a broker that will not come back), and Ctrl-C must not hang that long. A process still starting then
     * is ended with the children the launcher recorded, the last step of the stop.
     */
    void stopAll() {
        stopping = true;
        synchronized (this) {
            long deadline = System.nanoTime() + startUnderWayWait.toNanos();
            if (startsUnderWay > 0) {
                System.out.printf("Stopping: waiting up to %d s for %d process(es) being started again%n",
                        startUnderWayWait.toSeconds(), startsUnderWay);
            }
            while (startsUnderWay > 0 && System.nanoTime() < deadline) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            while (!started.isEmpty()) {
                close(started.pop());
            }
        }
    }

    private static void close(AutoCloseable process) {
        try {
            process.close();
        } catch (Exception e) {
            System.err.println("While stopping: " + CauseChain.describe(e));
        }
    }
}
