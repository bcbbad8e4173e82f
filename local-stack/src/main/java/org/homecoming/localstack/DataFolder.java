package org.homecoming.localstack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The local stack's data folder is its owner's alone. It holds the broker's log segments (release lists with names and
 * birth dates, sought persons, arrivals), Keycloak's database with the realm's token-signing key, the services' state
 * and the logs: another user of the machine who could read them would bypass every ACL, or sign tokens of their own.
 * Secrets inside it are restricted file by file as well ({@link KafkaCredentials}, {@link ContactDataKeys}); the folder
 * itself closes what those do not name, including a folder an older version left open.
 *
 * <p>It is also one launcher's at a time: a claim holds an exclusive lock on {@value #LOCK_FILE} in it, with the
 * launcher's pid written there, until the launcher ends. Two brokers on one Kafka log corrupt it, and {@code --wipe}
 * would delete the data of a stack that is running; the operating system releases the lock of a launcher that died,
 * even by {@code kill -9}, so a stale lock never blocks a start.
 */
final class DataFolder implements AutoCloseable {

    static final String LOCK_FILE = ".lock";

    private final Path path;
    private final FileChannel lockChannel;

    private DataFolder(Path path, FileChannel lockChannel) {
        this.path = path;
        this.lockChannel = lockChannel;
    }

    /**
     * Creates the folder if needed, leaves it readable, writable and searchable by its owner only, and takes it for this
     * process until {@link #close()} (or this process' end).
     *
     * @throws IllegalStateException if another process holds it, naming that process' pid
     */
    static DataFolder claim(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        ownerOnly(dataDir, "rwx------");
        Path lockFile = dataDir.resolve(LOCK_FILE);
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException heldInThisProcess) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IllegalStateException("another local stack (pid " + holder(lockFile) + ") uses " + dataDir
                    + ": stop it first");
        }
        ownerOnly(lockFile, "rw-------");
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        return new DataFolder(dataDir, channel);
    }

    /** The pid written by whoever holds the lock; the holder may not have written it yet. */
    private static String holder(Path lockFile) {
        try {
            String pid = Files.readString(lockFile, StandardCharsets.US_ASCII).strip();
            return pid.isEmpty() ? "unknown" : pid;
        } catch (IOException e) {
            return "unknown";
        }
    }

    Path path() {
        return path;
    }

    /**
     * Deletes everything in the folder but its lock ({@code --wipe}): deleting the lock file would let a second
     * launcher lock a new one while this one still runs.
     */
    void wipe() throws IOException {
        List<Path> contents;
        try (Stream<Path> children = Files.list(path)) {
            contents = children.filter(child -> !child.getFileName().toString().equals(LOCK_FILE)).toList();
        }
        for (Path child : contents) {
            delete(child);
        }
    }

    /** Lets another launcher have the folder; the pid stays in the file but names nobody once the lock is gone. */
    @Override
    public void close() throws IOException {
        lockChannel.close();
    }

    /** Deletes a folder and everything in it (nothing if it is not there): a stale extracted jar, a wiped folder's contents. */
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
