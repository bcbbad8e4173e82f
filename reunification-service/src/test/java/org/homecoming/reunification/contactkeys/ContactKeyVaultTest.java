package org.homecoming.reunification.contactkeys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import org.homecoming.reunification.contactkeys.ContactKeyVault.AuditPending;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The vault's destruction of a key as it lands on disk: what is left after a crash or a failed write. */
class ContactKeyVaultTest {

    static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");
    final Path directory = TestContactKeys.newDirectory();
    final ContactKeyVault vault = TestContactKeys.vault(directory);

    @Test
    void shouldDeleteAKeyFileThatADestroyLeftBehindWhenTheVaultStartsAgain() throws IOException {
        // given: an inquiry's key, and a destroy that wrote its erased marker and stopped before deleting the key's file
        vault.keyFor("inq-1", NOW);
        Path keyFile = onlyKeyFile();
        byte[] wrappedKey = Files.readAllBytes(keyFile);
        vault.destroy("inq-1", NOW);
        Files.write(keyFile, wrappedKey); // as the crash left it

        // when: the service starts again on the same vault
        ContactKeyVault restarted = TestContactKeys.vault(directory);

        // then: the inquiry is erased and its key is no longer on disk at all
        assertThat(restarted.isErased("inq-1")).isTrue();
        assertThat(keyFile).as("the wrapped key left on disk").doesNotExist();
    }

    @Test
    void shouldDeleteALeftoverKeyFileWhenAnErasedInquiryIsDestroyedAgain() throws IOException {
        // given: an erased inquiry whose key file a failed delete left behind
        vault.keyFor("inq-1", NOW);
        Path keyFile = onlyKeyFile();
        byte[] wrappedKey = Files.readAllBytes(keyFile);
        assertThat(vault.destroy("inq-1", NOW)).isTrue();
        Files.write(keyFile, wrappedKey);

        // when: it is destroyed again
        boolean erasedNow = vault.destroy("inq-1", NOW);

        // then: it does not count as erased now, and the file is gone
        assertThat(erasedNow).isFalse();
        assertThat(keyFile).doesNotExist();
    }

    @Test
    void shouldNotTakeAnInquiryForErasedWhenItsMarkerCouldNotBeWritten() throws IOException {
        // given: an inquiry's key, and a disk that cannot take the erased marker (its folder taken by a file)
        vault.keyFor("inq-1", NOW);
        Path erased = directory.resolve("vault").resolve("erased");
        try (Stream<Path> old = Files.list(erased)) {
            assertThat(old).isEmpty();
        }
        String folder = onlyKeyFile().getParent().getFileName().toString(); // both layouts use the same hash prefix
        Files.writeString(erased.resolve(folder), "not a folder");

        // when: the key is destroyed
        assertThatThrownBy(() -> vault.destroy("inq-1", NOW)).isInstanceOf(UncheckedIOException.class);

        // then: this instance does not believe it erased (a restart would bring the key back), and the key is kept
        assertThat(vault.isErased("inq-1")).as("erased in memory only").isFalse();
        assertThat(vault.holdsKey("inq-1")).isTrue();
        assertThat(vault.existingKey("inq-1")).isPresent();
    }

    @Test
    void shouldKeepAnOwedAuditEntryAcrossARestartUntilItIsRecorded() {
        // given: a key destroyed with its audit entry owed, and the instance stopped before writing it
        vault.keyFor("inq-1", NOW);
        vault.destroy("inq-1", NOW, new AuditPending("inq-1", "hotline-1", "REQUESTED"));

        // when: the service starts again
        ContactKeyVault restarted = TestContactKeys.vault(directory);

        // then: the key is destroyed and the entry is still owed, by whom and why
        assertThat(restarted.isErased("inq-1")).isTrue();
        assertThat(restarted.auditsPending()).containsExactly(new AuditPending("inq-1", "hotline-1", "REQUESTED"));

        // and once it is recorded it is owed no more, also after the next start
        restarted.auditRecorded("inq-1");
        assertThat(restarted.auditPending("inq-1")).isEmpty();
        ContactKeyVault again = TestContactKeys.vault(directory);
        assertThat(again.auditsPending()).isEmpty();
        assertThat(again.isErased("inq-1")).isTrue();
    }

    private Path onlyKeyFile() throws IOException {
        try (Stream<Path> files = Files.walk(directory.resolve("vault").resolve("keys"))) {
            List<Path> keys = files.filter(Files::isRegularFile).toList();
            assertThat(keys).hasSize(1);
            return keys.get(0);
        }
    }
}
