package org.homecoming.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditEventRecorded;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.events.console.AttentionItemAcknowledged;
import org.homecoming.events.transport.BusPositionReported;
import org.homecoming.events.transport.PersonHandedOver;
import org.homecoming.events.transport.TriageLevel;
import org.homecoming.platform.kafka.TopicCheck;
import org.homecoming.platform.kafka.TopicProvisioning;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The local stack's own broker process (SCRAM-SHA-512 over TLS, the StandardAuthorizer and the ACLs of
 * {@link TopicAccess}), on free ports: what the broker itself refuses, whatever a client sends.
 */
class BrokerAccessTest {

    private static KafkaBrokerProcess broker;
    private static Path dataDir;

    @BeforeAll
    static void startBroker() throws Exception {
        dataDir = Path.of("target", "broker-access-test").toAbsolutePath();
        deleteRecursively(dataDir);
        broker = KafkaBrokerProcess.start(dataDir, dataDir.resolve("logs"), org.homecoming.testkit.FreePorts.next(), org.homecoming.testkit.FreePorts.next(), Duration.ofSeconds(240));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldRecordTheBrokerSoTheNextStartCanNameItShouldTheLauncherBeKilled() {
        // the real node's command line, as the system shows it, holds what was recorded for it
        assertThat(RecordedChildren.in(dataDir).stillRunning())
                .containsExactly(new RecordedChildren.Child(broker.pid(), "Kafka", "kafka.Kafka"));
    }

    @Test
    void shouldRefuseAPersonHandedOverForgedByAPartner() {
        // given a partner that forges an arrival, which would e-mail a relative an ARRIVED alert
        byte[] forged = arrival("person-forged");

        // when it writes it to transport's arrivals topic
        // then the broker refuses it: only transport writes arrivals
        assertThatThrownBy(() -> send(KafkaCredentials.DEMO_PARTNER, Topics.PERSON_ARRIVALS, "person-forged", forged))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void shouldRefuseAPersonHandedOverForgedByAnotherService() {
        // given roster, a service with credentials of its own, that forges an arrival
        byte[] forged = arrival("person-forged-by-roster");

        // then the broker refuses it too: being a service is not being the topic's writer
        assertThatThrownBy(() -> send(TopicAccess.ROSTER, Topics.PERSON_ARRIVALS, "person-forged-by-roster", forged))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void shouldLetTransportWriteArrivals() throws Exception {
        // when the owner of the arrivals topic writes an arrival
        RecordMetadata written = send(TopicAccess.TRANSPORT, Topics.PERSON_ARRIVALS, "person-1", arrival("person-1"));

        // then the broker takes it
        assertThat(written.offset()).as("offset of the arrival transport wrote").isGreaterThanOrEqualTo(0);
    }

    @Test
    void shouldLetAPartnerWriteBusPositionsToItsOwnIntakeTopic() throws Exception {
        // given a partner's GPS tracker reading
        byte[] reading = reading("bus-1");

        // when the partner writes it to its own intake topic, which the launcher made
        Topic<?, ?> own = Topics.busPositionIntake(KafkaCredentials.DEMO_PARTNER);
        RecordMetadata written = send(KafkaCredentials.DEMO_PARTNER, own, "bus-1", reading);

        // then the broker takes it
        assertThat(written.topic()).isEqualTo("intake.bus-positions.partner-demo");
    }

    @Test
    void shouldRefuseAPartnerWritingAnotherPartnersIntakeTopicOrASharedOne() throws Exception {
        // given another partner's intake topic, and a shared intake topic as earlier versions had, both existing
        Topic<?, ?> others = Topics.busPositionIntake("partner-other");
        try (Admin admin = Admin.create(broker.clientConfig(KafkaCredentials.ADMIN))) {
            admin.createTopics(List.of(new NewTopic(others.name(), 1, (short) 1), new NewTopic("intake.bus-positions", 1, (short) 1)))
                    .all().get(60, TimeUnit.SECONDS);
        }

        // when the demo partner (a captured tracker's credentials) reports a bus there
        // then the broker refuses both: a partner writes only its own topic, so it cannot report another partner's bus
        assertThatThrownBy(() -> send(KafkaCredentials.DEMO_PARTNER, others, "bus-of-other", reading("bus-of-other")))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        assertThatThrownBy(() -> sendTo(KafkaCredentials.DEMO_PARTNER, "intake.bus-positions", "bus-of-other", reading("bus-of-other")))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
    }

    private static byte[] reading(String busId) {
        return confluentFramed(BusPositionReported.newBuilder().setBusId(busId).setLatitude(51.9)
                .setLongitude(31.1).setSpeedKmh(60.0).setRecordedAt(Instant.now()).build(), BusPositionReported.class);
    }

    @Test
    void shouldSlowAPartnerThatFloodsItsIntakeTopicDownToItsQuota() throws Exception {
        // given a captured partner credential that writes as fast as it can: 16 MiB at once, where a fleet sends 3 KB/s
        Map<String, Object> config = broker.clientConfig(KafkaCredentials.DEMO_PARTNER);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        byte[] junk = new byte[512 * 1024];
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 32; i++) {
                producer.send(new ProducerRecord<>(Topics.busPositionIntake(KafkaCredentials.DEMO_PARTNER).name(), "flood-" + i, junk));
            }
            producer.flush();

            // then the broker held its requests back (it says so in every answer): the partner cannot go beyond its
            // quota, whatever it sends; without a quota every answer says 0
            double throttledMs = (double) producer.metrics().entrySet().stream()
                    .filter(metric -> metric.getKey().name().equals("produce-throttle-time-max")
                            && metric.getKey().group().equals("producer-metrics"))
                    .findFirst().orElseThrow().getValue().metricValue();
            assertThat(throttledMs).isGreaterThan(0);
        }
    }

    @Test
    void shouldRefuseAPartnerOrAnotherServiceReadingInquiries() {
        // then neither a partner nor roster nor the console may read relatives' inquiries
        for (String principal : List.of(KafkaCredentials.DEMO_PARTNER, TopicAccess.ROSTER, TopicAccess.CONSOLE)) {
            assertThatThrownBy(() -> readFrom(principal, Topics.INQUIRIES))
                    .as("%s reading %s", principal, Topics.INQUIRIES.name())
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void shouldLetTheConsoleAloneWriteItsAcknowledgementsWithTheirAuditEntryInOneTransaction() throws Exception {
        // given an operator's acknowledgement of an attention item, and its audit entry
        Instant now = Instant.now();
        byte[] acknowledgement = confluentFramed(AttentionItemAcknowledged.newBuilder().setItemId("tracker-silent:bus-1")
                .setConditionSince(now.minusSeconds(180)).setAcknowledgedBy("demo-ops").setAcknowledgedAt(now).build(),
                AttentionItemAcknowledged.class);
        byte[] entry = confluentFramed(AuditEventRecorded.newBuilder().setAuditId("audit-ack-1")
                .setAction(AuditAction.ATTENTION_ACKNOWLEDGED).setPrincipal("demo-ops").setRecordedAt(now)
                .setService("ops-console").setSubjectKind(AuditSubject.ATTENTION_ITEM).setSubjectId("tracker-silent:bus-1")
                .setOutcome(AuditOutcome.SUCCEEDED).build(), AuditEventRecorded.class);

        // when the console writes both in one transaction, with a transactional id of its own, as it does
        Map<String, Object> config = broker.clientConfig(TopicAccess.CONSOLE);
        config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TopicAccess.CONSOLE + "-" + java.util.UUID.randomUUID() + "-0");
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(Topics.ATTENTION_ACKNOWLEDGEMENTS.name(), "tracker-silent:bus-1", acknowledgement));
            producer.send(new ProducerRecord<>(Topics.AUDIT_EVENTS.name(), "tracker-silent:bus-1", entry));

            // then the broker commits it
            assertThatCode(producer::commitTransaction).as("the console's acknowledgement and audit entry").doesNotThrowAnyException();
        }
        // and the console may read its acknowledgements back, as every instance does at start-up
        assertThatCode(() -> readFrom(TopicAccess.CONSOLE, Topics.ATTENTION_ACKNOWLEDGEMENTS)).doesNotThrowAnyException();
        // and no other principal may write them: an acknowledgement hides an item from every operator
        for (String principal : List.of(TopicAccess.ROSTER, KafkaCredentials.DEMO_PARTNER)) {
            assertThatThrownBy(() -> send(principal, Topics.ATTENTION_ACKNOWLEDGEMENTS, "tracker-silent:bus-1", acknowledgement))
                    .as("%s writing %s", principal, Topics.ATTENTION_ACKNOWLEDGEMENTS.name())
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void shouldLetEveryServiceWriteTheAuditTrailAndNoOneButTheAuditorReadIt() throws Exception {
        // given an entry of the audit trail: an acknowledgement on the console
        byte[] entry = confluentFramed(AuditEventRecorded.newBuilder().setAuditId("audit-1")
                .setAction(AuditAction.ATTENTION_ACKNOWLEDGED).setPrincipal("demo-ops").setRecordedAt(Instant.now())
                .setService("ops-console").setSubjectKind(AuditSubject.ATTENTION_ITEM).setSubjectId("tracker-silent:bus-1")
                .setOutcome(AuditOutcome.SUCCEEDED).build(), AuditEventRecorded.class);

        // when the console and roster write it, with idempotent producers as the services' are
        // then the broker takes it from both
        for (String principal : List.of(TopicAccess.CONSOLE, TopicAccess.ROSTER)) {
            assertThat(send(principal, Topics.AUDIT_EVENTS, "tracker-silent:bus-1", entry).topic())
                    .as("%s writing the audit trail", principal).isEqualTo(Topics.AUDIT_EVENTS.name());
        }
        // and refuses a partner's, and any read by a service or a partner
        assertThatThrownBy(() -> send(KafkaCredentials.DEMO_PARTNER, Topics.AUDIT_EVENTS, "forged", entry))
                .hasCauseInstanceOf(TopicAuthorizationException.class);
        for (String principal : List.of(KafkaCredentials.DEMO_PARTNER, TopicAccess.ROSTER, TopicAccess.REUNIFICATION,
                TopicAccess.CONSOLE)) {
            assertThatThrownBy(() -> readFrom(principal, Topics.AUDIT_EVENTS))
                    .as("%s reading %s", principal, Topics.AUDIT_EVENTS.name())
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void shouldLetAPartnerReadItsOwnBusesMovementsButNotWhereEveryBusIs() throws Exception {
        // given another partner's movements topic, existing
        Topic<?, ?> others = Topics.busMovementsFor("partner-other");
        try (Admin admin = Admin.create(broker.clientConfig(KafkaCredentials.ADMIN))) {
            admin.createTopics(List.of(new NewTopic(others.name(), 1, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }

        // then a partner follows the movements of its own buses (the topic may be empty: no exception is the point)
        assertThat(readFrom(KafkaCredentials.DEMO_PARTNER, Topics.busMovementsFor(KafkaCredentials.DEMO_PARTNER)))
                .isGreaterThanOrEqualTo(0);
        // and a captured partner credential cannot show where every bus of the exchange is, nor another partner's buses
        for (Topic<?, ?> topic : List.of(Topics.BUS_MOVEMENTS, Topics.BUS_POSITIONS, others)) {
            assertThatThrownBy(() -> readFrom(KafkaCredentials.DEMO_PARTNER, topic)).as(topic.name())
                    .isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void shouldLetReunificationReadInquiries() {
        // then the owner reads its inquiries (the topic may be empty: no exception is the point)
        assertThat(readFrom(TopicAccess.REUNIFICATION, Topics.INQUIRIES)).isGreaterThanOrEqualTo(0);
    }

    @Test
    void shouldLetEveryServiceCheckTheCatalogueTopicsAtStartUp() {
        // given the topics the launcher made (as every service's start-up declares them)
        for (String service : TopicAccess.SERVICES) {
            TopicCheck check = new TopicCheck(new KafkaAdmin(broker.clientConfig(service)),
                    TopicProvisioning.declareAll(KafkaCredentials.partners(), -1, 0), 0);

            // when the service compares them with the catalogue (partitions and settings), then it may and they match
            assertThatCode(check::check).as("%s's start-up check of the topics", service).doesNotThrowAnyException();
        }
    }

    @Test
    void shouldRefuseAClientWithTheWrongPassword() {
        // given a client that claims to be transport without its password
        Map<String, Object> config = broker.clientConfig(TopicAccess.TRANSPORT);
        config.put("sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"transport\" password=\"guessed\";");

        // then it cannot even connect
        assertThatThrownBy(() -> send(config, Topics.PERSON_ARRIVALS, "person-2", arrival("person-2")))
                .hasCauseInstanceOf(SaslAuthenticationException.class);
    }

    private static byte[] arrival(String personId) {
        return confluentFramed(PersonHandedOver.newBuilder().setPersonId(personId).setBusId("bus-1").setRoundId("round-1")
                .setHandedOverAt(Instant.now()).setIdentityVerified(true).setTriageLevel(TriageLevel.MINOR)
                .setDestinationFacility("Chernihiv regional hospital").setOnManifest(true).build(), PersonHandedOver.class);
    }

    /** Avro in the Confluent wire format (magic byte, 4-byte schema id): what a forger would send. */
    private static <T> byte[] confluentFramed(T event, Class<T> type) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(ByteBuffer.allocate(5).put((byte) 0).putInt(1).array());
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<>(type).write(event, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RecordMetadata send(String principal, Topic<?, ?> topic, String key, byte[] value) throws Exception {
        return send(broker.clientConfig(principal), topic, key, value);
    }

    private static RecordMetadata sendTo(String principal, String topic, String key, byte[] value) throws Exception {
        return send(broker.clientConfig(principal), topic, key, value);
    }

    private static RecordMetadata send(Map<String, Object> config, Topic<?, ?> topic, String key, byte[] value)
            throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        return send(config, topic.name(), key, value);
    }

    private static RecordMetadata send(Map<String, Object> config, String topic, String key, byte[] value)
            throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topic, key, value)).get(60, TimeUnit.SECONDS);
        }
    }

    /** Fetches from partition 0 of the topic without a consumer group, as a state rebuild does; returns the records read. */
    private static int readFrom(String principal, Topic<?, ?> topic) {
        Map<String, Object> config = broker.clientConfig(principal);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(new TopicPartition(topic.name(), 0)));
            return consumer.poll(Duration.ofSeconds(5)).count();
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
