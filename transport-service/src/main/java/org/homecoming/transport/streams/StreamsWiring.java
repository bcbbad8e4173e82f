package org.homecoming.transport.streams;

import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.platform.kafka.TopicSerdes;
import org.homecoming.transport.movements.DetectionSettings;
import org.homecoming.transport.movements.MovementDetector;
import org.homecoming.transport.telemetry.ReadingValidator;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.EnableKafkaStreams;
import org.springframework.kafka.config.StreamsBuilderFactoryBeanConfigurer;

/** Runs {@link TransportTopology} with the registry's Avro serdes (Confluent wire format). */
@Configuration(proxyBeanMethods = false)
@EnableKafkaStreams
class StreamsWiring {

    @Bean
    KStream<String, BusMovementDetected> transportTopology(StreamsBuilder builder, KafkaProperties kafka,
            ReadingValidator validator, MovementDetector detector, DetectionSettings settings) {
        return TransportTopology.addTo(builder, TopicSerdes.registry(kafka.buildStreamsProperties()), validator, detector, settings);
    }

    /**
     * Leave the consumer group when closing, so a restarted service is given its partitions at once instead of
     * after the old member's session times out (45 s by default).
     */
    @Bean
    StreamsBuilderFactoryBeanConfigurer leaveGroupOnClose() {
        return factoryBean -> factoryBean.setLeaveGroupOnClose(true);
    }
}
