package org.homecoming.roster.lists;

import org.homecoming.platform.security.ApiAccess;
import org.homecoming.platform.security.Roles;
import org.homecoming.roster.rounds.RosterReaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/** Only list officers publish and amend release lists. */
@Component
class ListAccess implements ApiAccess {

    @Override
    public void authorize(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests) {
        requests.requestMatchers(HttpMethod.POST, "/api/v1/rounds/*/lists").hasRole(Roles.LIST_OFFICER)
                .requestMatchers(HttpMethod.GET, "/api/v1/rounds/*/lists", "/api/v1/rounds/*/lists/*", "/api/v1/persons/*")
                .hasAnyRole(RosterReaders.ROLES);
    }
}
