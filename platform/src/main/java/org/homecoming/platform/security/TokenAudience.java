package org.homecoming.platform.security;

import java.util.List;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * A token is accepted only if it was issued for this service: its {@code aud} claim names the service's audience
 * ({@code homecoming.security.audience}, the application's name unless configured). A token the provider issued for
 * another resource (the schema registry, another organisation's API) is refused with 401, even though the provider
 * signed it. Keycloak adds an audience with an audience mapper on each client that may call the service.
 */
public record TokenAudience(String audience) implements OAuth2TokenValidator<Jwt> {

    @Override
    public OAuth2TokenValidatorResult validate(Jwt token) {
        List<String> audiences = token.getAudience();
        if (audiences != null && audiences.contains(audience)) {
            return OAuth2TokenValidatorResult.success();
        }
        return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
                "The token is not meant for " + audience, null));
    }
}
