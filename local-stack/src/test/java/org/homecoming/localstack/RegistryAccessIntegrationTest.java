package org.homecoming.localstack;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.catalogue.registry.CatalogueSchemas;
import org.homecoming.catalogue.registry.SchemaRegistry;
import org.homecoming.catalogue.registry.SchemaRegistry.SchemaRejectedException;
import org.homecoming.events.transport.BusPositionReported;
import org.homecoming.platform.registry.SchemaProvisioning;
import org.homecoming.testkit.KeycloakProcess;
import org.homecoming.testkit.KraftBroker;
import org.homecoming.testkit.RegistryProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The schema registry as the local stack and a deployment run it: authenticated against the real Keycloak with the
 * local realm, and authorising the token's roles. Only schema provisioning registers; services and partners read
 * with their own clients, and their serializers find the provisioned schemas without registering.
 */
class RegistryAccessIntegrationTest {

    /** The demo partner's own intake topic: its subject is the partner's, intake.bus-positions.partner-demo-value. */
    private static final Topic<String, BusPositionReported> INTAKE = Topics.busPositionIntake(KafkaCredentials.DEMO_PARTNER);

    private static final String RUN = UUID.randomUUID().toString();
    private static final DemoAccounts.Account PARTNER = DemoAccounts.PARTNER;

    private static EmbeddedKafkaKraftBroker broker;
    private static KeycloakProcess keycloak;
    private static RegistryProcess registry;

