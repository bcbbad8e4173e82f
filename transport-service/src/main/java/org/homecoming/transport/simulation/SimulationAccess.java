package org.homecoming.transport.simulation;

import org.homecoming.platform.security.ApiAccess;
import org.homecoming.platform.security.Roles;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/** The simulator stands in for the buses' trackers, so it takes their role. */
@Component
class SimulationAccess implements ApiAccess {

    @Override
    public void authorize(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests) {
        requests.requestMatchers(HttpMethod.POST, "/api/v1/simulations").hasRole(Roles.TRACKER)
                .requestMatchers(HttpMethod.GET, "/api/v1/simulations/*").hasRole(Roles.TRACKER);
    }
}
