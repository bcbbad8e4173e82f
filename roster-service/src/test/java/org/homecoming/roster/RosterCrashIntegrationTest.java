package org.homecoming.roster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.homecoming.catalogue.Topics;
import org.homecoming.platform.security.Roles;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.RegistryProcess;
import org.homecoming.testkit.TestTokens;
import org.homecoming.testkit.TopicProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A roster process killed with SIGKILL in the middle of a list's transaction. The transaction timeout is set to
 * ten minutes here, so if the restarted roster did not fence the dead one, read_committed readers would stay
 * stuck behind the open transaction far beyond this test's patience.
 */
@ExtendWith(KafkaAndRegistry.class)
class RosterCrashIntegrationTest {

    private static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(10);
    private final List<Process> started = new ArrayList<>();
    /** The upload that blocks until its process is killed runs here, never on the common pool. */
    private final ExecutorService upload = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopChildren() {
        started.forEach(Process::destroyForcibly);
        upload.shutdownNow();
    }

    @Test
    void shouldAbortTheOpenTransactionOfAKilledRosterAsSoonAsItRestarts() throws Exception {
        // given: a roster process that stops inside a list's transaction after 5 of its 20 records
        String instance = "crash-" + UUID.randomUUID();
        Path marker = Path.of(System.getProperty("java.io.tmpdir"), instance + ".paused");
        int port = org.homecoming.testkit.FreePorts.next();
        Process first = startRoster(instance, port, marker, 5);
        awaitReady(first, port);
        String round = "round-" + instance;
        String list = "list-" + instance;
        post(port, "/api/v1/rounds", "application/json", """
                {"roundId": "%s", "agreementReference": "AGR-CRASH", "stage": 1, "stageCount": 3,
                 "exchangeDate": "2026-12-05", "releasingSide": "RU", "receivingSide": "UA",
                 "plannedSoldiers": 20, "plannedCivilians": 0}""".formatted(round));
        CompletableFuture.runAsync(() -> post(port, "/api/v1/rounds/" + round + "/lists?listId=" + list, "text/csv", csv(instance, 19)),
                upload);
        await("the publication to pause inside its transaction").atMost(Duration.ofSeconds(120)).until(() -> Files.exists(marker));

        // when: the process is killed there, and a roster with the same instance id starts
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(stuckPartitions()).as("partitions whose read_committed end lags the log end behind the dead transaction")
                .isNotEmpty();
        int secondPort = org.homecoming.testkit.FreePorts.next();
        Process second = startRoster(instance, secondPort, marker, -1);
        awaitReady(second, secondPort);

        // then: the open transaction is aborted at once (not after 10 minutes), and nothing of it is visible
        await("read_committed readers to pass the dead transaction").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500)).until(() -> stuckPartitions().isEmpty());
        assertThat(TopicProbe.readAll(Topics.LISTED_PERSONS)).as("persons of the killed publication")
                .noneMatch(record -> record.key().startsWith(instance));
        // and the same list publishes in full through the restarted roster
        post(secondPort, "/api/v1/rounds/" + round + "/lists?listId=" + list, "text/csv", csv(instance, 19));
        assertThat(TopicProbe.readAll(Topics.LISTED_PERSONS)).filteredOn(record -> record.key().startsWith(instance))
                .hasSize(19);
    }

    private Process startRoster(String instance, int port, Path marker, int pauseAfter) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=org.homecoming.events",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-Dpause-after=" + pauseAfter, "-Dpaused-marker=" + marker,
                "-cp", System.getProperty("java.class.path"), RosterPausedMidList.class.getName(),
                "--server.port=" + port,
                "--spring.kafka.bootstrap-servers=" + KafkaAndRegistry.bootstrapServers(),
                "--homecoming.registry.url=" + KafkaAndRegistry.registryUrl(),
                "--homecoming.roster.instance-id=" + instance,
                "--spring.kafka.producer.properties.transaction.timeout.ms=" + TRANSACTION_TIMEOUT.toMillis()));
        command.addAll(TestTokens.resourceServerArguments());
        Path log = Path.of(System.getProperty("java.io.tmpdir"), instance + "-" + port + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(process);
        return process;
    }

    private static void awaitReady(Process roster, int port) {
        HttpClient http = HttpClient.newHttpClient();
        await("the roster process on port " + port + " to be ready").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    assertThat(roster.isAlive()).as("the roster process is alive").isTrue();
                    try {
                        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
    }

    private static String post(int port, String path, String contentType, String body) {
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Content-Type", contentType)
                    .header("Authorization", TestTokens.bearer("list-officer-1", Roles.LIST_OFFICER)).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("POST %s: %s", path, answer.body()).isBetween(200, 299);
            return answer.body();
        } catch (IOException e) {
            throw new IllegalStateException("POST " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String csv(String prefix, int persons) {
        StringBuilder csv = new StringBuilder(RosterIntegrationTest.HEADER);
        for (int i = 1; i <= persons; i++) {
            csv.append("%s-p%02d,Петренко,Олександр,,,,,1990-04-%02d,SOLDIER,,,\r\n".formatted(prefix, i, i));
        }
        return csv.toString();
    }

    /** Partitions of the roster's topics whose last stable offset is behind their log end. */
    private static List<TopicPartition> stuckPartitions() {
        List<TopicPartition> stuck = new ArrayList<>();
        Map<String, Object> committed = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, Object> uncommitted = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> stable = new KafkaConsumer<>(committed, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaConsumer<byte[], byte[]> all = new KafkaConsumer<>(uncommitted, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            for (String topic : List.of(Topics.LISTED_PERSONS.name(), Topics.RELEASE_LISTS.name())) {
                List<TopicPartition> partitions = stable.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                        .map(info -> new TopicPartition(topic, info.partition())).toList();
                Map<TopicPartition, Long> lso = stable.endOffsets(partitions);
                Map<TopicPartition, Long> logEnd = all.endOffsets(partitions);
                partitions.stream().filter(partition -> lso.get(partition) < logEnd.get(partition)).forEach(stuck::add);
            }
        }
        return stuck;
    }
}
