package org.homecoming.reunification.alerts;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A server's key and self-signed certificate, made with the JDK's keytool, for a TLS server in a test: the certificate
 * names {@code subjectAlternativeNames} (for example {@code ip:127.0.0.1}), so a client that checks the server's identity
 * accepts it only at those names.
 */
record TestCertificate(Path keystore, String password) {

    static TestCertificate create(Path dir, String subjectAlternativeNames) throws Exception {
        Path keystore = dir.resolve("server-" + System.nanoTime() + ".p12");
        String password = "test-keystore";
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=test server", "-ext", "SAN=" + subjectAlternativeNames,
                "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", password, "-keypass", password)
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
        return new TestCertificate(keystore, password);
    }

    /** What the server presents. */
    SSLContext serverContext() throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(), password.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    /** A client that trusts this certificate and nothing else. */
    SSLContext trustingClient() throws Exception {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private KeyStore load() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, password.toCharArray());
        }
        return store;
    }
}
