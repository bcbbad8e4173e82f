package org.homecoming.reunification.pairing;

import org.homecoming.platform.holding.HeldRecords;
import org.homecoming.platform.lifecycle.StartupStep;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.stereotype.Component;

/**
 * Rebuilds the pairing state before anything else starts (phase 0 runs before the web server and the listener
 * containers), then starts the pairing listener from the committed offsets.
 */
@Component
class PairingStartup extends StartupStep {

    private final StateRebuild rebuild;
    private final KafkaListenerEndpointRegistry registry;
    private final HeldRecords held;

    PairingStartup(StateRebuild rebuild, KafkaListenerEndpointRegistry registry, HeldRecords held) {
        super(0);
        this.rebuild = rebuild;
        this.registry = registry;
        this.held = held;
    }

    @Override
    protected void run() {
        rebuild.run();
        held.start();
        registry.getListenerContainer(PairingListener.ID).start();
    }
}
