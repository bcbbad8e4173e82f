package org.homecoming.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.common.Side;
import org.homecoming.events.roster.ExchangeRoundRecorded;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.roster.ReleaseListPublished;
import org.homecoming.events.roster.RoundStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry's schemas outlive the registry: records written while one registry process ran decode, each
 * with the schema it was written with, through a registry started after the first one was killed with
 * SIGKILL. With in-memory storage the second registry knows no schema at all, or numbers them anew in the
 * order of their next registration; both make this test fail.
 */
@ExtendWith(KafkaAndRegistry.class)
class RegistryRestartIntegrationTest {

    @Test
    void shouldDecodeEveryRecordWithItsOwnSchemaAfterTheRegistryIsKilledAndRestarted() throws Exception {
        // given: a registry process of this test's own on the shared broker, and records written through it
        createTopics(List.of(Topics.EXCHANGE_ROUNDS.name(), Topics.RELEASE_LISTS.name()));
        Path home = Path.of(System.getProperty(RegistryProcess.HOME_PROPERTY));
        Path logs = Path.of(System.getProperty("java.io.tmpdir"));
        String sharedRegistry = KafkaAndRegistry.registryUrl();
        RegistryProcess first = RegistryProcess.startOnFreePort(home, KafkaAndRegistry.bootstrapServers(),
                logs.resolve("registry-before-restart.log"));
        List<Integer> idsWritten;
        try {
            System.setProperty("homecoming.registry.url", first.url());
            TopicProbe.produce(Topics.EXCHANGE_ROUNDS, "round-restart", round());
            TopicProbe.produce(Topics.RELEASE_LISTS, "list-restart", list());
            idsWritten = List.of(schemaIdOf(Topics.EXCHANGE_ROUNDS.name(), "round-restart"),
                    schemaIdOf(Topics.RELEASE_LISTS.name(), "list-restart"));

            // when: the registry dies without a clean shutdown, and a new one starts on the same Kafka
            first.kill();
            try (RegistryProcess second = RegistryProcess.startOnFreePort(home, KafkaAndRegistry.bootstrapServers(),
                    logs.resolve("registry-after-restart.log"))) {
                System.setProperty("homecoming.registry.url", second.url());
                // a schema registered first after the restart: in-memory storage would give it the first id
                int newId = register(second.url(), Topics.LISTED_PERSONS.valueSubject(), PersonListingChanged.getClassSchema());

                // then: every record decodes, with the schema it was written with, and the ids were kept
                assertThat(newId).as("a new schema gets a new id").isNotIn(idsWritten);
                assertThat(schemaAt(second.url(), idsWritten.get(0))).as("schema id %s after the restart", idsWritten.get(0))
                        .isEqualTo(ExchangeRoundRecorded.getClassSchema());
                assertThat(schemaAt(second.url(), idsWritten.get(1))).as("schema id %s after the restart", idsWritten.get(1))
                        .isEqualTo(ReleaseListPublished.getClassSchema());
                List<ConsumerRecord<String, ExchangeRoundRecorded>> rounds = TopicProbe.readAll(Topics.EXCHANGE_ROUNDS);
                List<ConsumerRecord<String, ReleaseListPublished>> lists = TopicProbe.readAll(Topics.RELEASE_LISTS);
                assertThat(rounds).filteredOn(record -> record.key().equals("round-restart"))
                        .extracting(ConsumerRecord::value).containsExactly(round());
                assertThat(lists).filteredOn(record -> record.key().equals("list-restart"))
                        .extracting(ConsumerRecord::value).containsExactly(list());
            }
        } finally {
            first.close();
            System.setProperty("homecoming.registry.url", sharedRegistry);
        }
    }

    @Test
    void shouldKeepTheRegistryJournalForever() throws Exception {
        // given: the registry of this test JVM, started by the testkit on KafkaSQL storage
        try (Admin admin = admin()) {
            // when
            List<ConfigResource> journal = RegistryJournal.TOPICS.stream()
                    .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(journal).all().get(30, TimeUnit.SECONDS);

            // then
            assertThat(configs).hasSize(3);
            configs.forEach((topic, config) -> {
                assertThat(config.get("retention.ms").value()).as("retention.ms of %s", topic.name()).isEqualTo("-1");
                assertThat(config.get("retention.bytes").value()).as("retention.bytes of %s", topic.name()).isEqualTo("-1");
                assertThat(config.get("cleanup.policy").value()).as("cleanup.policy of %s", topic.name()).isEqualTo("delete");
            });
        }
    }

    private static ExchangeRoundRecorded round() {
        return ExchangeRoundRecorded.newBuilder().setRoundId("round-restart").setAgreementReference("agr-restart")
                .setStage(1).setStageCount(3).setExchangeDate(LocalDate.of(2026, 11, 20))
                .setReleasingSide(Side.RU).setReceivingSide(Side.UA).setPlannedSoldiers(270).setPlannedCivilians(120)
                .setStatus(RoundStatus.PLANNED).setRecordedAt(Instant.ofEpochMilli(1_790_000_000_000L)).build();
    }

    private static ReleaseListPublished list() {
        return ReleaseListPublished.newBuilder().setListId("list-restart").setRoundId("round-restart")
                .setReleasingSide(Side.RU).setVersion(1).setEntryCount(390).setChecksum("ab".repeat(32))
                .setListedCount(390).setWithdrawnCount(0).setCorrectedCount(0)
                .setPublishedAt(Instant.ofEpochMilli(1_790_000_000_000L)).build();
    }

    /** The schema id in the Confluent wire format: magic byte 0, then four bytes. */
    private static int schemaIdOf(String topic, String key) {
        byte[] value = TopicProbe.readRaw(topic).stream().filter(record -> key.equals(record.key()))
                .reduce((earlier, later) -> later).orElseThrow().value();
        assertThat(value[0]).as("magic byte").isZero();
        return ByteBuffer.wrap(value, 1, 4).getInt();
    }

    private static Schema schemaAt(String registry, int id) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(registry + "/apis/ccompat/v7/schemas/ids/" + id)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("GET /schemas/ids/%s: %s", id, answer.body()).isEqualTo(200);
        return new Schema.Parser().parse(new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body()).path("schema").asText());
    }

    private static int register(String registry, String subject, Schema schema) throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(registry + "/apis/ccompat/v7/subjects/" + subject + "/versions"))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(Map.of("schema", schema.toString()))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as("registering %s: %s", subject, answer.body()).isEqualTo(200);
        return json.readTree(answer.body()).path("id").asInt();
    }

    private static void createTopics(List<String> names) throws Exception {
        try (Admin admin = admin()) {
            var existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = names.stream().filter(name -> !existing.contains(name))
                    .map(name -> new NewTopic(name, 1, (short) 1)).toList();
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers()));
    }
}
