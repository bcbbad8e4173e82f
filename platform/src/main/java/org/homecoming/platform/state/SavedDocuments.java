package org.homecoming.platform.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

import com.sun.security.auth.module.UnixSystem;

/**
 * Documents a service fetched from a provider it depends on, kept in a folder of the service's own so that a service
 * that <em>starts</em> while that provider is away can go on: the identity provider's discovery document and signing
 * keys (a restart during its outage otherwise answered 503 to every request until it was back), and the schema
 * registry's answers (a restart otherwise could not read its own topics without the registry and the identity provider
 * that issues the registry's tokens).
 *
 * <p>Such documents decide what a service trusts: whoever could write the keys could sign tokens with any role, and
 * whoever could write a schema could make records be read as something else. So the folder is made owner-only, and a
 * folder or file that another user owns or may write is not used at all (the caller says why, and keeps its documents
 * in memory only). A document is read back only under the name it was saved with, and when it was fetched travels
 * with it, so that tolerances count from the fetch, not from the restart.
 */
public final class SavedDocuments {

    private static final Set<PosixFilePermission> WRITABLE_BY_OTHERS = Set.of(PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_WRITE);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().containsAll(Set.of("posix", "unix"));

    /** A document as fetched: its body, and when it was fetched from the provider. */
    public record Saved(String body, Instant fetchedAt) {
    }

    private final Path folder;

    private SavedDocuments(Path folder) {
        this.folder = folder;
    }

    /**
     * The documents kept in {@code folder}, made owner-only if it does not exist yet.
     *
     * @throws IOException when the folder cannot be made, or another user owns it or may write it
     */
    public static SavedDocuments in(Path folder) throws IOException {
        Durable.directory(folder);
        String problem = untrusted(folder);
        if (problem != null) {
            throw new IOException(folder + " " + problem);
        }
        return new SavedDocuments(folder);
    }

    /** Keeps a document fetched from {@code uri} (or known by that name), owner-only and whole or not at all ({@link Durable}). */
    public void save(String uri, String body, Instant fetchedAt) throws IOException {
        Durable.write(fileFor(uri), (uri + "\n" + fetchedAt + "\n" + body).getBytes(StandardCharsets.UTF_8));
    }

    /** The document last fetched from {@code uri}, if one was kept, is whole, and nobody else could have written it. */
    public Optional<Saved> find(String uri) throws IOException {
        Path file = fileFor(uri);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        String problem = untrusted(file);
        if (problem != null) {
            throw new IOException(file + " " + problem);
        }
        String content = Files.readString(file, StandardCharsets.UTF_8);
        int firstLine = content.indexOf('\n');
        int secondLine = firstLine < 0 ? -1 : content.indexOf('\n', firstLine + 1);
        if (secondLine < 0 || !content.substring(0, firstLine).equals(uri)) {
            return Optional.empty();
        }
        try {
            Instant fetchedAt = Instant.parse(content.substring(firstLine + 1, secondLine));
            return Optional.of(new Saved(content.substring(secondLine + 1), fetchedAt));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** One file per address, named by its hash: an address never becomes a path. */
    public Path fileFor(String uri) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(uri.getBytes(StandardCharsets.UTF_8));
            return folder.resolve(HexFormat.of().formatHex(hash, 0, 16) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every JVM has SHA-256", e);
        }
    }

    /** Why a path must not be trusted, or null: owned by another user, or writable by others. */
    private static String untrusted(Path path) throws IOException {
        if (!POSIX) {
            return null;
        }
        // by number: a container's user often has no name
        if (((Number) Files.getAttribute(path, "unix:uid")).longValue() != new UnixSystem().getUid()) {
            return "is owned by " + Files.getOwner(path).getName() + ", not by this service's user";
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
        if (permissions.stream().anyMatch(WRITABLE_BY_OTHERS::contains)) {
            return "may be written by others (" + PosixFilePermissions.toString(permissions) + ")";
        }
        return null;
    }
}
