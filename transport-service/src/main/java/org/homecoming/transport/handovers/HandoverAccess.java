package org.homecoming.transport.handovers;

import org.homecoming.platform.security.ApiAccess;
import org.homecoming.platform.security.Roles;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/**
 * Reception staff hand people over, close a bus's hand-overs and admit people at the hospital. Closing takes no body,
 * yet no other site can trigger it: it needs a bearer token, which a browser never attaches on its own.
 */
@Component
class HandoverAccess implements ApiAccess {

    @Override
    public void authorize(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests) {
        requests.requestMatchers(HttpMethod.POST, "/api/v1/handovers", "/api/v1/admissions", "/api/v1/buses/*/handovers-complete",
                        "/api/v1/buses/*/arrival")
                .hasRole(Roles.RECEPTION_STAFF);
    }
}
