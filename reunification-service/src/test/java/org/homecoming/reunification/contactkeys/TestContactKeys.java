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
        KeyEncryptionKey kek = KeyEncryptionKey.load(directory.resolve("kek.p12"), PASSWORD, "contact-kek", true);
        return new ContactKeyVault(directory.resolve("vault"), kek);
    }

    public static ContactSeal seal(Clock clock) {
        return new ContactSeal(vault(newDirectory()), clock);
    }
}
