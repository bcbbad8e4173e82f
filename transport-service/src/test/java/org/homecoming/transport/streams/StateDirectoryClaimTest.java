package org.homecoming.transport.streams;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class StateDirectoryClaimTest {

    @TempDir
    Path stateDir;

    @Test
    void shouldDeleteStateBuiltFromAnotherCluster() throws Exception {
        // given: a store and its checkpoint, built while the service ran against cluster A
        StateDirectoryClaim.claim(stateDir, "cluster-A");
        Path checkpoint = storeWithCheckpoint();

        // when: the broker's data was wiped, and the same directory meets a new cluster B
        boolean wiped = StateDirectoryClaim.claim(stateDir, "cluster-B");

        // then
        assertThat(wiped).isTrue();
        assertThat(checkpoint).doesNotExist();
        assertThat(stateDir.resolve(StateDirectoryClaim.MARKER)).hasContent("cluster-B");
    }

    @Test
    void shouldKeepStateBuiltFromTheSameCluster() throws Exception {
        // given
        StateDirectoryClaim.claim(stateDir, "cluster-A");
        Path checkpoint = storeWithCheckpoint();

        // when: the service restarts against the same cluster
        boolean wiped = StateDirectoryClaim.claim(stateDir, "cluster-A");

        // then: the stores are reused, not restored from scratch
        assertThat(wiped).isFalse();
        assertThat(checkpoint).exists();
    }

    @Test
    void shouldDeleteStateOfUnknownOrigin() throws Exception {
        // given: state that no claim recorded (left by an older version, or copied in)
        Path checkpoint = storeWithCheckpoint();

        // when
        boolean wiped = StateDirectoryClaim.claim(stateDir, "cluster-A");

        // then
        assertThat(wiped).isTrue();
        assertThat(checkpoint).doesNotExist();
    }

    private Path storeWithCheckpoint() throws Exception {
        Path task = Files.createDirectories(stateDir.resolve("transport-movements").resolve("0_0"));
        return Files.writeString(task.resolve(".checkpoint"), "0\n1\ntransport-movements-trips-changelog 0 42\n");
    }
}
