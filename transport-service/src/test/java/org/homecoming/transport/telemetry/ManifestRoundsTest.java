package org.homecoming.transport.telemetry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.homecoming.events.transport.BusManifestRegistered;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ManifestRoundsTest {

    @TempDir
    Path stateDir;

    @Test
    void shouldKeepTheManifestRegisteredLastAsTheLedgerDoesWhateverTheOrderOnTheTopic() {
        // given two instances that registered bus-1 at the same moment, for round 1 and round 2: round 1's clock was
        // ahead, so it is the later manifest, though round 2's reached the topic after it
        KeyValueStore<String, String> store = ManifestRounds.store().build();
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "manifest-rounds-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        MockProcessorContext<Void, Void> context = new MockProcessorContext<>(config, new TaskId(0, 0), stateDir.toFile());
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
        ManifestRounds rounds = new ManifestRounds();
        rounds.init(context);

        rounds.process(manifest("round-1", Instant.parse("2026-12-06T08:00:01.001Z")));
        rounds.process(manifest("round-2", Instant.parse("2026-12-06T08:00:01.000Z")));

        // then readings are stamped with round 1, the round the ledger checks hand-overs against
        assertThat(ManifestRounds.bus(store, "bus-1")).isEqualTo(new ManifestRounds.Bus("round-1", "partner-demo",
                Instant.parse("2026-12-06T08:00:01.001Z").toEpochMilli()));
        // and a later manifest still replaces it
        rounds.process(manifest("round-2", Instant.parse("2026-12-06T09:00:00Z")));
        assertThat(ManifestRounds.bus(store, "bus-1").round()).isEqualTo("round-2");
    }

    private static Record<String, BusManifestRegistered> manifest(String roundId, Instant registeredAt) {
        return new Record<>("bus-1", new BusManifestRegistered("bus-1", roundId, List.of("p-1"), "gomel-assembly-point",
                "chernihiv-reception-point", registeredAt, "partner-demo", null), registeredAt.toEpochMilli());
    }

    @Test
    void shouldDeleteTheGlobalStateAnEarlierVersionLeftSoTheManifestsAreReadFromTheirStart() throws Exception {
        // given: the global state of a version that kept whole manifests in RocksDB, with its checkpoint
        Path global = stateDir.resolve("transport-movements").resolve("global");
        Files.createDirectories(global.resolve("rocksdb").resolve("bus-manifests"));
        Files.writeString(global.resolve("rocksdb").resolve("bus-manifests").resolve("000001.sst"), "old manifests");
        Files.writeString(global.resolve(".checkpoint"), "0\n1\ntransport.bus-manifests 0 42\n");
        Path trips = Files.createDirectories(stateDir.resolve("transport-movements").resolve("1_0"));

        // when
        ManifestRounds.forgetPersistedManifests(global);

        // then: no checkpoint makes Kafka Streams skip the manifests before offset 42; the tasks' state stays
        assertThat(global).doesNotExist();
        assertThat(trips).isDirectory();
        ManifestRounds.forgetPersistedManifests(global);
    }
}
