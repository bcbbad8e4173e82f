package org.homecoming.reunification.alerts;

import org.homecoming.platform.security.ApiAccess;
import org.homecoming.platform.security.Roles;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/**
 * Which alerts went out for an inquiry: for the hotline that answers the family and the caseworkers. Alerts held for an
 * operator: ops viewers see the list; only the hotline resends or marks one delivered, because the right answer
 * depends on asking the family whether the message arrived, and the hotline is the role that speaks with them (ops
 * viewers watch, they do not act on a family's case).
 */
@Component
class AlertAccess implements ApiAccess {

    @Override
    public void authorize(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests) {
        requests.requestMatchers(HttpMethod.GET, "/api/v1/inquiries/*/alerts").hasAnyRole(Roles.HOTLINE_OPERATOR, Roles.CASEWORKER);
        requests.requestMatchers(HttpMethod.GET, "/api/v1/alerts/held").hasAnyRole(Roles.HOTLINE_OPERATOR, Roles.OPS_VIEWER);
        requests.requestMatchers(HttpMethod.POST, "/api/v1/alerts/*/resend", "/api/v1/alerts/*/delivered").hasRole(Roles.HOTLINE_OPERATOR);
    }
}
