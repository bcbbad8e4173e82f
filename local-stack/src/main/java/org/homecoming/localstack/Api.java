package org.homecoming.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A service's REST API as an integrator sees it: JSON or CSV in, JSON out, errors as problem+json, every call with
 * the bearer token of one role's account.
 *
 * <p>A service that runs as several instances is given as their base URLs, comma-separated: calls go to the first
 * that answers and stay there (a caller reads its own writes from the instance it wrote to), and move to the next
 * when it refuses connections or answers 5xx, the same request sent again at once.
 */
final class Api {

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();
    /**
     * Answers that say "not now" (a service restarting, its broker away, this caller's share of requests in progress
     * taken): worth sending the same request again.
     */
    private static final Set<Integer> TRY_AGAIN = Set.of(429, 500, 502, 503, 504);
    /**
     * The answers by which a service says it did nothing and the caller should send the same request again shortly
     * (its view of another instance's latest writes not read yet, a broker away, this caller's share taken). The API
     * promises that, so every run honours them for this long, faults or not: on a loaded machine a plain run meets them
     * too, and a scenario that gave up on the first one would stop where an integrator following the contract goes on.
     * A 500 or 502 still fails a plain run at once: that is a fault to see, not a contract to follow.
     */
    private static final Set<Integer> NOT_NOW = Set.of(429, 503);
    static final Duration NOT_NOW_PATIENCE = Duration.ofSeconds(60);
    /** Retry-After is honoured up to this; a longer one is cut short (the call's deadline bounds the whole wait). */
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(5);

    /**
     * How long a call keeps re-sending the same request while the service is unreachable or answers 5xx; zero (the
     * default) fails at once. The fault-injection run sets it: every endpoint the scenario calls is idempotent (same
     * request, nothing published twice), which that run's history check proves.
     */
    static volatile Duration patience = Duration.ZERO;
    /** Sees every call, for the fault-injection run's client history; null when nobody watches. */
    static volatile Observer observer;

    /** What a caller did and what it was told, as a history checker reads a client's log. */
    record Call(String method, String baseUrl, String path, String requestBody, int status, JsonNode answer,
                int attempts, Instant started) {
    }

    interface Observer {
        void started(String method, String baseUrl, String path);

        void finished(Call call);

        /**
         * A service answered 5xx (the request may then have been sent again): every such answer, for the fault runs,
         * with what it said (its problem+json, or the tracker's message that quotes it).
         */
        default void serverError(String method, String path, int status, String said) {
        }
    }

    /**
     * A service's answer other than 2xx, its status apart for a caller that acts on it (the body is in the message): a
     * caseworker told 409 that the match changed since she read it reads it again.
     */
    static final class Refused extends IllegalStateException {
        private final int status;

