package org.homecoming.reunification.pairing;

import java.time.Duration;

import org.homecoming.platform.holding.HeldRecords;
import org.homecoming.platform.lifecycle.StartupStep;
import org.homecoming.platform.registry.RegistryOutage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.stereotype.Component;

/**
 * Starts the pairing listener before anything else (phase 0 runs before the web server and the other listener
 * containers) and waits until the group has given it its partitions and the state is rebuilt for them (see
 * {@link PairingListener#onAssigned}), so that REST and delivery read a built state. Then it warms up the arrival
 * path ({@link ArrivalWarmUp}), makes the registry look-ups of its serdes ({@link SchemaLookups}) and waits until the listener has read back what the start-up reconciliation wrote, so
 * that readiness, which turns UP only once every startup step has returned, says that the service can meet its
 * latency, not only that its state is built.
 */
@Component
class PairingStartup extends StartupStep {

    /** Joining the group waits for the broker's initial rebalance delay and, on a new cluster, for the offsets topic. */
    private static final Duration FIRST_REBUILD_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration RECONCILED_READ_BACK_TIMEOUT = Duration.ofMinutes(5);
    private static final Logger log = LoggerFactory.getLogger(PairingStartup.class);

    private final PairingListener listener;
    private final KafkaListenerEndpointRegistry registry;
    private final HeldRecords held;
    private final ArrivalWarmUp warmUp;
    private final SchemaLookups schemaLookups;

    PairingStartup(PairingListener listener, KafkaListenerEndpointRegistry registry, HeldRecords held, ArrivalWarmUp warmUp,
                   SchemaLookups schemaLookups) {
        super(0);
        this.listener = listener;
        this.registry = registry;
        this.held = held;
        this.warmUp = warmUp;
        this.schemaLookups = schemaLookups;
    }

    @Override
    protected void run() {
        held.start();
        registry.getListenerContainer(PairingListener.ID).start();
        try {
            boolean rebuilt = listener.awaitFirstRebuild(FIRST_REBUILD_TIMEOUT);
            // a registry outage ends: the listener keeps trying (not ready meanwhile) instead of the service dying with it
            while (!rebuilt && listener.rebuildFailure().filter(RegistryOutage::isBehind).isPresent()) {
                log.warn("The pairing state could not be rebuilt because the schema registry is unavailable; waiting for it");
                rebuilt = listener.awaitFirstRebuild(FIRST_REBUILD_TIMEOUT);
            }
            if (!rebuilt) {
                throw new IllegalStateException(listener.rebuildFailure()
                        .map(failure -> "The pairing state could not be rebuilt from the topics within " + FIRST_REBUILD_TIMEOUT
                                + " (is every broker and the schema registry reachable?); the last attempt failed: " + failure)
                        .orElse("The pairing group assigned no partitions within " + FIRST_REBUILD_TIMEOUT));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the pairing partitions", e);
        }
        warmUp.runOnce();
        schemaLookups.runOnce();
        awaitReconciledReadBack();
    }

    /**
     * The listener reads back the decisions the start-up reconciliation wrote (half a million with a million inquiries)
     * before the arrivals behind them: until it has, an arrival waits behind them, and their batches hold some 90 MB of
     * a 512 MB heap (benchmarks/README.md). The warm-up ran meanwhile. Bounded: a listener that cannot read them in
     * that time has a problem that withholding readiness would not solve, so the service says so and goes on.
     */
    private void awaitReconciledReadBack() {
        long started = System.nanoTime();
        try {
            if (listener.awaitReconciledReadBack(RECONCILED_READ_BACK_TIMEOUT)) {
                log.info("Pairing read back the start-up reconciliation's decisions {} ms after the warm-up",
                        Duration.ofNanos(System.nanoTime() - started).toMillis());
            } else {
                log.warn("Pairing had not read back the start-up reconciliation's decisions within {}; ready all the same",
                        RECONCILED_READ_BACK_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while reading back the reconciliation", e);
        }
    }
}
