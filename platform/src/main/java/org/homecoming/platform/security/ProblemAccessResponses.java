package org.homecoming.platform.security;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;

/**
 * 401 and 403 in the same shape as every other error of the APIs: {@code application/problem+json} (RFC 9457), with
 * the {@code WWW-Authenticate} header of RFC 6750 that OAuth2 clients read. The body never says which role was
 * missing.
 */
public final class ProblemAccessResponses implements AuthenticationEntryPoint, AccessDeniedHandler, AuthenticationFailureHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAccessResponses.class);

    static final URI UNAUTHENTICATED = URI.create("https://homecoming.example/problems/unauthenticated");
    /** The type of every 403, also a service's own refusal of a caller its roles let in (a device and another's bus). */
    public static final URI FORBIDDEN = URI.create("https://homecoming.example/problems/forbidden");
    static final URI IDENTITY_UNAVAILABLE = URI.create("https://homecoming.example/problems/identity-provider-unavailable");
    static final URI TOO_MANY_IN_PROGRESS = URI.create("https://homecoming.example/problems/too-many-requests-in-progress");

    private final BearerTokenAuthenticationEntryPoint bearerEntryPoint = new BearerTokenAuthenticationEntryPoint();
    private final BearerTokenAccessDeniedHandler bearerDenied = new BearerTokenAccessDeniedHandler();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        bearerEntryPoint.commence(request, response, exception);
        write(response, HttpStatus.UNAUTHORIZED, UNAUTHENTICATED, "Unauthenticated",
                "This endpoint needs a valid bearer token (OAuth2 access token, JWT) from the identity provider");
    }

    /**
     * A bearer token that could not be checked at all: the identity provider, whose keys check it, could not be reached
     * (a service started while it was down, or its keys changed while it is). Spring would let the exception escape as a
     * 500, and a 401 would tell an operator on exchange day that their sign-in is wrong, so they sign in again and again:
     * it is 503, saying what is wrong and to try again. Any other failure is the token's: 401.
     */
    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        if (exception instanceof AuthenticationServiceException) {
            // the exception's class only: its message may quote the provider's address, never a token
            log.warn("A bearer token could not be checked, the identity provider is unreachable: {}", exception.getClass().getSimpleName());
            response.setHeader(HttpHeaders.RETRY_AFTER, "5");
            write(response, HttpStatus.SERVICE_UNAVAILABLE, IDENTITY_UNAVAILABLE, "Identity provider unavailable",
                    "The token could not be checked: the identity provider cannot be reached. Try again shortly");
            return;
        }
        commence(request, response, exception);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException exception)
            throws IOException {
        bearerDenied.handle(request, response, exception);
        write(response, HttpStatus.FORBIDDEN, FORBIDDEN, "Forbidden", "The token's roles do not allow this request");
    }

    static void write(HttpServletResponse response, HttpStatus status, URI type, String title, String detail)
            throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"type\":\"" + type + "\",\"title\":\"" + title + "\",\"status\":" + status.value()
                + ",\"detail\":\"" + detail + "\"}");
    }
}
