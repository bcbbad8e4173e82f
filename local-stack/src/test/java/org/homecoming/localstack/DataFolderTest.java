package org.homecoming.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataFolderTest {

    @TempDir
    Path parent;

    @Test
    void shouldMakeANewDataFolderItsOwnersAlone() throws Exception {
        Path folder = DataFolder.claim(parent.resolve("stack"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
    }

    @Test
    void shouldCloseAFolderAnOlderVersionLeftReadableByOthers() throws Exception {
        Path folder = Files.createDirectories(parent.resolve("stack"));
        Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(folder.resolve("segment.log"), "listed persons");

        DataFolder.claim(folder);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
        assertThat(Files.readString(folder.resolve("segment.log"))).isEqualTo("listed persons");
    }
}
