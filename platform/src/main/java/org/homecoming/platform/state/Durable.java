package org.homecoming.platform.state;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Files that survive a crash: written to a temporary file, forced to disk, renamed atomically over the target, and the
 * directory forced too, so after a power cut the file is either the old one or the new one, never half of each. Every
 * file and directory here is readable by this user only. Reunification's contact-key vault and the documents services
 * save across restarts ({@link SavedDocuments}) are written through it.
 */
public final class Durable {

    private Durable() {
    }

    public static void write(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path temporary = synced(dir, content);
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Like {@link #write}, but only if the file does not exist yet; false if it does. Two processes sharing the folder
     * may both try: the hard link either creates the name or fails because it exists, atomically, where a rename
     * would silently replace the other's file.
     */
    public static boolean writeNew(Path file, byte[] content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path temporary = synced(dir, content);
        try {
            try {
                Files.createLink(file, temporary);
            } catch (FileAlreadyExistsException e) {
                return false;
            }
            syncDirectory(dir);
            return true;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** A temporary file in {@code dir} holding {@code content}, on disk, readable by this user only. */
    private static Path synced(Path dir, byte[] content) throws IOException {
        directory(dir);
        Path temporary = Files.createTempFile(dir, ".entry", ".tmp");
        try {
            ownerOnly(temporary);
            Files.write(temporary, content, StandardOpenOption.TRUNCATE_EXISTING);
            sync(temporary);
            return temporary;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
    }

    public static void delete(Path file) throws IOException {
        if (Files.deleteIfExists(file)) {
            syncDirectory(file.toAbsolutePath().getParent());
        }
    }

    public static void directory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            if (posix()) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            }
        }
    }

    public static void ownerOnly(Path file) throws IOException {
        if (posix()) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
    }

    public static void sync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Makes a rename or delete durable; file systems that cannot open a directory (Windows) have nothing to force. */
    public static void syncDirectory(Path dir) throws IOException {
        if (!posix()) {
            return;
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
