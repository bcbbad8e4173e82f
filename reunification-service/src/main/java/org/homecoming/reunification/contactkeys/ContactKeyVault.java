package org.homecoming.reunification.contactkeys;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import javax.crypto.KeyGenerator;
import javax.crypto.SecretKey;
import org.homecoming.platform.state.Durable;

/**
 * The inquiries' data keys, each wrapped with the {@link KeyEncryptionKey}, one small file per inquiry in the service's
 * state directory — never in Kafka. Kafka keeps old log segments (and backups keep them longer); a wrapped key kept
 * there could not be destroyed, so neither could the contact data it opens. A file here can: {@link #destroy} deletes
 * it (after a durable "erased" marker), and from then on no key the service holds opens that inquiry's contact data.
 *
 * <p>An erasure's marker can also say that its audit entry is not written yet ({@link AuditPending}): the key is
 * destroyed first, in the same marker write that notes the entry as owed, so an erasure is never left undone for want
 * of its entry, and the entry owed survives a crash until {@link #auditRecorded} clears it (the retention sweep writes
 * the entries still owed).
 *
 * <p>Layout: {@code keys/<h0h1>/<h>.key} and {@code erased/<h0h1>/<h>}, where {@code h} is the SHA-256 of the inquiry
 * id in hex (any id is a safe file name, and no directory grows to millions of entries). Each file is written to a
 * temporary file, forced to disk and renamed atomically ({@link Durable}). The whole vault is read into memory at
 * start; data keys are unwrapped only when used and never kept unwrapped.
 */
public final class ContactKeyVault {

    /** One inquiry's data key as the vault holds it: wrapped. {@code closedAt} is when the inquiry was seen closed. */
    public record Entry(String inquiryId, String keyId, byte[] wrapped, String kekAlias, Instant createdAt, Instant closedAt) {
    }

    /** A data key ready to use, and its id as records name it. */
    record DataKey(String keyId, SecretKey key) {

        @Override
        public String toString() {
            return "DataKey[" + keyId + "]"; // never the key
        }
    }

    /**
     * An erasure whose audit entry is owed: who erased the inquiry and why, as the entry must say. Kept in the erasure's
     * marker, never anything of the inquiry's data.
     */
    public record AuditPending(String inquiryId, String erasedBy, String reason) {
    }

    private final Path keys;
    private final Path erased;
    private final KeyEncryptionKey kek;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Set<String> erasedIds = ConcurrentHashMap.newKeySet();
    private final Map<String, AuditPending> auditsPending = new ConcurrentHashMap<>();

