package org.homecoming.transport.buses;

import org.homecoming.platform.security.ApiAccess;
import org.homecoming.platform.security.Roles;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/** Where the buses are and who rides them: for the transport officers and the reception staff who wait for them. */
@Component
class BusAccess implements ApiAccess {

    @Override
    public void authorize(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests) {
        requests.requestMatchers(HttpMethod.GET, "/api/v1/buses", "/api/v1/buses/*")
                .hasAnyRole(Roles.TRANSPORT_OFFICER, Roles.RECEPTION_STAFF);
    }
}
