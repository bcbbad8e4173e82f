package org.homecoming.reunification.pairing;

import org.homecoming.platform.security.ApiAccess;
import org.homecoming.platform.security.Roles;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/** Only caseworkers see the review queue and its evidence, and confirm or reject matches. */
@Component
class MatchAccess implements ApiAccess {

    @Override
    public void authorize(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests) {
        requests.requestMatchers(HttpMethod.GET, "/api/v1/matches").hasRole(Roles.CASEWORKER)
                .requestMatchers(HttpMethod.POST, "/api/v1/matches/*/confirm", "/api/v1/matches/*/reject").hasRole(Roles.CASEWORKER);
    }
}
