package org.homecoming.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A stand-in identity provider for tests that call a service over real HTTP without Keycloak: it signs RS256 access
 * tokens shaped like Keycloak's ({@code preferred_username}, roles at {@code realm_access.roles}, every service as
 * an audience) with a key pair made
 * for this JVM, and gives the arguments that make a service trust that key. Tests through MockMvc need none of this:
 * Spring Security's test support ({@code jwt()}, {@code @WithMockUser}) acts with a role directly.
 */
public final class TestTokens {

    private static final KeyPair KEYS = generate();
    private static final Path PUBLIC_KEY = writePublicKey();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();
    /** Every service checks that a token names it as an audience; these tokens are good for all of them. */
    private static final String AUDIENCES = "[\"roster-service\",\"transport-service\",\"reunification-service\",\"ops-console\"]";

    private TestTokens() {
    }

    /** Arguments for a service under test: trust this JVM's key instead of the identity provider's. */
    public static List<String> resourceServerArguments() {
        return List.of("--spring.security.oauth2.resourceserver.jwt.public-key-location=" + PUBLIC_KEY.toUri(),
                // an issuer would make Boot fetch keys from it, and the public key would be ignored
                "--spring.security.oauth2.resourceserver.jwt.issuer-uri=");
    }

    /** An {@code Authorization} header value for a user with these realm roles, valid for ten minutes. */
    public static String bearer(String username, String... roles) {
        return signed("{\"sub\":\"" + username + "\",\"preferred_username\":\"" + username + "\"", roles);
    }

    /**
     * An {@code Authorization} header value for an OAuth2 client acting for itself (client credentials, as a tracker
     * device does), with these realm roles: the client is in {@code azp}, as Keycloak puts it.
     */
    public static String clientBearer(String client, String... roles) {
        return signed("{\"sub\":\"service-account-" + client + "\",\"preferred_username\":\"service-account-" + client
                + "\",\"azp\":\"" + client + "\"", roles);
    }

    private static String signed(String subject, String... roles) {
        long now = Instant.now().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String payload = subject + ",\"aud\":" + AUDIENCES
                + ",\"iat\":" + now
                + ",\"exp\":" + (now + 600) + ",\"realm_access\":{\"roles\":["
                + Stream.of(roles).map(role -> "\"" + role + "\"").collect(Collectors.joining(",")) + "]}}";
        String signingInput = URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + URL.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(KEYS.getPrivate());
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return "Bearer " + signingInput + "." + URL.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path writePublicKey() {
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(KEYS.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        try {
            Path file = Files.createTempFile("test-issuer-", ".pem");
            Files.writeString(file, pem);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
