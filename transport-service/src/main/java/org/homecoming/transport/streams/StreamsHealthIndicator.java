package org.homecoming.transport.streams;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

/**
 * The stream processor (intake validation, movement detection) as the health component {@code streams}, part of the
 * readiness and liveness groups (transport.yml): DOWN once it has stopped (an error it could not ride out, see
 * {@link ThreadReplacement}) or before it was started, UP while it runs or rebalances. Without it the service said UP
 * while no position was validated and no crossing detected.
 */
@Component
class StreamsHealthIndicator implements HealthIndicator {

    private final StreamsBuilderFactoryBean streams;

    StreamsHealthIndicator(StreamsBuilderFactoryBean streams) {
        this.streams = streams;
    }

    @Override
    public Health health() {
        KafkaStreams kafkaStreams = streams.getKafkaStreams();
        if (kafkaStreams == null) {
            return Health.down().withDetail("state", "NOT_STARTED").build();
        }
        KafkaStreams.State state = kafkaStreams.state();
        return switch (state) {
            case RUNNING, REBALANCING -> Health.up().withDetail("state", state.name()).build();
            default -> Health.down().withDetail("state", state.name()).build();
        };
    }
}
