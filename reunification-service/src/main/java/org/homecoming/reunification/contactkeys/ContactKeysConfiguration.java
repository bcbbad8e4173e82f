package org.homecoming.reunification.contactkeys;

import java.nio.file.Path;
import java.time.Clock;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where the key-encryption key and the data keys are: {@code reunification.contact-keys.*} (see the service's README).
 * The keystore's password comes from the environment ({@code REUNIFICATION_CONTACT_KEYS_KEYSTORE_PASSWORD}), never
 * from a file in the repository.
 */
@Configuration(proxyBeanMethods = false)
public class ContactKeysConfiguration {

    @Bean
    KeyEncryptionKey keyEncryptionKey(@Value("${reunification.contact-keys.keystore:}") String keystore,
                                      @Value("${reunification.contact-keys.keystore-password:}") String password,
                                      @Value("${reunification.contact-keys.kek-alias:contact-kek}") String alias,
                                      @Value("${reunification.contact-keys.create-keystore:false}") boolean create) {
        if (keystore.isBlank()) {
            throw new IllegalStateException("Set reunification.contact-keys.keystore (REUNIFICATION_CONTACT_KEYS_KEYSTORE): "
                    + "the PKCS12 keystore, outside Kafka, that holds the key-encryption key of relatives' contact data");
        }
        if (password.isBlank()) {
            throw new IllegalStateException("Set reunification.contact-keys.keystore-password "
                    + "(REUNIFICATION_CONTACT_KEYS_KEYSTORE_PASSWORD): the contact-data keystore's password");
        }
        return KeyEncryptionKey.load(Path.of(keystore), password.toCharArray(), alias, create);
    }

    @Bean
    ContactKeyVault contactKeyVault(@Value("${reunification.contact-keys.vault:}") String directory, KeyEncryptionKey kek) {
        if (directory.isBlank()) {
            throw new IllegalStateException("Set reunification.contact-keys.vault (REUNIFICATION_CONTACT_KEYS_VAULT): "
                    + "the durable directory of the service's state where the inquiries' wrapped data keys are kept");
        }
        return new ContactKeyVault(Path.of(directory), kek);
    }

    @Bean
    ContactSeal contactSeal(ContactKeyVault vault, Clock clock) {
        return new ContactSeal(vault, clock);
    }
}
