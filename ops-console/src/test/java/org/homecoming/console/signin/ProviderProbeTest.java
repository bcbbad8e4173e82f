package org.homecoming.console.signin;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.homecoming.testkit.MovableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ProviderProbeTest {

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-03T08:00:00Z"));

    @Test
    void shouldKnowSinceWhenTheProviderHasNotAnsweredAndForgetItOnceItAnswers() throws Exception {
        // given a provider that answers its discovery document, then is stopped, then answers again
        AtomicInteger status = new AtomicInteger(200);
        HttpServer provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        provider.createContext("/realms/homecoming/.well-known/openid-configuration", exchange -> {
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        provider.start();
        ProviderProbe probe = new ProviderProbe(URI.create("http://127.0.0.1:" + provider.getAddress().getPort()
                + "/realms/homecoming/.well-known/openid-configuration"), clock);
        try {
            probe.probe();
            boolean awayWhileAnswering = probe.unreachableSince().isPresent();

            // when it answers 503 (starting) at 08:00, and still at 08:01
            status.set(503);
            probe.probe();
            clock.advance(java.time.Duration.ofMinutes(1));
            probe.probe();

            // then it has been away since the first failed probe, and no longer once it answers
            assertThat(awayWhileAnswering).isFalse();
            assertThat(probe.unreachableSince()).hasValue(Instant.parse("2026-12-03T08:00:00Z"));
            status.set(200);
            probe.probe();
            assertThat(probe.unreachableSince()).isEmpty();
        } finally {
            provider.stop(0);
        }
    }

    @Test
    void shouldCountAProviderNobodyListensForAsAway() {
        ProviderProbe probe = new ProviderProbe(URI.create("http://127.0.0.1:1/realms/homecoming/.well-known/openid-configuration"), clock);

        probe.probe();

        assertThat(probe.unreachableSince()).hasValue(clock.instant());
    }
}
