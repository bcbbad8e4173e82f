package org.homecoming.platform.kafka;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.kafka.support.serializer.ErrorHandlingDeserializer;

/** A consumer's settings as the services read a topic: the registry's Avro deserializer behind Spring's error handling. */
public final class RegistryReading {

    private RegistryReading() {
    }

    /** Reads read_committed from {@code bootstrap}, looking schemas up in the registry on {@code registryPort}. */
    public static Map<String, Object> consumerConfig(String bootstrap, int registryPort) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ErrorHandlingDeserializer.class);
        config.put(ErrorHandlingDeserializer.VALUE_DESERIALIZER_CLASS, RegistryAvroDeserializer.class.getName());
        config.put("apicurio.registry.url", "http://127.0.0.1:" + registryPort + "/apis/registry/v3");
        config.put("apicurio.registry.use-id", "contentId");
        config.put("apicurio.registry.id-handler", "io.apicurio.registry.serde.Default4ByteIdHandler");
        config.put("apicurio.registry.headers.enabled", false);
        config.put("apicurio.registry.use-specific-avro-reader", true);
        return config;
    }
}
