package org.homecoming.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

import org.homecoming.testkit.KeycloakProcess;

/**
 * The accounts of the local realm ({@code identity/homecoming-realm.json}), one for each role the scenario plays: demo
 * people who sign in with a password (through the public {@code homecoming-cli} client) and the trackers' client,
 * which authenticates with its own secret. They exist only in the local stack and its tests; a real deployment has
 * its own users in its own identity provider.
 */
final class DemoAccounts {

    static final String CLI_CLIENT = "homecoming-cli";
    static final String PASSWORD = "homecoming-demo";

    /** A role, and the account that has it: a user (password grant) or a client (client credentials). */
    record Account(String role, String username, String clientId, String clientSecret) {
        boolean isClient() {
            return clientId != null;
        }
    }

    static final Account LIST_OFFICER = user("list-officer", "demo-list-officer");
    static final Account TRANSPORT_OFFICER = user("transport-officer", "demo-transport-officer");
    static final Account RECEPTION = user("reception-staff", "demo-reception");
    static final Account HOTLINE = user("hotline-operator", "demo-hotline");
    static final Account CASEWORKER = user("caseworker", "demo-caseworker");
    static final Account OPS = user("ops-viewer", "demo-ops");
    static final Account TRACKERS = new Account("tracker", null, "bus-trackers", "bus-trackers-local-secret");
    /** Another tracker device, whose client no manifest names: its readings of the scenario's buses are refused. */
    static final Account SPARE_TRACKER = new Account("tracker", null, "spare-tracker", "spare-tracker-local-secret");
    static final Account PARTNER = new Account("partner-integrator", null, "tracing-agency", "tracing-agency-local-secret");
    /** Prometheus's client: its role opens /actuator/prometheus and nothing else. */
    static final Account PROMETHEUS = new Account("metrics-scraper", null, "prometheus", "prometheus-local-secret");

    static final List<Account> ALL = List.of(LIST_OFFICER, TRANSPORT_OFFICER, RECEPTION, HOTLINE, CASEWORKER, OPS, TRACKERS,
            SPARE_TRACKER, PARTNER, PROMETHEUS);

    private final KeycloakProcess keycloak;

    DemoAccounts(KeycloakProcess keycloak) {
        this.keycloak = keycloak;
    }

    String issuer() {
        return keycloak.issuer();
    }

    /**
     * The account's access token, fetched on first use and again before it expires (the realm gives 15 minutes). While
     * the identity provider cannot be reached, as a client application would, it goes on with the token it holds as
     * long as that is valid; without one the call fails as for a service that is away ({@link UncheckedIOException}),
     * which a patient caller sends again.
     */
    Supplier<String> accessToken(Account account) {
        return new Supplier<>() {
            private String token;
            private Instant fetchedAt = Instant.MIN;

            @Override
            public synchronized String get() {
                Instant now = Instant.now();
                if (token == null || now.isAfter(fetchedAt.plus(RENEW_AFTER))) {
                    try {
                        token = account.isClient() ? keycloak.clientToken(account.clientId(), account.clientSecret())
                                : keycloak.passwordToken(CLI_CLIENT, account.username(), PASSWORD);
                        fetchedAt = now;
                    } catch (IllegalStateException e) {
                        // unreachable, or answering while it starts: the patience of the caller bounds the wait
                        if (token == null || now.isAfter(fetchedAt.plus(VALID_FOR))) {
                            throw new UncheckedIOException(new IOException("No token for " + account.role() + ": "
                                    + e.getMessage(), e));
                        }
                    }
                }
                return token;
            }
        };
    }

    /** The realm's access tokens live 15 minutes: renewed after 10, used until 14 when the provider is away. */
    private static final Duration RENEW_AFTER = Duration.ofMinutes(10);
    private static final Duration VALID_FOR = Duration.ofMinutes(14);

    private static Account user(String role, String username) {
        return new Account(role, username, null, null);
    }
}