        Refused(String request, int status, String body) {
            super(request + " answered " + status + ": " + body);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /** How a tracker's sink says that transport answered a batch with a status other than 202. */
    private static final Pattern REFUSED_WITH = Pattern.compile("refused with (\\d\\d\\d)");

    private final List<String> instances;
    /** The instance this caller talks to until it fails. */
    private volatile int current;
    private final Supplier<String> accessToken;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param baseUrl the service's base URL, or its instances' base URLs comma-separated */
    Api(String baseUrl, Supplier<String> accessToken) {
        this.instances = List.of(baseUrl.split(","));
        this.accessToken = accessToken;
    }

    JsonNode post(String path, Object body) {
        return send("POST", path, "application/json", write(body));
    }

    JsonNode put(String path, Object body) {
        return send("PUT", path, "application/json", write(body));
    }

    JsonNode postCsv(String path, String csv) {
        return send("POST", path, "text/csv; charset=UTF-8", csv);
    }

    JsonNode get(String path) {
        return send("GET", path, null, null);
    }

    private JsonNode send(String method, String path, String contentType, String body) {
        Observer watching = observer;
        Instant started = Instant.now();
        Instant deadline = started.plus(patience);
        Instant notNowDeadline = started.plus(patience.compareTo(NOT_NOW_PATIENCE) > 0 ? patience : NOT_NOW_PATIENCE);
        String baseUrl = instances.get(current);
        if (watching != null) {
            watching.started(method, baseUrl, path);
        }
        int attempts = 0;
        int instancesTried = 0;
        Duration pause = Duration.ofSeconds(1);
        while (true) {
            attempts++;
            instancesTried++;
            baseUrl = instances.get(current);
            try {
                HttpResponse<String> response = sendOnce(baseUrl, method, path, contentType, body);
                if (response.statusCode() / 100 == 5 && watching != null) {
                    watching.serverError(method, path, response.statusCode(), response.body());
                }
                if (TRY_AGAIN.contains(response.statusCode()) && nextInstance(instancesTried)) {
                    continue;
                }
                boolean notNow = NOT_NOW.contains(response.statusCode());
                boolean again = TRY_AGAIN.contains(response.statusCode())
                        && Instant.now().isBefore(notNow ? notNowDeadline : deadline);
                pause = notNow ? retryAfter(response) : Duration.ofSeconds(1);
                if (!again) {
                    JsonNode answer = response.statusCode() / 100 == 2 && !response.body().isBlank()
                            ? JSON.readTree(response.body()) : JSON.nullNode();
                    if (watching != null) {
                        watching.finished(new Call(method, baseUrl, path, body, response.statusCode(), answer, attempts, started));
                    }
                    if (response.statusCode() / 100 != 2) {
                        throw new Refused(method + " " + baseUrl + path, response.statusCode(), response.body());
                    }
                    return answer;
                }
            } catch (IOException | UncheckedIOException e) {
                pause = Duration.ofSeconds(1);
                if (nextInstance(instancesTried)) {
                    continue;
                }
                if (!Instant.now().isBefore(deadline)) {
                    if (watching != null) {
                        watching.finished(new Call(method, baseUrl, path, body, 0, JSON.nullNode(), attempts, started));
                    }
                    throw new IllegalStateException(method + " " + baseUrl + path + " failed", e);
                }
            }
            instancesTried = 0;
            pause(pause);
        }
    }

    /** The answer's Retry-After in seconds, between one and {@link #LONGEST_PAUSE}; one second without it. */
    private static Duration retryAfter(HttpResponse<String> response) {
        try {
            long seconds = response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
            return Duration.ofSeconds(Math.max(1, Math.min(seconds, LONGEST_PAUSE.toSeconds())));
        } catch (NumberFormatException e) {
            // an HTTP date instead of seconds: no service of ours sends one
            return Duration.ofSeconds(1);
        }
    }

    /** Moves to the next instance, unless every instance has been tried since the last pause. */
    private boolean nextInstance(int instancesTried) {
        if (instancesTried >= instances.size()) {
            return false;
        }
        current = (current + 1) % instances.size();
        return true;
    }

    private HttpResponse<String> sendOnce(String baseUrl, String method, String path, String contentType, String body)
            throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json")
                .header("Authorization", "Bearer " + accessToken.get());
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Between two attempts of a patient call: a restarting service needs seconds, not milliseconds. */
    private static void pause(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * A tracker's sink for a service of several instances ({@code urls} comma-separated): a batch goes to the instance
     * that took the last one, and to the next when that one cannot be reached or answers 5xx. A refusal (4xx) is not
     * tried elsewhere.
     */
    static org.homecoming.synthetic.buses.PositionSink eitherInstance(String urls,
            java.util.function.Function<String, org.homecoming.synthetic.buses.PositionSink> sinkOf) {
        List<org.homecoming.synthetic.buses.PositionSink> sinks = Stream.of(urls.split(",")).map(sinkOf).toList();
        if (sinks.size() == 1) {
            return sinks.get(0);
        }
        AtomicInteger current = new AtomicInteger();
        return (busId, readings) -> {
            RuntimeException last = null;
            for (int tried = 0; tried < sinks.size(); tried++) {
                int instance = current.get();
                try {
                    sinks.get(instance).send(busId, readings);
                    return;
                } catch (IllegalStateException | UncheckedIOException e) {
                    if (refusedWith(e) / 100 == 4) {
                        throw e;
                    }
                    last = e;
                    current.compareAndSet(instance, (instance + 1) % sinks.size());
                }
            }
            throw last;
        };
    }

    /** A tracker's sink that, like {@link #patience}, sends a refused or failed batch again until the patience runs out. */
    static org.homecoming.synthetic.buses.PositionSink patiently(org.homecoming.synthetic.buses.PositionSink sink) {
        return (busId, readings) -> {
            Instant deadline = Instant.now().plus(patience);
            while (true) {
                try {
                    sink.send(busId, readings);
                    return;
                } catch (IllegalStateException | UncheckedIOException e) {
                    // a 4xx (a bad reading) is not a restart: only failures to send, 5xx and 429 are tried again
                    int status = refusedWith(e);
                    Observer watching = observer;
                    if (watching != null && status / 100 == 5) {
                        watching.serverError("POST", "/api/v1/buses/" + busId + "/positions", status, String.valueOf(e.getMessage()));
                    }
                    if (status / 100 == 4 && !TRY_AGAIN.contains(status) || !Instant.now().isBefore(deadline)) {
                        throw e;
                    }
                }
                pause(Duration.ofSeconds(1));
            }
        };
    }

    /** The status a tracker's sink says transport answered, or 0 when the batch failed without an answer. */
    private static int refusedWith(RuntimeException failure) {
        Matcher status = REFUSED_WITH.matcher(String.valueOf(failure.getMessage()));
        return status.find() ? Integer.parseInt(status.group(1)) : 0;
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
