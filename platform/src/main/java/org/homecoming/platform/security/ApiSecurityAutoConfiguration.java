package org.homecoming.platform.security;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.homecoming.platform.observability.MetricNames;
import org.homecoming.platform.state.SavedDocuments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.JwkSetUriJwtDecoderBuilderCustomizer;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.web.client.RestTemplate;

/**
 * Every Homecoming REST API is an OAuth2 resource server: a request needs a JWT access token from the identity
 * provider (any OIDC provider: {@code spring.security.oauth2.resourceserver.jwt.issuer-uri}), and the token's roles
 * must be allowed by the rules that the service declares next to its controllers ({@link ApiAccess}). No token gets
 * 401, the wrong role 403, both as problem+json. What no rule names is denied.
 *
 * <p>Health is public and says only UP or DOWN (details only with {@link Roles#OPS_VIEWER}); the rest of actuator
 * (Prometheus, metrics) needs {@link Roles#OPS_VIEWER}, except that Prometheus's scrape ({@code GET
 * /actuator/prometheus}) is also open to {@link Roles#METRICS_SCRAPER}, which opens nothing else. The API documents
 * are public. There is no session and no
 * cookie: a browser never sends a bearer token on its own, so no other site can make a user's browser call an
 * endpoint (CSRF protection is for cookie sessions, and is off here).
 */
@AutoConfiguration(before = {ServletWebSecurityAutoConfiguration.class, OAuth2ResourceServerAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(TokenClaims.class)
public class ApiSecurityAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ApiSecurityAutoConfiguration.class);
    private static final Duration PROVIDER_TIMEOUT = Duration.ofMillis(500);

    /** Added by Boot to the validators of the JWT decoder it builds (issuer, key set or public key alike). */
    @Bean
    @ConditionalOnExpression("!'${homecoming.security.audience:}'.isBlank()")
    TokenAudience homecomingTokenAudience(@Value("${homecoming.security.audience}") String audience) {
        return new TokenAudience(audience);
    }

    /**
     * The decoder Boot builds from the issuer keeps the provider's signing keys as last fetched, so that tokens are
     * still checked while the provider is away ({@link LastKnownSigningKeys}); how long it has been away is a gauge.
     * With {@code homecoming.identity.keys.saved-in}, the keys and the discovery document are also kept on disk
     * ({@link SavedDocuments}), so a service that starts during the outage checks tokens too.
     */
    @Bean
    JwkSetUriJwtDecoderBuilderCustomizer homecomingLastKnownSigningKeys(
            @Value("${homecoming.identity.keys.refresh-interval:PT5M}") Duration refreshInterval,
            @Value("${homecoming.identity.keys.outage-tolerance:PT12H}") Duration outageTolerance,
            @Value("${homecoming.identity.keys.saved-in:}") String savedIn,
            ObjectProvider<MeterRegistry> meters) {
        SavedDocuments saved = savedIn.isBlank() ? null : savedDocuments(Path.of(savedIn));
        return builder -> {
            LastKnownSigningKeys keys = new LastKnownSigningKeys(refreshInterval, outageTolerance, Clock.systemUTC(), saved);
            meters.ifAvailable(registry -> Gauge.builder(MetricNames.IDENTITY_PROVIDER_UNREACHABLE, keys,
                    LastKnownSigningKeys::unreachableSeconds).baseUnit("seconds").strongReference(true).register(registry));
            builder.cache(keys);
            if (saved != null) {
                builder.restOperations(providerClient(new SavedDiscovery(saved, outageTolerance, Clock.systemUTC(),
                        keys::providerUnreachable)));
            }
        };
    }

    /** A folder that cannot be trusted costs the restart case only: the keys are then kept in memory, as before. */
    private static SavedDocuments savedDocuments(Path folder) {
        try {
            return SavedDocuments.in(folder);
        } catch (IOException | RuntimeException e) {
            log.warn("The identity provider's keys are kept in memory only, not in {}: {}", folder, e.getMessage());
            return null;
        }
    }

    /** The timeouts Spring gives the decoder's own client: a provider that hangs holds no request for long. */
    private static RestTemplate providerClient(SavedDiscovery discovery) {
        SimpleClientHttpRequestFactory requests = new SimpleClientHttpRequestFactory();
        requests.setConnectTimeout(PROVIDER_TIMEOUT);
        requests.setReadTimeout(PROVIDER_TIMEOUT);
        RestTemplate client = new RestTemplate(requests);
        client.getInterceptors().add(discovery);
        return client;
    }

    @Bean
    @ConditionalOnMissingBean(SecurityFilterChain.class)
    SecurityFilterChain homecomingApiSecurity(HttpSecurity http, ObjectProvider<ApiAccess> rules, TokenClaims claims,
            @Value("${homecoming.api.requests-in-progress-per-caller:16}") int perCaller, ObjectProvider<MeterRegistry> meters)
            throws Exception {
        ProblemAccessResponses problems = new ProblemAccessResponses();
        // not a bean: Boot would also put a Filter bean in front of every request, before the caller is known
        CallerFairShare fairShare = new CallerFairShare(perCaller, meters.getIfAvailable(SimpleMeterRegistry::new),
                Clock.systemUTC());
        List<ApiAccess> serviceRules = rules.orderedStream().toList();
        http.authorizeHttpRequests(requests -> {
                    requests.requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                            // Prometheus's own role opens the scrape and nothing else (see Roles.METRICS_SCRAPER)
                            .requestMatchers(HttpMethod.GET, "/actuator/prometheus").hasAnyRole(Roles.OPS_VIEWER, Roles.METRICS_SCRAPER)
                            .requestMatchers("/actuator/**").hasRole(Roles.OPS_VIEWER)
                            .requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml",
                                    "/swagger-ui.html", "/swagger-ui/**").permitAll()
                            .requestMatchers("/error").permitAll();
                    serviceRules.forEach(rule -> rule.authorize(requests));
                    requests.anyRequest().denyAll();
                })
                .oauth2ResourceServer(server -> server
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(claims))
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems)
                        // a token that cannot be checked because the identity provider is away: 503, not a 500
                        .withObjectPostProcessor(new ObjectPostProcessor<BearerTokenAuthenticationFilter>() {
                            @Override
                            public <O extends BearerTokenAuthenticationFilter> O postProcess(O filter) {
                                filter.setAuthenticationFailureHandler(problems);
                                return filter;
                            }
                        }))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                // after the token was checked and the request allowed: only a signed-in caller's allowed requests count
                .addFilterAfter(fairShare, AuthorizationFilter.class)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable());
        return http.build();
    }
}
