package org.homecoming.console.signin;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.homecoming.platform.security.CallerFairShare;
import org.homecoming.platform.security.ProblemAccessResponses;
import org.homecoming.platform.security.Roles;
import org.homecoming.platform.security.TokenClaims;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * People sign in to the console with OIDC (authorization code) and need the {@link Roles#OPS_VIEWER} role, read from
 * the ID token's roles claim (the same claim path as the services' tokens). The page and its API then run on the
 * session cookie, so state-changing requests (acknowledgements, sign-out) need the CSRF token. A bearer token with the
 * role reads the figures, but never acts: acknowledging an item (or putting one back) needs a person signed in on the
 * page ({@link #signedInOperator}). Prometheus scrapes {@code /actuator/prometheus} with its own role,
 * {@link Roles#METRICS_SCRAPER}, which opens nothing else. The API answers 401/403 as problem+json instead of
 * redirecting to the provider.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SignInProperties.class)
public class ConsoleSecurity {

    /** Straight to the identity provider: the console has no sign-in page of its own. */
    static final String SIGN_IN = "/oauth2/authorization/" + ProviderRegistration.ID;
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");
    static final String PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    @Bean
    ClientRegistrationRepository clientRegistrations(SignInProperties properties) {
        return new ProviderRegistration(properties);
    }

    @Bean
    SecurityFilterChain consoleFilterChain(HttpSecurity http, ClientRegistrationRepository registrations, TokenClaims claims,
            @Value("${homecoming.api.requests-in-progress-per-caller:16}") int perCaller, ObjectProvider<MeterRegistry> meters)
            throws Exception {
        ProblemAccessResponses problems = new ProblemAccessResponses();
        RequestMatcher machines = new OrRequestMatcher(PathPatternRequestMatcher.pathPattern("/api/**"),
                PathPatternRequestMatcher.pathPattern("/actuator/**"));
        OidcClientInitiatedLogoutSuccessHandler signedOut = new OidcClientInitiatedLogoutSuccessHandler(registrations);
        signedOut.setPostLogoutRedirectUri("{baseUrl}/");
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        .requestMatchers("/error").permitAll()
                        // the API documents are public, as the services' are; the figures are not
                        .requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**").permitAll()
                        // Prometheus's own role opens the scrape and nothing else (see Roles.METRICS_SCRAPER)
                        .requestMatchers(HttpMethod.GET, "/actuator/prometheus").hasAnyRole(Roles.OPS_VIEWER, Roles.METRICS_SCRAPER)
                        .requestMatchers(operatorActs()).access(signedInOperator())
                        .anyRequest().hasRole(Roles.OPS_VIEWER))
                .oauth2Login(login -> login
                        .loginPage(SIGN_IN)
                        .userInfoEndpoint(userInfo -> userInfo.userAuthoritiesMapper(rolesOf(claims)))
                        // a sign-in that cannot begin because the provider is away: 503 and a page that says so
                        .withObjectPostProcessor(new ObjectPostProcessor<OAuth2AuthorizationRequestRedirectFilter>() {
                            @Override
                            public <O extends OAuth2AuthorizationRequestRedirectFilter> O postProcess(O filter) {
                                filter.setAuthenticationFailureHandler(new SignInUnavailable());
                                return filter;
                            }
                        }))
                .oauth2ResourceServer(server -> server.jwt(jwt -> jwt.jwtAuthenticationConverter(claims))
                        .authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .exceptionHandling(exceptions -> exceptions
                        .defaultAuthenticationEntryPointFor(problems, machines)
                        .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint(SIGN_IN), AnyRequestMatcher.INSTANCE)
                        .accessDeniedHandler(problems))
                // The page sends the token from the XSRF-TOKEN cookie on its POSTs (acknowledgements). Only a session can
                // be ridden by another site, so every request that a signed-in session would carry needs it, whatever
                // other header it has (an Authorization header that is no bearer token leaves the session acting); a
                // request without a session is refused as unauthenticated (401), not as forged.
                .csrf(csrf -> csrf.spa().ignoringRequestMatchers(request -> !signedInBySession()))
                // The page runs only its own script and talks only to this console: an id that slipped past every
                // check could not run as script, load from elsewhere or frame the page. Styles may be inline, as
                // Swagger UI sets them.
                .headers(headers -> headers.contentSecurityPolicy(policy -> policy.policyDirectives(PAGE_POLICY)))
                .logout(logout -> logout.logoutSuccessHandler(signedOut))
                // as at every service's API: one viewer, or one stolen token, holds a few request threads, never all
                .addFilterAfter(new CallerFairShare(perCaller, meters.getIfAvailable(SimpleMeterRegistry::new),
                        Clock.systemUTC()), AuthorizationFilter.class);
        return http.build();
    }

    /** Requests that change something: an operator's acts (acknowledging an item, putting one back). */
    private static RequestMatcher operatorActs() {
        RequestMatcher api = PathPatternRequestMatcher.pathPattern("/api/**");
        return request -> !SAFE_METHODS.contains(request.getMethod()) && api.matches(request);
    }

    /**
     * Only a person signed in on the page (OIDC authorization code, with its CSRF token) acts, as an ops viewer. A bearer
     * token does not say that a person acts: a service account's client-credentials token (Prometheus's, whose secret
     * sits in a config file) carries roles too, and which claims tell a person's token from a service account's
     * depends on the provider (Keycloak's {@code service-account-} names), while the console must work with any OIDC
     * provider. An acknowledgement hides an item from every operator, so it must name one; the page is where
     * operators act, and bearer tokens still read the figures.
     */
    private static AuthorizationManager<RequestAuthorizationContext> signedInOperator() {
        AuthorizationManager<RequestAuthorizationContext> opsViewer = AuthorityAuthorizationManager.hasRole(Roles.OPS_VIEWER);
        return (authentication, context) -> authentication.get() instanceof OAuth2AuthenticationToken
                ? opsViewer.authorize(authentication, context) : new AuthorizationDecision(false);
    }

    /** Whether the session (loaded before the CSRF check) carries a signed-in person. */
    private static boolean signedInBySession() {
        Authentication signedIn = SecurityContextHolder.getContext().getAuthentication();
        return signedIn != null && signedIn.isAuthenticated() && !(signedIn instanceof AnonymousAuthenticationToken);
    }

    /** The realm roles in the ID token become {@code ROLE_} authorities; nothing else grants access to the console. */
    private static GrantedAuthoritiesMapper rolesOf(TokenClaims claims) {
        return authorities -> {
            Collection<GrantedAuthority> mapped = new ArrayList<>(authorities);
            for (GrantedAuthority authority : authorities) {
                if (authority instanceof OidcUserAuthority oidc) {
                    mapped.addAll(claims.authorities(oidc.getIdToken().getClaims()));
                }
            }
            return List.copyOf(mapped);
        };
    }
}
