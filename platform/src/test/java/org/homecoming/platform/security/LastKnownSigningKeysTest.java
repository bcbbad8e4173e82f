package org.homecoming.platform.security;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.homecoming.platform.state.SavedDocuments;
import org.homecoming.testkit.MovableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.JwkSetUriJwtDecoderBuilderCustomizer;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.web.client.RestTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Spring Security's own decoder, fetching the keys over HTTP from a provider this test starts and stops, with the
 * cache Boot's decoder gets from the platform.
 */
class LastKnownSigningKeysTest {

    private static final Duration REFRESH = Duration.ofMinutes(5);
    private static final Duration TOLERANCE = Duration.ofHours(12);

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-03T08:00:00Z"));
    private final AtomicReference<JWKSet> published = new AtomicReference<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private final AtomicInteger refusals = new AtomicInteger();
    private volatile boolean overloaded;
    private HttpServer provider;
    private String keysUri;
    private String issuer;
    @TempDir
    Path stateFolder;
    private RSAKey signingKey;

    @BeforeEach
    void startTheProvider() throws Exception {
        signingKey = newKey("key-1");
        published.set(new JWKSet(signingKey.toPublicJWK()));
        provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        provider.createContext("/certs", exchange -> {
            if (overloaded) {
                refusals.incrementAndGet();
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            fetches.incrementAndGet();
            byte[] body = published.get().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        String address = "http://127.0.0.1:" + provider.getAddress().getPort();
        provider.createContext("/.well-known/openid-configuration", exchange -> {
            byte[] body = ("{\"issuer\":\"" + address + "\",\"jwks_uri\":\"" + address + "/certs\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        provider.start();
        issuer = address;
        keysUri = address + "/certs";
    }

    @AfterEach
    void stopTheProvider() {
        provider.stop(0);
    }

    @Test
    void shouldGoOnAcceptingValidTokensWhileTheIdentityProviderIsAway() throws Exception {
        // given a service that checked a token while the provider was up
        JwtDecoder decoder = decoder();
        String token = token(signingKey);
        decoder.decode(token);

        // when the provider goes away and the keys come due for their refresh, and long after
        provider.stop(0);
        clock.advance(REFRESH.plusMinutes(1));
        String subjectThen = decoder.decode(token).getSubject();
        clock.advance(Duration.ofHours(3));

        // then the tokens people hold are still accepted, checked against the keys fetched before the outage
        assertThat(subjectThen).isEqualTo("demo-reception");
        assertThat(decoder.decode(token).getSubject()).isEqualTo("demo-reception");
        assertThat(fetches).hasValue(1);
    }

    @Test
    void shouldRefuseTokensOnceTheOutageOutlastsTheTolerance() throws Exception {
        // given
        JwtDecoder decoder = decoder();
        String token = token(signingKey);
        decoder.decode(token);

        // when the provider stays away longer than the keys may be trusted without it
        provider.stop(0);
        clock.advance(TOLERANCE.plusSeconds(1));

        // then the token cannot be checked: the service says the provider is unavailable (503), not that it is bad
        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtException.class).isNotInstanceOf(BadJwtException.class);
    }

    @Test
    void shouldFetchTheKeysAgainOnceTheRefreshIntervalHasPassed() throws Exception {
        // given
        JwtDecoder decoder = decoder();
        String token = token(signingKey);
        decoder.decode(token);
        clock.advance(Duration.ofMinutes(4));
        decoder.decode(token);

        // when
        clock.advance(Duration.ofMinutes(2));
        decoder.decode(token);

        // then one fetch at the start, none within the interval, one after it
        assertThat(fetches).hasValue(2);
    }

    @Test
    void shouldLearnARotatedKeyFromTheFirstTokenSignedWithIt() throws Exception {
        // given a service that knows the provider's first key
        JwtDecoder decoder = decoder();
        decoder.decode(token(signingKey));
        clock.advance(LastKnownSigningKeys.MIN_FETCH_INTERVAL);

        // when the provider rotates to a new key, and a token signed with it arrives within the refresh interval
        RSAKey rotated = newKey("key-2");
        published.set(new JWKSet(List.of(signingKey.toPublicJWK(), rotated.toPublicJWK())));

        // then it is accepted: the unknown key made the service fetch the set again at once
        assertThat(decoder.decode(token(rotated)).getSubject()).isEqualTo("demo-reception");
        assertThat(fetches).hasValue(2);
    }

    @Test
    void shouldNotLetForgedKeyIdsMakeTheServiceHammerTheProvider() throws Exception {
        // given
        JwtDecoder decoder = decoder();
        decoder.decode(token(signingKey));
        clock.advance(LastKnownSigningKeys.MIN_FETCH_INTERVAL);

        // when a caller sends a hundred tokens naming keys the provider never had
        RSAKey forger = newKey("forger");
        for (int i = 0; i < 100; i++) {
            String forged = token(new RSAKey.Builder(forger).keyID("forged-" + i).build());
            assertThatThrownBy(() -> decoder.decode(forged)).isInstanceOf(BadJwtException.class);
        }

        // then the set was fetched once for them, not a hundred times, and good tokens still pass
        assertThat(fetches).hasValue(2);
        assertThat(decoder.decode(token(signingKey)).getSubject()).isEqualTo("demo-reception");
    }

    @Test
    void shouldTryAProviderThatFailsAtMostOnceEvery30Seconds() throws Exception {
        // given keys fetched, then a provider that answers 503 when they come due
        JwtDecoder decoder = decoder();
        String token = token(signingKey);
        decoder.decode(token);
        overloaded = true;
        clock.advance(REFRESH.plusSeconds(1));

        // when fifty requests come within 30 s, and one more after
        for (int i = 0; i < 50; i++) {
            decoder.decode(token);
            clock.advance(Duration.ofMillis(500));
        }
        int withinThePause = refusals.get();
        clock.advance(LastKnownSigningKeys.MIN_FETCH_INTERVAL);
        decoder.decode(token);

        // then the provider was asked once, and once more after the pause; every request was served meanwhile
        assertThat(withinThePause).isEqualTo(1);
        assertThat(refusals).hasValue(2);
    }

    @Test
    void shouldCheckTokensInAServiceStartedWhileTheIdentityProviderIsAway() throws Exception {
        // given a service, configured as Boot configures it (from the issuer), that checked a token and then stopped
        Path saved = stateFolder.resolve("identity-keys");
        String token = token(signingKey);
        issuerDecoder(saved).decode(token);

        // when the provider goes away, and the service starts again meanwhile
        provider.stop(0);
        JwtDecoder restarted = issuerDecoder(saved);

        // then the restarted service checks the tokens people hold, with the discovery document and keys it saved
        assertThat(restarted.decode(token).getSubject()).isEqualTo("demo-reception");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved))).isEqualTo("rwx------");
    }

    @Test
    void shouldShowThatTheProviderIsAwayInAServiceStartedDuringTheOutage() throws Exception {
        // given a service that saved the provider's documents and stopped
        SavedDocuments saved = SavedDocuments.in(stateFolder.resolve("identity-keys"));
        String token = token(signingKey);
        clockedIssuerDecoder(saved, new LastKnownSigningKeys(REFRESH, TOLERANCE, clock, saved)).decode(token);

        // when it starts again while the provider is away, and serves a token 10 s later
        provider.stop(0);
        LastKnownSigningKeys restartedKeys = new LastKnownSigningKeys(REFRESH, TOLERANCE, clock, saved);
        JwtDecoder restarted = clockedIssuerDecoder(saved, restartedKeys);
        clock.advance(Duration.ofSeconds(10));
        String subject = restarted.decode(token).getSubject();

        // then it serves, and its gauge says how long the provider has been away, not 0 (its saved keys are fresh)
        assertThat(subject).isEqualTo("demo-reception");
        assertThat(restartedKeys.unreachableSeconds()).isEqualTo(10.0);
    }

    @Test
    void shouldNotStartWithSavedKeysFetchedLongerAgoThanTheTolerance() throws Exception {
        // given keys saved by a service that has stopped
        SavedDocuments saved = SavedDocuments.in(stateFolder.resolve("identity-keys"));
        String token = token(signingKey);
        keysDecoder(saved).decode(token);

        // when it starts again while the provider is away, 12 hours and a second after those keys were fetched
        provider.stop(0);
        clock.advance(TOLERANCE.plusSeconds(1));

        // then the token cannot be checked (503), as for a service that kept the keys in memory
        JwtDecoder restarted = keysDecoder(saved);
        assertThatThrownBy(() -> restarted.decode(token)).isInstanceOf(JwtException.class).isNotInstanceOf(BadJwtException.class);
    }

    @Test
    void shouldNotTrustSavedKeysThatAnotherUserCouldHaveWritten() throws Exception {
        // given keys saved by a service that has stopped, in a file that others may write (someone could have put
        // their own key there, and signed tokens with any role)
        Path folder = stateFolder.resolve("identity-keys");
        SavedDocuments saved = SavedDocuments.in(folder);
        String token = token(signingKey);
        keysDecoder(saved).decode(token);
        try (var files = Files.list(folder)) {
            for (Path file : files.toList()) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
            }
        }

        // when the service starts again while the provider is away
        provider.stop(0);
        JwtDecoder restarted = keysDecoder(saved);

        // then it does not use them: the token cannot be checked until the provider is back
        assertThatThrownBy(() -> restarted.decode(token)).isInstanceOf(JwtException.class).isNotInstanceOf(BadJwtException.class);
    }

    @Test
    void shouldRefuseAFolderOthersMayWriteToKeepTheKeysIn() throws Exception {
        // given
        Path shared = Files.createDirectory(stateFolder.resolve("shared"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwxrwx")));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        // when / then
        assertThatThrownBy(() -> SavedDocuments.in(shared)).isInstanceOf(IOException.class)
                .hasMessageContaining("may be written by others");
    }

    @Test
    void shouldReadASavedDocumentBackOnlyForTheAddressItCameFrom() throws Exception {
        // given a document saved for one provider, whose file is then put where another provider's is
        Path folder = stateFolder.resolve("identity-keys");
        SavedDocuments saved = SavedDocuments.in(folder);
        saved.save("https://idp.example.org/certs", "{\"keys\":[]}", clock.instant());
        saved.save("https://other.example.org/certs", "{\"keys\":[1]}", clock.instant());
        Files.move(saved.fileFor("https://idp.example.org/certs"), saved.fileFor("https://other.example.org/certs"),
                StandardCopyOption.REPLACE_EXISTING);

        // when / then the other provider's address does not get the first one's keys, and nothing else is found
        assertThat(saved.find("https://other.example.org/certs")).isEmpty();
        assertThat(saved.find("https://idp.example.org/certs")).isEmpty();
    }

    /** As Boot builds it from {@code issuer-uri}, with the platform's customizer: discovery first, then the keys. */
    private JwtDecoder issuerDecoder(Path saved) {
        JwkSetUriJwtDecoderBuilderCustomizer platform = new ApiSecurityAutoConfiguration().homecomingLastKnownSigningKeys(
                REFRESH, TOLERANCE, saved.toString(), new StaticListableBeanFactory().getBeanProvider(MeterRegistry.class));
        NimbusJwtDecoder.JwkSetUriJwtDecoderBuilder builder = NimbusJwtDecoder.withIssuerLocation(issuer);
        platform.customize(builder);
        return builder.build();
    }

    /** As {@link #issuerDecoder}, on the test's clock. */
    private JwtDecoder clockedIssuerDecoder(SavedDocuments saved, LastKnownSigningKeys keys) {
        RestTemplate client = new RestTemplate();
        client.getInterceptors().add(new SavedDiscovery(saved, TOLERANCE, clock, keys::providerUnreachable));
        return NimbusJwtDecoder.withIssuerLocation(issuer).cache(keys).restOperations(client).build();
    }

    private JwtDecoder keysDecoder(SavedDocuments saved) {
        return NimbusJwtDecoder.withJwkSetUri(keysUri).cache(new LastKnownSigningKeys(REFRESH, TOLERANCE, clock, saved)).build();
    }

    private JwtDecoder decoder() {
        return NimbusJwtDecoder.withJwkSetUri(keysUri).cache(new LastKnownSigningKeys(REFRESH, TOLERANCE, clock)).build();
    }

    private static RSAKey newKey(String id) throws JOSEException {
        return new RSAKeyGenerator(2048).keyID(id).generate();
    }

    private String token(RSAKey key) throws JOSEException {
        Instant now = Instant.now();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().subject("demo-reception").issuer(issuer).issueTime(Date.from(now))
                        .expirationTime(Date.from(now.plus(Duration.ofHours(1)))).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }
}
