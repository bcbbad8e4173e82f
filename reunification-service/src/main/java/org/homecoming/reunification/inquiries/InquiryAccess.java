package org.homecoming.reunification.inquiries;

import org.homecoming.platform.security.ApiAccess;
import org.homecoming.platform.security.Roles;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.stereotype.Component;

/**
 * Hotline operators register, update, renew and withdraw inquiries, and see which are due for renewal. Caseworkers may read one to review a match, but without
 * the relative's contact data ({@link InquiryController}).
 */
@Component
class InquiryAccess implements ApiAccess {

    @Override
    public void authorize(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests) {
        requests.requestMatchers(HttpMethod.POST, "/api/v1/inquiries").hasRole(Roles.HOTLINE_OPERATOR)
                .requestMatchers(HttpMethod.PUT, "/api/v1/inquiries/*").hasRole(Roles.HOTLINE_OPERATOR)
                .requestMatchers(HttpMethod.DELETE, "/api/v1/inquiries/*").hasRole(Roles.HOTLINE_OPERATOR)
                .requestMatchers(HttpMethod.POST, "/api/v1/inquiries/*/renewal").hasRole(Roles.HOTLINE_OPERATOR)
                .requestMatchers(HttpMethod.GET, "/api/v1/inquiry-renewals").hasRole(Roles.HOTLINE_OPERATOR)
                .requestMatchers(HttpMethod.GET, "/api/v1/inquiries/*").hasAnyRole(Roles.HOTLINE_OPERATOR, Roles.CASEWORKER);
    }
}
