package org.homecoming.localstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.homecoming.reunification.contactkeys.KeyEncryptionKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ContactDataKeysTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldMakeTheKeystoreOnceForOnlyThisUserAndFindItAgainOnTheSameDataDir() throws Exception {
        // given: a first start
        Map<String, String> first = ContactDataKeys.loadOrCreate(dataDir);
        Path keystore = Path.of(first.get("REUNIFICATION_CONTACT_KEYS_KEYSTORE"));
        byte[] made = Files.readAllBytes(keystore);

        // when: a second start on the same data dir
        Map<String, String> second = ContactDataKeys.loadOrCreate(dataDir);

        // then: the same keystore, password and vault; nobody else may read them; the service can load the KEK
        assertThat(second).isEqualTo(first);
        assertThat(Files.readAllBytes(keystore)).isEqualTo(made);
        assertThat(keystore.startsWith(dataDir.resolve("reunification-secrets").toAbsolutePath())).isTrue();
        assertThat(Files.getPosixFilePermissions(keystore)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(keystore.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(KeyEncryptionKey.load(keystore, first.get("REUNIFICATION_CONTACT_KEYS_KEYSTORE_PASSWORD").toCharArray(),
                ContactDataKeys.ALIAS, false)).isNotNull();
        assertThat(first.get("REUNIFICATION_CONTACT_KEYS_VAULT")).startsWith(dataDir.toAbsolutePath().toString());
    }
}
