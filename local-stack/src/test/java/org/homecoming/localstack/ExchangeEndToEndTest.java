package org.homecoming.localstack;

import org.homecoming.testkit.KafkaAndRegistry;
import org.junit.jupiter.api.extension.ExtendWith;

/** The end-to-end flow on the testkit's embedded KRaft broker and Apicurio registry process. */
@ExtendWith(KafkaAndRegistry.class)
class ExchangeEndToEndTest extends ExchangeEndToEnd {

    @Override
    String bootstrapServers() {
        return KafkaAndRegistry.bootstrapServers();
    }

    @Override
    String registryUrl() {
        return KafkaAndRegistry.registryUrl();
    }
}
