package org.homecoming.platform.security;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

import static org.assertj.core.api.Assertions.assertThat;

class TokenAudienceTest {

    private final TokenAudience roster = new TokenAudience("roster-service");

    @Test
    void shouldAcceptATokenThatNamesTheServiceAmongItsAudiences() {
        // given a token issued for the roster and the transport service
        Jwt token = token(List.of("transport-service", "roster-service"));

        // when
        OAuth2TokenValidatorResult result = roster.validate(token);

        // then
        assertThat(result.hasErrors()).isFalse();
    }

    @Test
    void shouldRefuseATokenIssuedForAnotherResource() {
        // given a token the same provider signed for the schema registry's provisioning client
        Jwt token = token(List.of("schema-registry"));

        // when
        OAuth2TokenValidatorResult result = roster.validate(token);

        // then
        assertThat(result.hasErrors()).isTrue();
        assertThat(result.getErrors()).singleElement()
                .satisfies(error -> assertThat(error.getDescription()).contains("roster-service"));
    }

    @Test
    void shouldRefuseATokenWithoutAudience() {
        // given a token with no aud claim at all
        Jwt token = Jwt.withTokenValue("t").header("alg", "RS256").subject("someone")
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60)).build();

        // when / then
        assertThat(roster.validate(token).hasErrors()).isTrue();
    }

    private static Jwt token(List<String> audiences) {
        return Jwt.withTokenValue("t").header("alg", "RS256").subject("someone").audience(audiences)
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60)).build();
    }
}
