package org.homecoming.platform.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;

import static org.assertj.core.api.Assertions.assertThat;

class TokenClaimsTest {

    @Test
    void shouldTakeRolesFromKeycloaksRealmAccessAndTheNameFromPreferredUsername() {
        // given a token as Keycloak issues it
        Jwt token = token(Map.of("sub", "5d0f", "preferred_username", "demo-caseworker",
                "realm_access", Map.of("roles", List.of("caseworker", "offline_access"))));

        // when
        AbstractAuthenticationToken authentication = new TokenClaims(null, null, null).convert(token);

        // then
        assertThat(authentication.getName()).isEqualTo("demo-caseworker");
        assertThat(authentication.getAuthorities()).extracting(GrantedAuthority::getAuthority)
                .containsExactlyInAnyOrder("ROLE_caseworker", "ROLE_offline_access");
    }

    @Test
    void shouldReadRolesFromAnotherProvidersClaimAndFallBackToTheSubject() {
        // given a provider that puts roles in a top-level "roles" claim and names no user
        Jwt token = token(Map.of("sub", "svc-42", "roles", List.of("tracker"),
                "realm_access", Map.of("roles", List.of("caseworker"))));

        // when
        AbstractAuthenticationToken authentication = new TokenClaims("roles", "preferred_username", null).convert(token);

        // then only the configured claim grants roles
        assertThat(authentication.getName()).isEqualTo("svc-42");
        assertThat(authentication.getAuthorities()).extracting(GrantedAuthority::getAuthority).containsExactly("ROLE_tracker");
    }

    @Test
    void shouldNameTheClientATokenWasIssuedTo() {
        // a tracker device's client-credentials token, as Keycloak issues it, and another provider's claim
        Map<String, Object> keycloak = Map.of("sub", "a1", "azp", "tracker-bus-07", "preferred_username", "service-account-tracker-bus-07");
        Map<String, Object> other = Map.of("sub", "a2", "appid", "tracker-bus-08");

        assertThat(new TokenClaims(null, null, null).client(keycloak)).contains("tracker-bus-07");
        assertThat(new TokenClaims(null, null, "appid").client(other)).contains("tracker-bus-08");
        assertThat(new TokenClaims(null, null, null).client(other)).as("a token that names no client").isEmpty();
    }

    @Test
    void shouldGrantNothingWhenTheClaimIsMissingOrNotAList() {
        assertThat(new TokenClaims(null, null, null).authorities(Map.of("realm_access", "caseworker"))).isEmpty();
        assertThat(new TokenClaims(null, null, null).authorities(Map.of("sub", "x"))).isEmpty();
    }

    private static Jwt token(Map<String, Object> claims) {
        return Jwt.withTokenValue("t").header("alg", "RS256").claims(all -> all.putAll(claims))
                .issuedAt(Instant.parse("2026-11-29T10:00:00Z")).expiresAt(Instant.parse("2026-11-29T10:15:00Z")).build();
    }
}
