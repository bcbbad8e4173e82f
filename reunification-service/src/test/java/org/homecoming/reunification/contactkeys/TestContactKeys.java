package org.homecoming.reunification.contactkeys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** A fresh KEK and an empty vault in a new directory under the build's temporary folder, for tests without Spring. */
public final class TestContactKeys {

    public static final char[] PASSWORD = "tests-only".toCharArray();

    private TestContactKeys() {
    }

    public static Path newDirectory() {
        try {
            return Files.createTempDirectory("contact-keys");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ContactKeyVault vault(Path directory) {
        return vault(directory, directory.resolve("kek.p12"));
    }

    /** A vault in {@code directory} under the KEK of {@code keystore} (made if missing): another instance on the same KEK. */
    public static ContactKeyVault vault(Path directory, Path keystore) {
        KeyEncryptionKey kek = KeyEncryptionKey.load(keystore, PASSWORD, "contact-kek", true);
        return new ContactKeyVault(directory.resolve("vault"), kek);
    }

    public static ContactSeal seal(Clock clock) {
        return new ContactSeal(vault(newDirectory()), clock);
    }
}
