package org.homecoming.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The local stack's data folder is its owner's alone. It holds the broker's log segments (release lists with names and
 * birth dates, sought persons, arrivals), Keycloak's database with the realm's token-signing key, the services' state
 * and the logs: another user of the machine who could read them would bypass every ACL, or sign tokens of their own.
 * Secrets inside it are restricted file by file as well ({@link KafkaCredentials}, {@link ContactDataKeys}); the folder
 * itself closes what those do not name, including a folder an older version left open.
 */
final class DataFolder {

    private DataFolder() {
    }

    /** Creates the folder if needed and leaves it readable, writable and searchable by its owner only. */
    static Path claim(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        ownerOnly(dataDir, "rwx------");
        return dataDir;
    }

    /** Deletes a folder and everything in it (nothing if it is not there): a wiped data folder, a stale extracted jar. */
    static void delete(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** Sets POSIX permissions where the file system has them (elsewhere the user's profile folder is the boundary). */
    static void ownerOnly(Path path, String permissions) throws IOException {
        if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        }
    }
}
