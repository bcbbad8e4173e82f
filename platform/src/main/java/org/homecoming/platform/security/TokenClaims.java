package org.homecoming.platform.security;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Where a token says who the caller is and which roles it has. The defaults fit Keycloak; another OIDC provider
 * puts roles elsewhere (a top-level {@code roles} or {@code groups} claim), which {@code homecoming.security.roles-claim}
 * names as a dotted path.
 *
 * @param rolesClaim     dotted path to the list of role names, {@code realm_access.roles} for Keycloak
 * @param principalClaim the claim that names who acted ({@code decidedBy} and the like); {@code sub} when it is absent
 * @param clientClaim    the claim that names the OAuth2 client the token was issued to: {@code azp} (OIDC's authorized
 *                       party, which Keycloak sets on every token); a device bound to one bus is known by it
 */
@ConfigurationProperties("homecoming.security")
public record TokenClaims(String rolesClaim, String principalClaim, String clientClaim)
        implements Converter<Jwt, AbstractAuthenticationToken> {

    public TokenClaims {
        rolesClaim = rolesClaim == null || rolesClaim.isBlank() ? "realm_access.roles" : rolesClaim;
        principalClaim = principalClaim == null || principalClaim.isBlank() ? "preferred_username" : principalClaim;
        clientClaim = clientClaim == null || clientClaim.isBlank() ? "azp" : clientClaim;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        return new JwtAuthenticationToken(jwt, authorities(jwt.getClaims()), name(jwt.getClaims()));
    }

    /** {@code ROLE_<name>} for each role the claims carry at {@link #rolesClaim}. */
    public Collection<GrantedAuthority> authorities(Map<String, Object> claims) {
        Object node = claims;
        for (String part : rolesClaim.split("\\.")) {
            node = node instanceof Map<?, ?> map ? map.get(part) : null;
        }
        if (!(node instanceof Collection<?> roles)) {
            return List.of();
        }
        return roles.stream().map(String::valueOf).<GrantedAuthority>map(role -> new SimpleGrantedAuthority("ROLE_" + role)).toList();
    }

    /** The client the token was issued to, if the token names one at {@link #clientClaim}. */
    public Optional<String> client(Map<String, Object> claims) {
        Object client = claims.get(clientClaim);
        return client == null || client.toString().isBlank() ? Optional.empty() : Optional.of(client.toString());
    }

    public String name(Map<String, Object> claims) {
        Object name = claims.get(principalClaim);
        return name == null || name.toString().isBlank() ? String.valueOf(claims.get("sub")) : name.toString();
    }
}
