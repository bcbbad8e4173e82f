package org.homecoming.reunification.contactkeys;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import java.util.UUID;

import javax.crypto.KeyGenerator;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.homecoming.platform.state.Durable;

/**
 * The key-encryption key (KEK): an AES-256 secret key entry in a PKCS12 keystore that lives outside Kafka, its path
 * and password given by configuration (the password best by the environment). It only wraps and unwraps the
 * inquiries' data keys; it never touches contact data itself. A wrapped data key is AES-GCM under the KEK with
 * associated data {@code homecoming.contact-dek|v1|<inquiryId>|<kek alias>}, so it unwraps only for its own inquiry.
 * It also keys the pseudonyms of {@link #pseudonym}, through a key derived from it for that alone.
 */
public final class KeyEncryptionKey {

    private final String alias;
    private final SecretKey key;

    private KeyEncryptionKey(String alias, SecretKey key) {
        this.alias = alias;
        this.key = key;
    }

    /**
     * Loads the KEK {@code alias} from the keystore. With {@code createIfMissing} a missing keystore is made with a new
     * random KEK, readable by this user only: for a developer's machine and tests. Production provisions the keystore
     * (and keeps a copy of it apart from Kafka's backups), so a missing file there is an error, not a new key.
     */
    public static KeyEncryptionKey load(Path keystore, char[] password, String alias, boolean createIfMissing) {
        try {
            if (!Files.exists(keystore)) {
                if (!createIfMissing) {
                    throw new IllegalStateException("The contact-data keystore " + keystore + " does not exist; provision it "
                            + "(an AES-256 secret key entry '" + alias + "' in PKCS12) or set reunification.contact-keys.create-keystore=true");
                }
                create(keystore, password, alias);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, password);
            }
            if (!(store.getEntry(alias, new KeyStore.PasswordProtection(password)) instanceof KeyStore.SecretKeyEntry entry)) {
                throw new IllegalStateException("The contact-data keystore " + keystore + " has no secret key entry '" + alias + "'");
            }
            SecretKey kek = new SecretKeySpec(entry.getSecretKey().getEncoded(), "AES");
            if (kek.getEncoded().length != 32) {
                throw new IllegalStateException("The contact-data KEK '" + alias + "' must be an AES-256 key");
            }
            return new KeyEncryptionKey(alias, kek);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the contact-data keystore " + keystore, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot read the contact-data keystore " + keystore, e);
        }
    }

    /** Writes a new keystore holding one random AES-256 KEK; the file is 0600 from its first byte. */
    public static void create(Path keystore, char[] password, String alias) throws IOException, GeneralSecurityException {
        Path dir = keystore.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        KeyGenerator generator = KeyGenerator.getInstance("AES");
        generator.init(256);
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, password);
        store.setEntry(alias, new KeyStore.SecretKeyEntry(generator.generateKey()), new KeyStore.PasswordProtection(password));
        Path temporary = Files.createTempFile(dir, ".kek", ".tmp");
        try {
            Durable.ownerOnly(temporary);
            try (OutputStream out = Files.newOutputStream(temporary)) {
                store.store(out, password);
            }
            Durable.sync(temporary);
            try {
                Files.createLink(keystore, temporary); // never replaces a keystore another process made meanwhile
            } catch (UnsupportedOperationException | FileAlreadyExistsException e) {
                if (Files.exists(keystore)) {
                    return;
                }
                Files.move(temporary, keystore, StandardCopyOption.ATOMIC_MOVE);
            }
            Durable.syncDirectory(dir);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    String alias() {
        return alias;
    }

    byte[] wrap(String inquiryId, SecretKey dataKey) {
        return AesGcm.seal(key, dataKey.getEncoded(), associatedData(inquiryId));
    }

    Optional<SecretKey> unwrap(String inquiryId, byte[] wrapped) {
        return AesGcm.open(key, wrapped, associatedData(inquiryId)).map(bytes -> new SecretKeySpec(bytes, "AES"));
    }

    /**
     * A name for {@code seed} that only holders of this KEK can compute: HMAC-SHA256 of the seed under a key derived from
     * the KEK for {@code purpose} (itself an HMAC of the purpose under the KEK), as a UUID (version 8, the custom one).
     * The same seed gives the same name on every instance sharing the KEK, and across restarts; without the KEK, a
     * name says nothing of its seed, and a guess of the seed cannot be checked against it.
     */
    UUID pseudonym(String purpose, String seed) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            byte[] purposeKey = mac.doFinal(("homecoming.pseudonym|v1|" + purpose).getBytes(StandardCharsets.UTF_8));
            mac.init(new SecretKeySpec(purposeKey, "HmacSHA256"));
            byte[] digest = mac.doFinal(seed.getBytes(StandardCharsets.UTF_8));
            digest[6] = (byte) ((digest[6] & 0x0f) | 0x80); // version 8
            digest[8] = (byte) ((digest[8] & 0x3f) | 0x80); // the RFC 9562 variant
            ByteBuffer bytes = ByteBuffer.wrap(digest, 0, 16);
            return new UUID(bytes.getLong(), bytes.getLong());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    private String associatedData(String inquiryId) {
        return "homecoming.contact-dek|v1|" + inquiryId + "|" + alias;
    }

    @Override
    public String toString() {
        return "KeyEncryptionKey[" + alias + "]"; // never the key
    }
}
