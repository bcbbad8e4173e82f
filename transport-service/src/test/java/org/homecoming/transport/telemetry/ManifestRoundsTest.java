package org.homecoming.transport.telemetry;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ManifestRoundsTest {

    @TempDir
    Path stateDir;

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