    public ContactKeyVault(Path directory, KeyEncryptionKey kek) {
        this.keys = directory.resolve("keys");
        this.erased = directory.resolve("erased");
        this.kek = kek;
        try {
            Durable.directory(directory);
            Durable.directory(keys);
            Durable.directory(erased);
            for (Properties file : readAll(keys)) {
                Entry entry = entry(file);
                entries.put(entry.inquiryId(), entry);
            }
            for (Properties file : readAll(erased)) {
                erasedIds.add(file.getProperty("inquiryId"));
                auditPending(file).ifPresent(pending -> auditsPending.put(pending.inquiryId(), pending));
            }
            // a destroy that stopped between its marker and its delete (a crash, a failed delete) left the key's file:
            // it is deleted now, not only forgotten, or the key would stay readable on disk for good
            for (String inquiryId : erasedIds) {
                if (entries.remove(inquiryId) != null) {
                    Durable.delete(keyFile(inquiryId));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the contact-key vault " + directory, e);
        }
    }

    /** The inquiry's data key, made (and durably stored) on first use; refused once the inquiry was erased. */
    synchronized DataKey keyFor(String inquiryId, Instant now) {
        readAgain(inquiryId);
        if (erasedIds.contains(inquiryId)) {
            throw new ErasedException(inquiryId);
        }
        Optional<DataKey> existing = existingKey(inquiryId);
        if (existing.isPresent()) {
            return existing.get();
        }
        SecretKey key = newDataKey();
        Entry entry = new Entry(inquiryId, "dek-" + UUID.randomUUID(), kek.wrap(inquiryId, key), kek.alias(), now, null);
        if (!storeNew(entry)) {
            // another instance on the same vault made the inquiry's key a moment ago: its key is the one, never ours
            readAgain(inquiryId);
            return existingKey(inquiryId).orElseThrow(() -> new IllegalStateException(
                    "The data key of inquiry " + inquiryId + " was made by another instance but cannot be read"));
        }
        return new DataKey(entry.keyId(), key);
    }

    /** The inquiry's data key if the vault still holds it (and the KEK unwraps it). */
    Optional<DataKey> existingKey(String inquiryId) {
        readAgain(inquiryId);
        Entry entry = entries.get(inquiryId);
        if (entry == null || !entry.kekAlias().equals(kek.alias())) {
            return Optional.empty();
        }
        return kek.unwrap(inquiryId, entry.wrapped()).map(key -> new DataKey(entry.keyId(), key));
    }

    /**
     * Destroys the inquiry's data key: first a durable "erased" marker (so a crash in between never brings the key
     * back), then the wrapped key's file. Idempotent: called again it deletes a key file an earlier call left behind.
     * Returns whether the inquiry was erased just now (not before).
     */
    public boolean destroy(String inquiryId, Instant now) {
        return destroy(inquiryId, now, null);
    }

    /**
     * As {@link #destroy(String, Instant)}, with the erasure's audit entry noted as owed in the same marker, when it is
     * erased just now. The entry is written after this returns; {@link #auditRecorded} then clears the note.
     */
    public synchronized boolean destroy(String inquiryId, Instant now, AuditPending audit) {
        try {
            boolean erasedNow = !isErased(inquiryId);
            if (erasedNow) {
                Properties marker = new Properties();
                marker.setProperty("inquiryId", inquiryId);
                marker.setProperty("erasedAt", now.toString());
                if (audit != null) {
                    marker.setProperty("auditPending", "true");
                    marker.setProperty("erasedBy", audit.erasedBy());
                    marker.setProperty("reason", audit.reason());
                }
                Durable.write(erasedFile(inquiryId), bytes(marker));
                // only once the marker is durable: a write that failed must not leave this instance believing the
                // inquiry erased while its key comes back with the next start
                if (audit != null) {
                    auditsPending.put(inquiryId, new AuditPending(inquiryId, audit.erasedBy(), audit.reason()));
                }
                erasedIds.add(inquiryId);
            }
            entries.remove(inquiryId);
            Durable.delete(keyFile(inquiryId));
            return erasedNow;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot destroy the data key of inquiry " + inquiryId, e);
        }
    }

    /** The erasure's audit entry still owed, if its marker notes one (read from the marker if another instance wrote it). */
    public Optional<AuditPending> auditPending(String inquiryId) {
        readAgain(inquiryId);
        if (!auditsPending.containsKey(inquiryId)) {
            return Optional.empty();
        }
        // another instance sharing the vault may have written the entry since: its marker says so
        Path file = erasedFile(inquiryId);
        if (Files.isRegularFile(file) && auditPending(read(file)).isEmpty()) {
            auditsPending.remove(inquiryId);
            return Optional.empty();
        }
        return Optional.ofNullable(auditsPending.get(inquiryId));
    }

    /** The erasures whose audit entry is still owed, as this vault knows them (read at start, and erased since). */
    public List<AuditPending> auditsPending() {
        return List.copyOf(auditsPending.values());
    }

    /**
     * The erasure's audit entry is written: its marker no longer notes it as owed. Should this fail, the entry stays
     * owed and is written once more by the next sweep (two entries for one erasure, never none).
     */
    public synchronized void auditRecorded(String inquiryId) {
        Path file = erasedFile(inquiryId);
        if (!Files.isRegularFile(file)) {
            auditsPending.remove(inquiryId);
            return;
        }
        Properties marker = read(file);
        if (marker.remove("auditPending") != null) {
            marker.remove("erasedBy");
            marker.remove("reason");
            try {
                Durable.write(file, bytes(marker));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot note the erasure of inquiry " + inquiryId + " as recorded", e);
            }
        }
        auditsPending.remove(inquiryId);
    }

    private static Optional<AuditPending> auditPending(Properties marker) {
        if (!"true".equals(marker.getProperty("auditPending"))) {
            return Optional.empty();
        }
        return Optional.of(new AuditPending(marker.getProperty("inquiryId"), marker.getProperty("erasedBy"),
                marker.getProperty("reason")));
    }

    /** Notes when the inquiry was first seen closed (withdrawn), for the retention period; kept if already noted. */
    public synchronized void closed(String inquiryId, Instant at) {
        Entry entry = entries.get(inquiryId);
        if (entry != null && entry.closedAt() == null) {
            store(new Entry(entry.inquiryId(), entry.keyId(), entry.wrapped(), entry.kekAlias(), entry.createdAt(), at));
        }
    }

    /** A name for {@code seed} that only holders of this vault's KEK can compute (see {@link KeyEncryptionKey#pseudonym}). */
    public String pseudonym(String purpose, String seed) {
        return kek.pseudonym(purpose, seed).toString();
    }

    /**
     * Another instance of the service may have registered or erased the inquiry since this vault was read, when the
     * instances share the vault's directory (a shared volume; see docs/running-locally.md on several instances): an erasure's marker
     * is looked for every time (it wins over a key, as at start), and a key this vault does not know is read again.
     */
    private void readAgain(String inquiryId) {
        if (erasedIds.contains(inquiryId)) {
            return;
        }
        if (Files.isRegularFile(erasedFile(inquiryId))) {
            auditPending(read(erasedFile(inquiryId))).ifPresent(pending -> auditsPending.put(inquiryId, pending));
            erasedIds.add(inquiryId);
            entries.remove(inquiryId);
        } else if (!entries.containsKey(inquiryId) && Files.isRegularFile(keyFile(inquiryId))) {
            Entry entry = entry(read(keyFile(inquiryId)));
            entries.putIfAbsent(entry.inquiryId(), entry);
        }
    }

    public boolean isErased(String inquiryId) {
        readAgain(inquiryId);
        return erasedIds.contains(inquiryId);
    }

    /**
     * Whether the inquiry was withdrawn, as its key's entry notes: by this instance or another that shares the vault
     * (its note is read from the file when this instance's copy has none). It outlasts the tombstone, which compaction
     * removes a day after the withdrawal, long before the key is destroyed at the end of the retention period.
     */
    public synchronized boolean isClosed(String inquiryId) {
        Entry entry = entries.get(inquiryId);
        if (entry != null && entry.closedAt() != null) {
            return true;
        }
        Path file = keyFile(inquiryId);
        if (!Files.isRegularFile(file)) {
            return false;
        }
        Entry stored = entry(read(file));
        if (stored.closedAt() == null) {
            return false;
        }
        entries.put(inquiryId, stored);
        return true;
    }

    /** The inquiries whose key this vault knows to be destroyed (read at start, and erased since). */
    public synchronized List<String> erasedIds() {
        return List.copyOf(erasedIds);
    }

    public boolean holdsKey(String inquiryId) {
        return entries.containsKey(inquiryId);
    }

    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /** Stores a first key, unless a key file for the inquiry exists already (written by another instance): then false. */
    private boolean storeNew(Entry entry) {
        try {
            if (!Durable.writeNew(keyFile(entry.inquiryId()), bytes(properties(entry)))) {
                return false;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the data key of inquiry " + entry.inquiryId(), e);
        }
        entries.put(entry.inquiryId(), entry);
        return true;
    }

    private void store(Entry entry) {
        try {
            Durable.write(keyFile(entry.inquiryId()), bytes(properties(entry)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the data key of inquiry " + entry.inquiryId(), e);
        }
        entries.put(entry.inquiryId(), entry);
    }

    private static Properties properties(Entry entry) {
        Properties file = new Properties();
        file.setProperty("inquiryId", entry.inquiryId());
        file.setProperty("keyId", entry.keyId());
        file.setProperty("wrappedKey", Base64.getEncoder().encodeToString(entry.wrapped()));
        file.setProperty("kek", entry.kekAlias());
        file.setProperty("createdAt", entry.createdAt().toString());
        if (entry.closedAt() != null) {
            file.setProperty("closedAt", entry.closedAt().toString());
        }
        return file;
    }

    private static Entry entry(Properties file) {
        String closedAt = file.getProperty("closedAt");
        return new Entry(file.getProperty("inquiryId"), file.getProperty("keyId"), Base64.getDecoder().decode(file.getProperty("wrappedKey")),
                file.getProperty("kek"), Instant.parse(file.getProperty("createdAt")), closedAt == null ? null : Instant.parse(closedAt));
    }

    private Path keyFile(String inquiryId) {
        String hash = hash(inquiryId);
        return keys.resolve(hash.substring(0, 2)).resolve(hash + ".key");
    }

    private Path erasedFile(String inquiryId) {
        String hash = hash(inquiryId);
        return erased.resolve(hash.substring(0, 2)).resolve(hash);
    }

    private static List<Properties> readAll(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(file -> !file.getFileName().toString().endsWith(".tmp"))
                    .map(ContactKeyVault::read).toList();
        }
    }

    private static Properties read(Path file) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(Files.readString(file, StandardCharsets.ISO_8859_1)));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        return properties;
    }

    private static byte[] bytes(Properties properties) throws IOException {
        StringWriter out = new StringWriter();
        properties.store(out, null);
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String hash(String inquiryId) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(inquiryId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static SecretKey newDataKey() {
        try {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256);
            return generator.generateKey();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES is not available", e);
        }
    }

    /** The inquiry was erased: its key is gone for good and no new one is made for it. */
    public static final class ErasedException extends RuntimeException {
        ErasedException(String inquiryId) {
            super("Inquiry " + inquiryId + " was erased");
        }
    }
}
