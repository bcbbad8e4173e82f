package org.homecoming.reunification.alerts;

import org.homecoming.platform.security.ApiAccess;
import org.homecoming.platform.security.Roles;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/** Which alerts went out for an inquiry: for the hotline that answers the family and the caseworkers. */
@Component
class AlertAccess implements ApiAccess {

    @Override
    public void authorize(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests) {
        requests.requestMatchers(HttpMethod.GET, "/api/v1/inquiries/*/alerts").hasAnyRole(Roles.HOTLINE_OPERATOR, Roles.CASEWORKER);
    }
}
