package org.homecoming.platform.lifecycle;

import org.springframework.context.SmartLifecycle;

/**
 * Work that must finish while the service starts, before it takes traffic: the services rebuild their state
 * from their topics here. Lifecycle beans start in phase order and all of them before the web server accepts
 * requests and readiness turns UP, so a step in an early phase runs before listeners and requests see the state.
 */
public abstract class StartupStep implements SmartLifecycle {

    private final int phase;
    private volatile boolean running;

    protected StartupStep(int phase) {
        this.phase = phase;
    }

    /** The work; it runs once, on the thread that starts the application context. */
    protected abstract void run();

    @Override
    public final void start() {
        run();
        running = true;
    }

    @Override
    public final void stop() {
        running = false;
    }

    @Override
    public final boolean isRunning() {
        return running;
    }

    @Override
    public final int getPhase() {
        return phase;
    }
}
