package org.homecoming.localstack;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.KeyGenerator;

/**
 * The key-encryption key of relatives' contact data for the local stack's reunification service, made at the first
 * start and kept in {@code <data dir>/reunification-secrets} (readable by this user only, never in the repository):
 * a PKCS12 keystore with one AES-256 secret key entry, and its password. The wrapped data keys live in the service's
 * state directory {@code <data dir>/reunification-state/contact-keys}. Both survive restarts on the same data
 * directory, so everything sealed before is read again; {@code --wipe} deletes them with Kafka's log.
 */
final class ContactDataKeys {

    static final String ALIAS = "contact-kek";

    private ContactDataKeys() {
    }

    /** The reunification service's environment for its contact-data keys, made if missing. */
    static Map<String, String> loadOrCreate(Path dataDir) throws IOException, GeneralSecurityException {
        Path secrets = dataDir.resolve("reunification-secrets").toAbsolutePath();
        Files.createDirectories(secrets);
        DataFolder.ownerOnly(secrets, "rwx------");
        Path passwordFile = secrets.resolve("contact-kek.password");
        Path keystore = secrets.resolve("contact-kek.p12");
        if (!Files.exists(passwordFile)) {
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            Files.createFile(passwordFile);
            DataFolder.ownerOnly(passwordFile, "rw-------");
            Files.writeString(passwordFile, HexFormat.of().formatHex(random));
        }
        String password = Files.readString(passwordFile).trim();
        if (!Files.exists(keystore)) {
            KeyGenerator generator = KeyGenerator.getInstance("AES");
            generator.init(256);
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, password.toCharArray());
            store.setEntry(ALIAS, new KeyStore.SecretKeyEntry(generator.generateKey()), new KeyStore.PasswordProtection(password.toCharArray()));
            Files.createFile(keystore);
            DataFolder.ownerOnly(keystore, "rw-------");
            try (OutputStream out = Files.newOutputStream(keystore)) {
                store.store(out, password.toCharArray());
            }
        }
        Path vault = dataDir.resolve("reunification-state").resolve("contact-keys").toAbsolutePath();
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("REUNIFICATION_CONTACT_KEYS_KEYSTORE", keystore.toString());
        environment.put("REUNIFICATION_CONTACT_KEYS_KEYSTORE_PASSWORD", password);
        environment.put("REUNIFICATION_CONTACT_KEYS_KEK_ALIAS", ALIAS);
        environment.put("REUNIFICATION_CONTACT_KEYS_VAULT", vault.toString());
        return environment;
    }
}
