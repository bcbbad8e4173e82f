package org.homecoming.localstack;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.Callable;

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

    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    /** Set first thing when stopping begins; read without the lock by the supervisors. */
    private volatile boolean stopping;
    /** Starts under way (guarded by this): a stop waits for them. */
    private int startsUnderWay;

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
        return stoppingMeanwhile ? Optional.empty() : Optional.of(process);
    }

    /** Whether stopping has begun: nothing is to be started again. */
    boolean stopping() {
        return stopping;
    }

    /** Stops everything started, the last first, once the starts under way have their process. */
    void stopAll() {
        stopping = true;
        synchronized (this) {
            while (startsUnderWay > 0) {
                try {
                    wait();
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
