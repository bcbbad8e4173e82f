package org.homecoming.reunification.pairing;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.stereotype.Component;

/**
 * Rebuilds the pairing state before anything else starts (phase 0 runs before the web server and the listener
 * containers), then starts the pairing listener from the committed offsets.
 */
@Component
class PairingStartup implements SmartLifecycle {

    private final StateRebuild rebuild;
    private final KafkaListenerEndpointRegistry registry;
    private volatile boolean running;

    PairingStartup(StateRebuild rebuild, KafkaListenerEndpointRegistry registry) {
        this.rebuild = rebuild;
        this.registry = registry;
    }

    @Override
    public void start() {
        rebuild.run();
        registry.getListenerContainer(PairingListener.ID).start();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return 0;
    }
}
