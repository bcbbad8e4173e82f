package org.homecoming.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class DataFolderTest {

    @TempDir
    Path parent;

    private Process otherLauncher;

    @AfterEach
    void stopOtherLauncher() throws Exception {
        if (otherLauncher != null) {
            otherLauncher.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldMakeANewDataFolderItsOwnersAlone() throws Exception {
        try (DataFolder folder = DataFolder.claim(parent.resolve("stack"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.path()))).isEqualTo("rwx------");
        }
    }

    @Test
    void shouldCloseAFolderAnOlderVersionLeftReadableByOthers() throws Exception {
        Path folder = Files.createDirectories(parent.resolve("stack"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(folder.resolve("segment.log"), "listed persons");

        DataFolder.claim(folder).close();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
        assertThat(Files.readString(folder.resolve("segment.log"))).isEqualTo("listed persons");
    }

    @Test
    void shouldRefuseASecondLauncherOnAFolderAnotherLauncherHoldsNamingItsPid() throws Exception {
        Path folder = parent.resolve("stack");
        otherLauncher = DataFolderHolder.hold(folder);

        assertThatThrownBy(() -> DataFolder.claim(folder))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("another local stack (pid " + otherLauncher.pid() + ") uses " + folder + ": stop it first");
    }

    @Test
    void shouldNotWipeAFolderAnotherLauncherHolds() throws Exception {
        Path folder = parent.resolve("stack");
        otherLauncher = DataFolderHolder.hold(folder);
        Files.createDirectories(folder.resolve("kafka-logs"));
        Files.writeString(folder.resolve("kafka-logs").resolve("meta.properties"), "cluster.id=live");

        assertThatThrownBy(() -> LocalStack.takeDataFolder(folder, new StackPorts(Map.of()), true))
                .hasMessageContaining("pid " + otherLauncher.pid());

        assertThat(folder.resolve("kafka-logs").resolve("meta.properties")).hasContent("cluster.id=live");
    }

    @Test
    void shouldGiveTheFolderToTheNextLauncherOnceTheFirstWasKilled() throws Exception {
        Path folder = parent.resolve("stack");
        otherLauncher = DataFolderHolder.hold(folder);
        // kill -9: the launcher runs no shutdown hook, and the lock file stays with its pid in it
        otherLauncher.destroyForcibly().waitFor(10, TimeUnit.SECONDS);

        try (DataFolder claimed = DataFolder.claim(folder)) {
            assertThat(folder.resolve(DataFolder.LOCK_FILE)).hasContent(ProcessHandle.current().pid() + "\n");
        }
    }

    @Test
    void shouldWipeEverythingButTheLockSoTheFolderStaysTaken() throws Exception {
        Path path = parent.resolve("stack");
        try (DataFolder folder = DataFolder.claim(path)) {
            Files.createDirectories(path.resolve("kafka-logs"));
            Files.writeString(path.resolve("kafka-logs").resolve("meta.properties"), "cluster.id=old");
            Files.writeString(path.resolve("server.properties"), "node.id=1");

            folder.wipe();

            try (var left = Files.list(path)) {
                assertThat(left.map(file -> file.getFileName().toString())).containsExactly(DataFolder.LOCK_FILE);
            }
            // a launcher that locked a new lock file would run beside this one
            assertThatThrownBy(() -> DataFolder.claim(path)).hasMessageContaining("another local stack");
        }
    }

    @Test
    void shouldNotWipeAFolderWhileAPortOfTheStackIsTakenAndLeaveTheFolderFree() throws Exception {
        Path folder = parent.resolve("stack");
        Files.createDirectories(folder.resolve("kafka-logs"));
        Files.writeString(folder.resolve("kafka-logs").resolve("meta.properties"), "cluster.id=live");
        try (ServerSocket orphanBroker = new ServerSocket(0)) {
            StackPorts ports = new StackPorts(Map.of(orphanBroker.getLocalPort(), "Kafka"));

            assertThatThrownBy(() -> LocalStack.takeDataFolder(folder, ports, true))
                    .hasMessageStartingWith("port " + orphanBroker.getLocalPort() + " (Kafka) is taken");
        }

        assertThat(folder.resolve("kafka-logs").resolve("meta.properties")).hasContent("cluster.id=live");
        DataFolder.claim(folder).close();
    }
}
