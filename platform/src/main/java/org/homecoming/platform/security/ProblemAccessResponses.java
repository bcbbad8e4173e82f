package org.homecoming.platform.security;

import java.io.IOException;
import java.net.URI;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 401 and 403 in the same shape as every other error of the APIs: {@code application/problem+json} (RFC 9457), with
 * the {@code WWW-Authenticate} header of RFC 6750 that OAuth2 clients read. The body never says which role was
 * missing.
 */
public final class ProblemAccessResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

    static final URI UNAUTHENTICATED = URI.create("https://homecoming.example/problems/unauthenticated");
    static final URI FORBIDDEN = URI.create("https://homecoming.example/problems/forbidden");

    private final BearerTokenAuthenticationEntryPoint bearerEntryPoint = new BearerTokenAuthenticationEntryPoint();
    private final BearerTokenAccessDeniedHandler bearerDenied = new BearerTokenAccessDeniedHandler();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
            throws IOException {
        bearerEntryPoint.commence(request, response, exception);
        write(response, HttpStatus.UNAUTHORIZED, UNAUTHENTICATED, "Unauthenticated",
                "This endpoint needs a valid bearer token (OAuth2 access token, JWT) from the identity provider");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException exception)
            throws IOException {
        bearerDenied.handle(request, response, exception);
        write(response, HttpStatus.FORBIDDEN, FORBIDDEN, "Forbidden", "The token's roles do not allow this request");
    }

    private static void write(HttpServletResponse response, HttpStatus status, URI type, String title, String detail)
            throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("{\"type\":\"" + type + "\",\"title\":\"" + title + "\",\"status\":" + status.value()
                + ",\"detail\":\"" + detail + "\"}");
    }
}
