package org.homecoming.localstack;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.homecoming.catalogue.Topics;

/**
 * The local broker's secrets, made at the first start and kept in {@code <data dir>/kafka-security}, readable by
 * this user only: one SCRAM-SHA-512 password per principal (the super user that administers the broker, each
 * service, the registry, a demo partner), and the broker's TLS key and certificate. The certificate is
 * self-signed and marked as a CA; clients trust it through {@code ca.pem}. The mail sink's TLS key and certificate
 * live here too ({@code mail-sink.p12}, trusted by reunification through {@code mail-sink.pem}): alerts reach it
 * encrypted, as they reach a real mail server. Nothing here is ever in the repository.
 */
final class KafkaCredentials {

    static final String ADMIN = "admin";
    static final String DEMO_PARTNER = "partner-demo";
    static final String MECHANISM = "SCRAM-SHA-512";

    private static final String KEYSTORE_PASSWORD = "keystore";
    private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();

    private final Path dir;
    private final Properties passwords;

    private KafkaCredentials(Path dir, Properties passwords) {
        this.dir = dir;
        this.passwords = passwords;
    }

    /** Loads the secrets of {@code dataDir}, making any that are missing (a new principal gets its password). */
    static KafkaCredentials loadOrCreate(Path dataDir) throws IOException, InterruptedException {
        Path dir = dataDir.resolve("kafka-security").toAbsolutePath();
        Files.createDirectories(dir);
        DataFolder.ownerOnly(dir, "rwx------");
        Path file = dir.resolve("credentials.properties");
        Properties passwords = new Properties();
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                passwords.load(in);
            }
        }
        boolean changed = false;
        for (String principal : principals()) {
            changed |= passwords.putIfAbsent(principal, newPassword()) == null;
        }
        changed |= passwords.putIfAbsent(KEYSTORE_PASSWORD, newPassword()) == null;
        if (changed) {
            Files.deleteIfExists(file);
            Files.createFile(file);
            DataFolder.ownerOnly(file, "rw-------");
            try (Writer out = Files.newBufferedWriter(file)) {
                passwords.store(out, "Passwords of the local broker's principals: keep this file to yourself");
            }
        }
        KafkaCredentials credentials = new KafkaCredentials(dir, passwords);
        if (!Files.exists(credentials.keystore())) {
            credentials.createCertificate("broker", "CN=Homecoming local Kafka broker", credentials.keystore(),
                    credentials.caCertificate());
        }
        if (!Files.exists(credentials.mailSinkKeystore())) {
            credentials.createCertificate("mail-sink", "CN=Homecoming local mail sink", credentials.mailSinkKeystore(),
                    credentials.mailSinkCertificate());
        }
        return credentials;
    }

    /** Every principal with a password: the super user, the services, the registry and the demo partner. */
    static List<String> principals() {
        List<String> principals = new ArrayList<>(List.of(ADMIN));
        principals.addAll(TopicAccess.SERVICES);
        principals.add(TopicAccess.REGISTRY);
        principals.add(DEMO_PARTNER);
        return principals;
    }

    static List<String> partners() {
        return List.of(DEMO_PARTNER);
    }

    String password(String principal) {
        String password = passwords.getProperty(principal);
        if (password == null) {
            throw new IllegalArgumentException("No Kafka credentials for " + principal);
        }
        return password;
    }

    Path keystore() {
        return dir.resolve("broker.p12");
    }

    String keystorePassword() {
        return passwords.getProperty(KEYSTORE_PASSWORD);
    }

    /** The mail sink's key and certificate (for 127.0.0.1), with {@link #keystorePassword()}. */
    Path mailSinkKeystore() {
        return dir.resolve("mail-sink.p12");
    }

    /** The certificate reunification trusts for the mail sink, in PEM. */
    Path mailSinkCertificate() {
        return dir.resolve("mail-sink.pem");
    }

    /** The certificate that clients trust, in PEM. */
    Path caCertificate() {
        return dir.resolve("ca.pem");
    }

    Path directory() {
        return dir;
    }

    String jaasConfig(String principal) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + principal
                + "\" password=\"" + password(principal) + "\";";
    }

    /** Kafka client properties that authenticate as {@code principal} over TLS. */
    Map<String, String> clientProperties(String principal) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("security.protocol", "SASL_SSL");
        properties.put("sasl.mechanism", MECHANISM);
        properties.put("sasl.jaas.config", jaasConfig(principal));
        properties.put("ssl.truststore.type", "PEM");
        properties.put("ssl.truststore.location", caCertificate().toString());
        return properties;
    }

    /**
     * The same settings as environment variables for a Spring Boot service: Boot binds them to
     * {@code spring.kafka.security.protocol}, {@code spring.kafka.ssl.*} and {@code spring.kafka.properties.*}, which
     * apply to its producers, consumers, admin and Kafka Streams alike. Environment variables, unlike arguments,
     * are not visible to other users of the machine.
     */
    Map<String, String> springEnvironment(String principal) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("SPRING_KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
        environment.put("SPRING_KAFKA_SSL_TRUST_STORE_TYPE", "PEM");
        environment.put("SPRING_KAFKA_SSL_TRUST_STORE_LOCATION", caCertificate().toUri().toString());
        environment.put("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", MECHANISM);
        environment.put("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG", jaasConfig(principal));
        return environment;
    }

    /**
     * The registry's Kafka client settings for KafkaSQL storage, as Apicurio 3.0.9 reads them: every
     * {@code apicurio.kafka.common.*} property goes to its producers, consumers and admin client. Apicurio's own
     * {@code apicurio.kafkasql.security.sasl.*} settings only build an OAUTHBEARER login, so SCRAM goes through
     * these. Apicurio blanks {@code ssl.endpoint.identification.algorithm} unless told; it is set back to https.
     */
    Map<String, String> registryProperties() {
        Map<String, String> properties = new LinkedHashMap<>();
        clientProperties(TopicAccess.REGISTRY).forEach((key, value) -> properties.put("apicurio.kafka.common." + key, value));
        properties.put("apicurio.kafka.common.ssl.endpoint.identification.algorithm", "https");
        return properties;
    }

    /**
     * Writes the registry's settings to a file readable by this user only, for Quarkus'
     * {@code -Dquarkus.config.locations=<file>} (a system property would show the password to {@code ps}).
     */
    Path writeRegistryConfig() throws IOException {
        return writePrivate(dir.resolve("registry-kafka.properties"), registryProperties(),
                "The schema registry's Kafka client (KafkaSQL storage)");
    }

    /** Writes a ready-to-use client configuration for the demo partner (Java client property names). */
    Path writePartnerConfig(String bootstrap) throws IOException {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("bootstrap.servers", bootstrap);
        properties.putAll(clientProperties(DEMO_PARTNER));
        return writePrivate(dir.resolve(DEMO_PARTNER + ".properties"), properties,
                "Kafka client settings of the demo partner: it may write " + Topics.busPositionIntake(DEMO_PARTNER).name()
                        + " (its own buses' positions only, at most 1 MiB/s) and read " + Topics.busMovementsFor(DEMO_PARTNER).name()
                        + " (its own buses' movements)");
    }

    private static Path writePrivate(Path file, Map<String, String> content, String comment) throws IOException {
        Properties properties = new Properties();
        properties.putAll(content);
        Files.deleteIfExists(file);
        Files.createFile(file);
        DataFolder.ownerOnly(file, "rw-------");
        try (Writer out = Files.newBufferedWriter(file)) {
            properties.store(out, comment);
        }
        return file;
    }

    /**
     * A key pair and a self-signed CA certificate for 127.0.0.1 and localhost in {@code keystore}, made with the JDK's
     * keytool, and the certificate in PEM in {@code certificate}.
     */
    private void createCertificate(String alias, String name, Path keystore, Path certificate)
            throws IOException, InterruptedException {
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        keytool(List.of(keytool, "-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "3650", "-dname", name,
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-ext", "BC:c=ca:true",
                "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass:env", "HOMECOMING_KEYSTORE_PASSWORD", "-keypass:env", "HOMECOMING_KEYSTORE_PASSWORD"));
        keytool(List.of(keytool, "-exportcert", "-rfc", "-alias", alias,
                "-keystore", keystore.toString(), "-storetype", "PKCS12",
                "-storepass:env", "HOMECOMING_KEYSTORE_PASSWORD", "-file", certificate.toString()));
        DataFolder.ownerOnly(keystore, "rw-------");
    }

    private void keytool(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("HOMECOMING_KEYSTORE_PASSWORD", keystorePassword());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }

    private static String newPassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            password.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return password.toString();
    }

}
