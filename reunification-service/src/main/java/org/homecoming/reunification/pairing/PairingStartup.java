package org.homecoming.reunification.pairing;

import java.time.Duration;

import org.homecoming.platform.holding.HeldRecords;
import org.homecoming.platform.lifecycle.StartupStep;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.stereotype.Component;

/**
 * Starts the pairing listener before anything else (phase 0 runs before the web server and the other listener
 * containers) and waits until the group has given it its partitions and the state is rebuilt for them (see
 * {@link PairingListener#onAssigned}), so that REST and delivery read a built state. Then it warms up the arrival
 * path ({@link ArrivalWarmUp}), so that readiness, which turns UP only once every startup step has returned, says
 * that the service can meet its latency, not only that its state is built.
 */
@Component
class PairingStartup extends StartupStep {

    /** Joining the group waits for the broker's initial rebalance delay and, on a new cluster, for the offsets topic. */
    private static final Duration FIRST_REBUILD_TIMEOUT = Duration.ofMinutes(5);

    private final PairingListener listener;
    private final KafkaListenerEndpointRegistry registry;
    private final HeldRecords held;
    private final ArrivalWarmUp warmUp;

    PairingStartup(PairingListener listener, KafkaListenerEndpointRegistry registry, HeldRecords held, ArrivalWarmUp warmUp) {
        super(0);
        this.listener = listener;
        this.registry = registry;
        this.held = held;
        this.warmUp = warmUp;
    }

    @Override
    protected void run() {
        held.start();
        registry.getListenerContainer(PairingListener.ID).start();
        try {
            if (!listener.awaitFirstRebuild(FIRST_REBUILD_TIMEOUT)) {
                throw new IllegalStateException("The pairing group assigned no partitions within " + FIRST_REBUILD_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the pairing partitions", e);
        }
        warmUp.runOnce();
    }
}
