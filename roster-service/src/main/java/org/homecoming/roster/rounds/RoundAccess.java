package org.homecoming.roster.rounds;

import org.homecoming.platform.security.ApiAccess;
import org.homecoming.platform.security.Roles;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/** List officers record rounds and change their status; the roles that work with a round's people may read rounds. */
@Component
class RoundAccess implements ApiAccess {

    @Override
    public void authorize(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests) {
        requests.requestMatchers(HttpMethod.POST, "/api/v1/rounds", "/api/v1/rounds/*/status").hasRole(Roles.LIST_OFFICER)
                .requestMatchers(HttpMethod.GET, "/api/v1/rounds", "/api/v1/rounds/*").hasAnyRole(RosterReaders.ROLES);
    }
}
