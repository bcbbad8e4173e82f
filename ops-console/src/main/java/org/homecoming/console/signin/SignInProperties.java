package org.homecoming.console.signin;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How people sign in to the console: any OIDC provider (authorization code flow) with a confidential client.
 *
 * @param issuerUri    the provider's issuer; its discovery document names the endpoints
 * @param clientId     the console's client at the provider
 * @param clientSecret that client's secret (from the environment, never from a committed file outside the local stack)
 */
@ConfigurationProperties("homecoming.console.login")
record SignInProperties(String issuerUri, String clientId, String clientSecret) {
}
