package org.homecoming.console.signin;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientResponseException;

/**
 * A sign-in that cannot begin because the identity provider does not answer (its discovery document is read at the
 * first sign-in, see {@link ProviderRegistration}): 503 with a page that says so, instead of Spring's bare 500. An
 * operator opening the console while Keycloak restarts learns that the provider is away, not that the console broke;
 * consoles already signed in go on, on their sessions. A sign-in naming another provider is 404; any other failure
 * stays a 500.
 */
final class SignInUnavailable implements AuthenticationFailureHandler {

    private static final Logger log = LoggerFactory.getLogger(SignInUnavailable.class);

    static final String PAGE = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Homecoming · Ops console</title></head>
            <body><h1>Sign-in is not possible right now</h1>
            <p>The identity provider cannot be reached. Consoles already signed in keep working.
            Try again in a minute; if it lasts, tell the platform team (alert HomecomingIdentityProviderUnreachable).</p>
            </body></html>
            """;

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        if (unknownProvider(request)) {
            // /oauth2/authorization/<anything else>: a wrong link, not a failure of the console
            response.sendError(HttpStatus.NOT_FOUND.value(), HttpStatus.NOT_FOUND.getReasonPhrase());
            return;
        }
        if (!providerAway(exception)) {
            response.sendError(HttpStatus.INTERNAL_SERVER_ERROR.value(), HttpStatus.INTERNAL_SERVER_ERROR.getReasonPhrase());
            return;
        }
        log.warn("A sign-in could not begin: the identity provider does not answer ({})", exception.getClass().getSimpleName());
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
        response.setHeader(HttpHeaders.RETRY_AFTER, "30");
        response.setContentType("text/html;charset=UTF-8");
        response.getWriter().write(PAGE);
    }

    /** Whether the sign-in names a provider other than the console's one. */
    private static boolean unknownProvider(HttpServletRequest request) {
        return !request.getRequestURI().equals(ConsoleSecurity.SIGN_IN);
    }

    /** Whether the provider could not be reached, or answered with a server error (while it starts). */
    static boolean providerAway(Throwable failure) {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth++ < 32; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ResourceAccessException || cause instanceof IOException) {
                return true;
            }
            if (cause instanceof RestClientResponseException answered && answered.getStatusCode().is5xxServerError()) {
                return true;
            }
        }
        return false;
    }
}