    @BeforeAll
    static void startTheRegistryWithTheIdentityProvider() {
        broker = KraftBroker.start();
        keycloak = KeycloakProcess.startOnFreePort(Path.of(System.getProperty(KeycloakProcess.HOME_PROPERTY)),
                Path.of("src", "main", "resources", "identity", "homecoming-realm.json"),
                Path.of("target", "registry-keycloak", RUN), Path.of("target", "registry-keycloak", RUN + ".log"));
        registry = RegistryProcess.start(Path.of(System.getProperty(RegistryProcess.HOME_PROPERTY)), org.homecoming.testkit.FreePorts.next(),
                broker.getBrokersAsString(), Map.of(), null, new RegistryProcess.Authentication(keycloak.issuer()),
                Path.of("target", "registry-keycloak", RUN + "-registry.log"), Duration.ofMinutes(5));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()))) {
            admin.createTopics(List.of(new NewTopic(INTAKE.name(), 1, (short) 1))).all().get();
        } catch (Exception e) {
            throw new IllegalStateException("Cannot create the topic", e);
        }
        // given the schemas provisioned by the one admin client, as the launcher does
        CatalogueSchemas.provision(provisioning(), List.of(INTAKE));
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (keycloak != null) {
            keycloak.close();
        }
        if (broker != null) {
            broker.destroy();
        }
    }

    @Test
    void shouldLetAReadOnlyClientFindTheSchemaIdsAndDecodeRecords() {
        // given a partner's producer and a service's consumer, each with read-only registry credentials
        String topic = INTAKE.name();
        BusPositionReported position = BusPositionReported.newBuilder().setBusId("bus-7").setLatitude(51.5)
                .setLongitude(31.3).setSpeedKmh(42.0).setRecordedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).build();

        // when the partner writes a record: its serializer looks the schema up and may not register it
        AvroKafkaSerializer<BusPositionReported> serializer = new AvroKafkaSerializer<>();
        serializer.configure(producerConfig(PARTNER), false);
        try (KafkaProducer<String, BusPositionReported> producer = new KafkaProducer<>(producerConfig(PARTNER),
                new StringSerializer(), serializer)) {
            producer.send(new ProducerRecord<>(topic, "bus-7", position)).get();
        } catch (Exception e) {
            throw new AssertionError("a read-only client could not write with a provisioned schema", e);
        }

        // then a reader with the transport service's read-only client decodes it
        AvroKafkaDeserializer<BusPositionReported> deserializer = new AvroKafkaDeserializer<>();
        deserializer.configure(consumerConfig("transport-service"), false);
        try (KafkaConsumer<String, BusPositionReported> consumer = new KafkaConsumer<>(consumerConfig("transport-service"),
                new StringDeserializer(), deserializer)) {
            consumer.subscribe(List.of(topic));
            List<BusPositionReported> read = new java.util.ArrayList<>();
            await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(500)).records(topic).forEach(record -> read.add(record.value()));
                assertThat(read).contains(position);
            });
        }
        try (KafkaConsumer<String, byte[]> raw = new KafkaConsumer<>(consumerConfig("reunification-service"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            raw.subscribe(List.of(topic));
            ConsumerRecord<String, byte[]>[] record = firstRecord(raw, topic);
            // and the id in the Confluent wire format resolves, with the partner's client id and secret as basic auth
            int schemaId = ByteBuffer.wrap(record[0].value(), 1, 4).getInt();
            Schema schema = reader(PARTNER).schemaById(schemaId);
            assertThat(schema).isEqualTo(BusPositionReported.getClassSchema());
        }
    }

    @Test
    void shouldRefuseToRegisterOrChangeCompatibilityWithReadOnlyCredentials() {
        // given the partner's read-only client
        SchemaRegistry partner = reader(PARTNER);
        Schema changed = Schema.createRecord("BusPositionReported", null, "org.homecoming.events.transport", false, List.of());

        // when / then it may read, but neither register nor change the compatibility rules
        assertThat(partner.latestSchema(INTAKE.valueSubject())).contains(BusPositionReported.getClassSchema());
        assertThat(status(() -> partner.register("forged-value", changed))).isEqualTo(403);
        assertThat(status(() -> partner.register(INTAKE.valueSubject(), changed))).isEqualTo(403);
        assertThat(status(() -> partner.setSubjectCompatibility(INTAKE.valueSubject(), "NONE")))
                .isEqualTo(403);
        assertThat(status(() -> partner.setGlobalCompatibility("NONE"))).isEqualTo(403);
    }

    @Test
    void shouldRefuseAnonymousCallersAndWrongSecrets() {
        // given no credentials, and a partner's id with a guessed secret
        SchemaRegistry anonymous = new SchemaRegistry(registry.url());
        SchemaRegistry guessed = new SchemaRegistry(registry.url(), PARTNER.clientId(), "guessed");

        // when / then
        assertThat(status(() -> anonymous.register("forged-value", BusPositionReported.getClassSchema()))).isEqualTo(401);
        assertThat(status(() -> anonymous.latestSchema(INTAKE.valueSubject()))).isEqualTo(401);
        assertThat(status(() -> anonymous.setGlobalCompatibility("NONE"))).isEqualTo(401);
        assertThat(status(() -> guessed.latestSchema(INTAKE.valueSubject()))).isEqualTo(401);
    }

    @Test
    void shouldLetTheProvisioningClientRegisterAndSetCompatibility() {
        // given the admin client
        SchemaRegistry admin = provisioning();

        // when it registers the schemas of another topic
        CatalogueSchemas.provision(admin, List.of(Topics.BUS_MOVEMENTS));

        // then readers find them, and the services' start-up check finds nothing missing
        assertThat(CatalogueSchemas.unprovisioned(reader(PARTNER), List.of(Topics.BUS_MOVEMENTS, INTAKE)))
                .isEmpty();
        assertThat(reader(PARTNER).latestSchema(Topics.BUS_MOVEMENTS.deadLetterTopic() + "-value"))
                .as("the dead-letter subject is provisioned as well: a service may not register it").isPresent();
    }

    private static int status(Runnable call) {
        Throwable[] thrown = new Throwable[1];
        assertThatThrownBy(call::run).isInstanceOfSatisfying(SchemaRejectedException.class, e -> thrown[0] = e);
        return ((SchemaRejectedException) thrown[0]).status();
    }

    @SuppressWarnings("unchecked")
    private static ConsumerRecord<String, byte[]>[] firstRecord(KafkaConsumer<String, byte[]> consumer, String topic) {
        ConsumerRecord<String, byte[]>[] found = new ConsumerRecord[1];
        await().atMost(Duration.ofMinutes(1)).until(() -> {
            consumer.poll(Duration.ofMillis(500)).records(topic).forEach(record -> found[0] = record);
            return found[0] != null;
        });
        return found;
    }

    private static SchemaRegistry provisioning() {
        return new SchemaRegistry(registry.url(), RegistryAccess.PROVISIONING_CLIENT, RegistryAccess.PROVISIONING_SECRET);
    }

    private static SchemaRegistry reader(DemoAccounts.Account account) {
        return new SchemaRegistry(registry.url(), account.clientId(), account.clientSecret());
    }

    private static Map<String, Object> serdeConfig(String clientId, String secret) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString());
        config.put("apicurio.registry.url", registry.url() + "/apis/registry/v3");
        config.put("apicurio.registry.use-id", "contentId");
        config.put("apicurio.registry.id-handler", "io.apicurio.registry.serde.Default4ByteIdHandler");
        config.put("apicurio.registry.headers.enabled", false);
        config.put(SchemaProvisioning.TOKEN_ENDPOINT, keycloak.issuer() + "/protocol/openid-connect/token");
        config.put(SchemaProvisioning.CLIENT_ID, clientId);
        config.put(SchemaProvisioning.CLIENT_SECRET, secret);
        return config;
    }

    private static Map<String, Object> producerConfig(DemoAccounts.Account account) {
        Map<String, Object> config = serdeConfig(account.clientId(), account.clientSecret());
        config.put("apicurio.registry.find-latest", true);
        config.put("apicurio.registry.auto-register", false);
        return config;
    }

    private static Map<String, Object> consumerConfig(String service) {
        Map<String, Object> config = serdeConfig(service, service + "-local-secret");
        config.put(ConsumerConfig.GROUP_ID_CONFIG, service + "-" + RUN);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put("apicurio.registry.use-specific-avro-reader", true);
        return config;
    }
}
