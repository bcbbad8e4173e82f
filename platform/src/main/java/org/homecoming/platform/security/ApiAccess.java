package org.homecoming.platform.security;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * A service's access rules for its own endpoints, declared next to its controllers (as a {@code @Component}).
 * {@link ApiSecurityAutoConfiguration} applies every rule of the application, then denies whatever no rule names:
 * an endpoint added without a rule answers 401 or 403, never 200.
 */
@FunctionalInterface
public interface ApiAccess {

    void authorize(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests);
}
