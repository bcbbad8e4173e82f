package org.homecoming.platform.registry;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.apicurio.registry.client.RegistryClientFactory;
import io.apicurio.registry.client.common.DefaultVertxInstance;
import io.apicurio.registry.client.common.RegistryClientOptions;
import io.apicurio.registry.client.common.auth.VertXAuthFactory;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import io.apicurio.registry.resolver.client.RegistryClientFacadeImpl;
import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import org.homecoming.platform.state.SavedDocuments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.convert.DurationStyle;

/**
 * The HTTP client through which the registry's serdes look schemas up, built as Apicurio's serde 3.1.7 builds it (a
 * Vert.x web client, anonymous, basic or OAuth2 client-credentials) but with its waits bounded.
 *
 * <p>The serde's own client waits for an answer without end: its Vert.x options keep Vert.x's defaults (a 60 s connect
 * timeout, no idle timeout), and the serde offers no setting for either. A registry that accepts connections and never
 * answers (overloaded, half dead, a load balancer with nothing behind it) then held every read of a schema not cached
 * yet for good, and with it a listener's or a stream thread's poll loop until {@code max.poll.interval.ms} expired. Here
 * the connection must open within {@link #TIMEOUT} and a connection that stays silent for as long is closed, which
 * fails the look-up like a refused connection: an outage ({@link RegistryOutage#isCause}), read again later. Seen against
 * a stand-in that accepts and never answers: the look-up fails after the bound, with Vert.x's
 * {@code HttpClosedException} inside an {@code ExecutionException}, and the serde does not try it again ("Cache load
 * failed after 0 retries"); a producer's look-up of the latest schema the same.
 */
public final class RegistryConnection {

    /**
     * The serde setting (in {@code spring.kafka.*.properties}, from {@code homecoming.registry.timeout}) that bounds
     * opening a connection to the registry and waiting for its answer; a duration such as {@code 5s} or milliseconds.
     */
    public static final String TIMEOUT = "homecoming.registry.timeout";
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * The serde setting (from {@code homecoming.registry.answers-saved-in}) naming the folder where the registry's answers
     * are kept across restarts ({@link SavedAnswers}); blank keeps them in memory only.
     */
    public static final String ANSWERS_SAVED_IN = "homecoming.registry.answers-saved-in";

    private static final Logger log = LoggerFactory.getLogger(RegistryConnection.class);

    private RegistryConnection() {
    }

    /** One client per registry, credentials and bound: every serde of the process that reaches it shares it. */
    private static final Map<List<Object>, RegistryClientFacade> SHARED = new ConcurrentHashMap<>();

    /**
     * The registry client for a serde configured with {@code configs} (the serde's own settings): shared by every serde
     * configured alike, with one registry token and the registry's answers remembered ({@link RememberedSchemas}).
     */
    public static RegistryClientFacade facade(Map<String, ?> configs) {
        SchemaResolverConfig config = new SchemaResolverConfig(configs);
        Object vertx = config.getVertx() != null ? config.getVertx() : DefaultVertxInstance.get();
        Object savedIn = configs.get(ANSWERS_SAVED_IN);
        List<Object> settings = Arrays.asList(config.getRegistryUrl(), config.getTokenEndpoint(), config.getAuthClientId(),
                config.getAuthClientSecret(), config.getAuthClientScope(), config.getAuthUsername(), config.getAuthPassword(),
                String.valueOf(configs.get(TIMEOUT)), vertx, String.valueOf(savedIn));
        checkSupported(configs);
        return SHARED.computeIfAbsent(settings, unused -> new RememberedSchemas(client(configs), Clock.systemUTC(),
                savedAnswers(savedIn, config.getRegistryUrl())));
    }

    /** A folder that cannot be trusted costs only the restart during an outage: the answers are then kept in memory. */
    private static SavedAnswers savedAnswers(Object folder, String registryUrl) {
        if (folder == null || folder.toString().isBlank()) {
            return null;
        }
        try {
            return new SavedAnswers(SavedDocuments.in(Path.of(folder.toString().trim())), registryUrl);
        } catch (IOException | RuntimeException e) {
            log.warn("The schema registry's answers are kept in memory only, not in {}: {}", folder, e.getMessage());
            return null;
        }
    }

    /** A client of its own, answering every look-up from the registry (what {@link #facade} shares and remembers). */
    static RegistryClientFacade client(Map<String, ?> configs) {
        SchemaResolverConfig config = new SchemaResolverConfig(configs);
        String url = config.getRegistryUrl();
        if (url == null) {
            throw new IllegalArgumentException("Missing registry base url, set " + SchemaResolverConfig.REGISTRY_URL);
        }
        checkSupported(configs);
        Vertx vertx = config.getVertx() != null ? config.getVertx() : DefaultVertxInstance.get();
        int timeout = Math.toIntExact(timeout(configs.get(TIMEOUT)).toMillis());
        WebClientOptions options = new WebClientOptions()
                .setConnectTimeout(timeout)
                .setIdleTimeout(timeout)
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        WebClient client;
        if (config.getTokenEndpoint() != null) {
            client = VertXAuthFactory.buildOIDCWebClient(vertx, options, config.getTokenEndpoint(), config.getAuthClientId(),
                    config.getAuthClientSecret(), config.getAuthClientScope());
        } else if (config.getAuthUsername() != null) {
            client = VertXAuthFactory.buildSimpleAuthWebClient(vertx, options, config.getAuthUsername(), config.getAuthPassword());
        } else {
            client = WebClient.create(vertx, options);
        }
        return new RegistryClientFacadeImpl(RegistryClientFactory.create(
                RegistryClientOptions.create(url, vertx).customWebClient(client)));
    }

    private static void checkSupported(Map<String, ?> configs) {
        for (String key : configs.keySet()) {
            // the serde's client would apply these; this one does not, and must not silently ignore them
            if (key.startsWith("apicurio.registry.tls.") || key.startsWith("apicurio.registry.proxy.")) {
                throw new IllegalArgumentException(key + " is not supported by the platform's registry client"
                        + " (RegistryConnection): reach the registry over a URL whose certificate the JVM trusts");
            }
        }
    }

    /** The bound a setting gives: a {@link Duration}, a number of milliseconds, or a duration text such as {@code 5s}. */
    static Duration timeout(Object setting) {
        Duration timeout;
        if (setting == null || setting.toString().isBlank()) {
            timeout = DEFAULT_TIMEOUT;
        } else if (setting instanceof Duration duration) {
            timeout = duration;
        } else if (setting instanceof Number millis) {
            timeout = Duration.ofMillis(millis.longValue());
        } else {
            timeout = DurationStyle.detectAndParse(setting.toString().trim());
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(TIMEOUT + " must be positive: the registry's waits are bounded, got " + setting);
        }
        return timeout;
    }
}
