package org.homecoming.transport.streams;

import java.util.Map;

import io.apicurio.registry.serde.avro.AvroSerde;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.homecoming.events.transport.BusMovementDetected;
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
        Map<String, Object> config = kafka.buildStreamsProperties();
        TransportTopology.EventSerdes serdes = new TransportTopology.EventSerdes(
                avro(config), avro(config), avro(config), avro(config));
        return TransportTopology.addTo(builder, serdes, validator, detector, settings);
    }

    /**
     * Leave the consumer group when closing, so a restarted service is given its partitions at once instead of
     * after the old member's session times out (45 s by default).
     */
    @Bean
    StreamsBuilderFactoryBeanConfigurer leaveGroupOnClose() {
        return factoryBean -> factoryBean.setLeaveGroupOnClose(true);
    }

    private static <T> Serde<T> avro(Map<String, Object> config) {
        AvroSerde<T> serde = new AvroSerde<>();
        serde.configure(config, false);
        return serde;
    }
}
