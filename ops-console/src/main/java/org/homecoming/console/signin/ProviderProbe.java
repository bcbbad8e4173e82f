package org.homecoming.console.signin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Asks the identity provider for its discovery document every {@code homecoming.console.identity-probe-interval}
 * (15 s), so that the console can say when it is away: nobody can then sign in or get a new token, while the services
 * go on checking the tokens already issued against its last keys. The console's own sessions do not need it, so nothing
 * else would show the outage on the page.
 */
@Component
public class ProviderProbe {

    private static final Logger log = LoggerFactory.getLogger(ProviderProbe.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final URI discovery;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private volatile Instant unreachableSince;

    @Autowired
    ProviderProbe(SignInProperties properties) {
        this(URI.create(properties.issuerUri().replaceAll("/+$", "") + "/.well-known/openid-configuration"), Clock.systemUTC());
    }

    ProviderProbe(URI discovery, Clock clock) {
        this.discovery = discovery;
        this.clock = clock;
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "${homecoming.console.identity-probe-interval:15s}")
    void probe() {
        boolean answered = answers();
        Instant now = clock.instant();
        if (answered && unreachableSince != null) {
            log.info("The identity provider answers again after {} s", Duration.between(unreachableSince, now).toSeconds());
            unreachableSince = null;
        } else if (!answered && unreachableSince == null) {
            log.warn("The identity provider does not answer at {}", discovery);
            unreachableSince = now;
        }
    }

    /** Since when the provider has not answered, or empty while it answers. */
    public Optional<Instant> unreachableSince() {
        return Optional.ofNullable(unreachableSince);
    }

    private boolean answers() {
        try {
            HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(discovery).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            return answer.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
