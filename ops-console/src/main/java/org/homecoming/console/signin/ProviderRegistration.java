package org.homecoming.console.signin;

import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.core.AuthorizationGrantType;

/**
 * The console's one OIDC client, read from the provider's discovery document on the first sign-in rather than at
 * start-up (as Boot's own registration would), so the console starts while the identity provider is still starting,
 * and in tests that need no provider.
 */
final class ProviderRegistration implements ClientRegistrationRepository {

    static final String ID = "homecoming";

    private final SignInProperties properties;
    private volatile ClientRegistration registration;

    ProviderRegistration(SignInProperties properties) {
        this.properties = properties;
    }

    @Override
    public ClientRegistration findByRegistrationId(String registrationId) {
        if (!ID.equals(registrationId)) {
            return null;
        }
        ClientRegistration found = registration;
        if (found == null) {
            synchronized (this) {
                if (registration == null) {
                    registration = ClientRegistrations.fromIssuerLocation(properties.issuerUri())
                            .registrationId(ID)
                            .clientId(properties.clientId())
                            .clientSecret(properties.clientSecret())
                            .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
                            .redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
                            .scope("openid", "profile")
                            .build();
                }
                found = registration;
            }
        }
        return found;
    }
}
