package org.homecoming.localstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Asks a service whether it serves a signed-in caller and refuses a forged token, as the fault-injection run does with
 * a service it started again while the identity provider was away: a service that cannot check tokens then either
 * refuses everyone (503 or 401) or, worse, lets a forgery through.
 */
final class SignedInProbe {

    /** What the service answered: the caller's real token, and a token signed with a key the provider never had. */
    record Answers(int signedIn, int forged) {

        boolean asExpected() {
            return signedIn == 200 && forged == 401;
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SignedInProbe() {
    }

    /**
     * GETs {@code url} with the caller's token and with a forged one that claims the same issuer, audience and role: only
     * the signature tells them apart.
     */
    static Answers ask(String url, String token, String issuer, String audience, String role)
            throws IOException, InterruptedException {
        return new Answers(status(url, token), status(url, forged(issuer, audience, role)));
    }

    private static int status(String url, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /**
     * A well-formed RS256 token with every claim a signed-in caller of {@code role} has, signed with a key made here:
     * only its signature gives it away.
     */
    static String forged(String issuer, String audience, String role) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            PrivateKey key = generator.generateKeyPair().getPrivate();
            long now = Instant.now().getEpochSecond();
            String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"forged\"}";
            String claims = ("{\"iss\":\"%s\",\"aud\":[\"%s\"],\"sub\":\"intruder\",\"preferred_username\":\"intruder\","
                    + "\"iat\":%d,\"exp\":%d,\"realm_access\":{\"roles\":[\"%s\"]}}")
                    .formatted(issuer, audience, now, now + 300, role);
            String signed = base64(header.getBytes(StandardCharsets.UTF_8)) + "." + base64(claims.getBytes(StandardCharsets.UTF_8));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(key);
            signature.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + base64(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot make the forged token", e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
