package org.homecoming.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class KafkaCredentialsTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldGiveEachServiceItsOwnPrincipalThroughSpringBootsKafkaProperties() throws Exception {
        // given the launcher's environment for transport
        KafkaCredentials credentials = KafkaCredentials.loadOrCreate(dataDir);
        Map<String, String> environment = credentials.springEnvironment(TopicAccess.TRANSPORT);

        // when Spring Boot binds it, as it does in the service's JVM
        StandardEnvironment spring = new StandardEnvironment();
        spring.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                "launcher-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new HashMap<>(environment)));
        KafkaProperties kafka = Binder.get(spring).bind("spring.kafka", KafkaProperties.class).get();
        Map<String, Object> producer = kafka.buildProducerProperties();

        // then every client authenticates as transport with SCRAM over TLS, trusting the generated CA
        assertThat(producer).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("ssl.truststore.type", "PEM")
                .containsEntry("ssl.truststore.location", credentials.caCertificate().toString());
        assertThat((String) producer.get("sasl.jaas.config")).contains("username=\"transport\"")
                .contains("password=\"" + credentials.password(TopicAccess.TRANSPORT) + "\"");
        assertThat(kafka.buildStreamsProperties()).containsEntry("sasl.mechanism", "SCRAM-SHA-512");
    }

    @Test
    void shouldKeepPasswordsAcrossStartsAndToTheUser() throws Exception {
        // given secrets made at a first start
        String first = KafkaCredentials.loadOrCreate(dataDir).password(TopicAccess.ROSTER);

        // when the stack starts again on the same data
        KafkaCredentials again = KafkaCredentials.loadOrCreate(dataDir);

        // then the passwords are the same, distinct per principal, and only the user may read them
        assertThat(again.password(TopicAccess.ROSTER)).isEqualTo(first).hasSize(32);
        assertThat(KafkaCredentials.principals().stream().map(again::password).distinct()).hasSize(KafkaCredentials.principals().size());
        assertThat(Files.getPosixFilePermissions(again.directory().resolve("credentials.properties")))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(again.caCertificate())).startsWith("-----BEGIN CERTIFICATE-----");
    }
}
