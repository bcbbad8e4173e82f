package org.homecoming.transport.streams;

import org.apache.kafka.streams.KafkaStreams;
import org.homecoming.platform.registry.RegistryWait;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

/**
 * The stream processor (intake validation, movement detection) as the health component {@code streams}, part of the
 * readiness and liveness groups (transport.yml): DOWN once it has stopped (an error it could not ride out, see
 * {@link ThreadReplacement}) or before it was started, UP while it runs or rebalances. Without it the service said UP
 * while no position was validated and no crossing detected. While the manifests wait for the schema registry (see
 * {@link RegistryWait}) it stays UP and says so in the detail {@code registry}.
 */
@Component
class StreamsHealthIndicator implements HealthIndicator {

    private final StreamsBuilderFactoryBean streams;
    private final RegistryWait manifestsWait;

    StreamsHealthIndicator(StreamsBuilderFactoryBean streams, RegistryWait manifestsWait) {
        this.streams = streams;
        this.manifestsWait = manifestsWait;
    }

    @Override
    public Health health() {
        KafkaStreams kafkaStreams = streams.getKafkaStreams();
        if (kafkaStreams == null) {
            return Health.down().withDetail("state", "NOT_STARTED").build();
        }
        KafkaStreams.State state = kafkaStreams.state();
        Health.Builder health = switch (state) {
            case RUNNING, REBALANCING -> Health.up();
            default -> Health.down();
        };
        health.withDetail("state", state.name());
        // UP all the same: positions go on being validated against the manifests known before, and a liveness probe
        // that failed now would restart the service into the same outage
        manifestsWait.waiting().ifPresent(waiting -> health.withDetail("registry", waiting.topic()
                + " waits for the schema registry since " + waiting.since() + " (" + waiting.failedAttempts()
                + " attempts failed); new manifests are taken when it answers"));
        return health.build();
    }
}
