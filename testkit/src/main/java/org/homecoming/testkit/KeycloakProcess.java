package org.homecoming.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The real Keycloak 26 identity provider, run as a child process from the {@code keycloak-quarkus-dist} zip that the
 * build unpacked from Maven Central, on 127.0.0.1, with the {@code homecoming} realm imported from a file. The local
 * stack and the one end-to-end test that checks real tokens both use it.
 *
 * <p>Production mode ({@code start}) with a local cache (no cluster ports), plain HTTP on loopback and the issuer
 * pinned to the URL the clients use. Its database is an H2 file in the given data folder, so realms and users survive
 * a restart of the local stack; a realm that exists already is not imported again. The first start on a fresh unpack
 * builds Keycloak's optimised image (about half a minute); later starts take a few seconds.
 *
 * <p>It starts with an administrator ({@value #ADMIN}) whose random password is kept in the data folder, readable by
 * this user only ({@link #adminPasswordFile}). Without one Keycloak's welcome page offers whoever reaches the port first
 * to create an administrator, and with it every client secret and role of the realm: on a shared machine, any other
 * user.
 */
public final class KeycloakProcess implements AutoCloseable {

    public static final String HOME_PROPERTY = "homecoming.keycloak.home";
    public static final String REALM = "homecoming";
    /** The administrator of the master realm that the first start creates. */
    public static final String ADMIN = "homecoming-admin";

    private final Process process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private KeycloakProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Starts Keycloak and waits until the realm's discovery document answers. */
    public static KeycloakProcess start(Path home, Path realmFile, int port, Path dataDir, Path log, Duration timeout) {
        return start(home, realmFile, port, dataDir, log, timeout, pid -> { });
    }

    /**
     * The same, and {@code started} is given the pid of {@code kc.sh} (which forwards SIGTERM to Keycloak's JVM) as soon
     * as it runs, before it is ready: the local stack records it, so that the next start can name it should the
     * launcher be killed while it waits.
     */
    public static KeycloakProcess start(Path home, Path realmFile, int port, Path dataDir, Path log, Duration timeout,
                                        LongConsumer started) {
        Path script = home.toAbsolutePath().resolve("bin").resolve("kc.sh");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException(script + " is missing: build with ./mvnw so the Keycloak zip is unpacked");
        }
        try {
            // --import-realm reads the home's data/import; a realm that exists in the database is skipped
            Path imports = home.toAbsolutePath().resolve("data").resolve("import");
            Files.createDirectories(imports);
            Files.copy(realmFile, imports.resolve(REALM + "-realm.json"), StandardCopyOption.REPLACE_EXISTING);
            Path database = dataDir.toAbsolutePath().resolve("keycloak");
            Files.createDirectories(database);
            Files.createDirectories(log.getParent());
            // --cache and --db are build options: local-stack's build runs kc.sh build with the same ones ahead, so
            // this start does not build again (keep them alike)
            List<String> command = List.of("bash", script.toString(), "start",
                    "--cache=local",
                    "--db=dev-file",
                    "--db-url=jdbc:h2:file:" + database.resolve("keycloakdb") + ";NON_KEYWORDS=VALUE",
                    "--http-enabled=true",
                    "--http-host=127.0.0.1",
                    "--http-port=" + port,
                    "--hostname=http://127.0.0.1:" + port,
                    "--import-realm",
                    "--log-level=WARN");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            // Keycloak creates this administrator at a start that finds none (environment, not arguments: ps shows those)
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN);
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword(adminPasswordFile(dataDir)));
            builder.environment().putAll(javaOptions());
            KeycloakProcess keycloak = new KeycloakProcess(builder.start(), port);
            Runtime.getRuntime().addShutdownHook(new Thread(keycloak::close, "stop-keycloak"));
            started.accept(keycloak.pid());
            keycloak.awaitReady(timeout, log);
            return keycloak;
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start Keycloak from " + home, e);
        }
    }

    /** Keycloak's JVM options, as the environment of {@code kc.sh}, which adds them to its own. */
    static Map<String, String> javaOptions() {
        return Map.of("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx384m",
                // The client compiler only: a quicker start beside the broker and the registry (its load is a few
                // sign-ins). kc.sh's own options exit on OutOfMemoryError too, but a JAVA_OPTS in the environment
                // replaces them all, so that flag is appended here as well.
                "JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1 " + ChildJvm.EXIT_ON_OUT_OF_MEMORY);
    }

    /** Where the password of {@value #ADMIN} is kept, in {@code dataDir}. */
    public static Path adminPasswordFile(Path dataDir) {
        return dataDir.toAbsolutePath().resolve("keycloak").resolve("admin-password");
    }

    /** The administrator's password: read from {@code file}, or made at random and written there, for this user only. */
    private static String adminPassword(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file).strip();
        }
        SecureRandom random = new SecureRandom();
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, password);
        return password;
    }

    public static KeycloakProcess startOnFreePort(Path home, Path realmFile, Path dataDir, Path log) {
        return start(home, realmFile, FreePorts.next(), dataDir, log, Duration.ofMinutes(6));
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** The issuer of the realm's tokens: what a resource server's {@code issuer-uri} names. */
    public String issuer() {
        return url() + "/realms/" + REALM;
    }

    public long pid() {
        return process.pid();
    }

    /** An access token for a user of the realm, by the password grant of a public client (demo users only). */
    public String passwordToken(String clientId, String username, String password) {
        return token(Map.of("grant_type", "password", "client_id", clientId, "username", username, "password", password));
    }

    /** An access token for a confidential client's own service account (client credentials grant). */
    public String clientToken(String clientId, String secret) {
        return token(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
    }

    /** An access token of an administrator of the master realm (Keycloak's own {@code admin-cli} client). */
    public String adminToken(String username, String password) {
        return token(url() + "/realms/master", Map.of("grant_type", "password", "client_id", "admin-cli",
                "username", username, "password", password));
    }

    private String token(Map<String, String> form) {
        return token(issuer(), form);
    }

    private String token(String realm, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(realm + "/protocol/openid-connect/token"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            Matcher token = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
            if (response.statusCode() != 200 || !token.find()) {
                throw new IllegalStateException("Keycloak refused a token for " + form.get("client_id") + ": "
                        + response.statusCode() + " " + response.body());
            }
            return token.group(1);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot reach Keycloak at " + url(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void awaitReady(Duration timeout, Path log) {
        HttpRequest discovery = HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(3)).build();
        ChildReadiness.awaitOk(process, http, discovery, Duration.ofMillis(300), timeout, "Keycloak", log, this::close);
    }

    /** SIGTERM, which kc.sh forwards to its Java process; a SIGKILL of the script alone would orphan that process. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        List<ProcessHandle> java = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                java.forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            for (ProcessHandle child : java) {
                child.onExit().get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception stillRunning) {
            java.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
