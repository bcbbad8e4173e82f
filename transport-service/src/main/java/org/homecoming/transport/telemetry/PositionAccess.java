package org.homecoming.transport.telemetry;

import org.homecoming.platform.security.ApiAccess;
import org.homecoming.platform.security.Roles;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/** Only the buses' trackers send positions. */
@Component
class PositionAccess implements ApiAccess {

    @Override
    public void authorize(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests) {
        requests.requestMatchers(HttpMethod.POST, "/api/v1/buses/*/positions").hasRole(Roles.TRACKER);
    }
}
