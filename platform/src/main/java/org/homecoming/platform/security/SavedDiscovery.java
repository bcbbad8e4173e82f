package org.homecoming.platform.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.homecoming.platform.state.SavedDocuments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * The provider's discovery document (which names its key set) kept across restarts, for the decoder Boot builds from
 * an issuer: Spring reads that document before it can check the first token, so a service started while the provider
 * was away could check none, even with the keys saved ({@link LastKnownSigningKeys}).
 *
 * <p>Each discovery document the provider gives is saved; when the provider cannot be reached or answers with a
 * server error, the saved one is given instead, if it was fetched within the outage tolerance. Only discovery
 * requests ({@code /.well-known/}) are handled here: the keys have their own cache, which tells an outage from a
 * fetch.
 */
final class SavedDiscovery implements ClientHttpRequestInterceptor {

    private static final Logger log = LoggerFactory.getLogger(SavedDiscovery.class);

    private final SavedDocuments saved;
    private final Duration outageTolerance;
    private final Clock clock;
    /** Told when the saved document stands in for the provider's ({@link LastKnownSigningKeys#providerUnreachable}). */
    private final Runnable providerUnreachable;

    SavedDiscovery(SavedDocuments saved, Duration outageTolerance, Clock clock, Runnable providerUnreachable) {
        this.saved = saved;
        this.outageTolerance = outageTolerance;
        this.clock = clock;
        this.providerUnreachable = providerUnreachable;
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution) throws IOException {
        if (!request.getURI().getPath().contains("/.well-known/")) {
            return execution.execute(request, body);
        }
        String uri = request.getURI().toString();
        ClientHttpResponse response;
        try {
            response = execution.execute(request, body);
        } catch (IOException unreachable) {
            return savedCopy(uri, unreachable.toString()).orElseThrow(() -> unreachable);
        }
        if (response.getStatusCode().is5xxServerError()) {
            Optional<ClientHttpResponse> copy = savedCopy(uri, "answered " + response.getStatusCode().value());
            if (copy.isPresent()) {
                response.close();
                return copy.get();
            }
            return response;
        }
        if (!response.getStatusCode().is2xxSuccessful()) {
            return response; // a 404 here sends Spring on to the next well-known address
        }
        try (response) {
            byte[] document = response.getBody().readAllBytes();
            try {
                saved.save(uri, new String(document, StandardCharsets.UTF_8), clock.instant());
            } catch (IOException e) {
                log.warn("The identity provider's discovery document could not be saved for a restart: {}", e.getMessage());
            }
            return new Answer(response.getStatusCode(), response.getHeaders(), document);
        }
    }

    private Optional<ClientHttpResponse> savedCopy(String uri, String why) {
        try {
            Instant now = clock.instant();
            return saved.find(uri).filter(copy -> now.isBefore(copy.fetchedAt().plus(outageTolerance))).map(copy -> {
                log.warn("The identity provider's discovery document could not be fetched ({}); the one fetched at {} is used",
                        why, copy.fetchedAt());
                providerUnreachable.run();
                HttpHeaders headers = new HttpHeaders();
                headers.setContentType(MediaType.APPLICATION_JSON);
                return new Answer(HttpStatusCode.valueOf(200), headers, copy.body().getBytes(StandardCharsets.UTF_8));
            });
        } catch (IOException e) {
            log.warn("The identity provider's saved discovery document is not used: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /** An answer held in memory: the provider's, read once to be saved, or the saved one. */
    private record Answer(HttpStatusCode status, HttpHeaders headers, byte[] body) implements ClientHttpResponse {

        @Override
        public HttpStatusCode getStatusCode() {
            return status;
        }

        @Override
        public String getStatusText() {
            return "";
        }

        @Override
        public HttpHeaders getHeaders() {
            return headers;
        }

        @Override
        public InputStream getBody() {
            return new ByteArrayInputStream(body);
        }

        @Override
        public void close() {
        }
    }
}
