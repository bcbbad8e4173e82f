package org.homecoming.platform.security;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.homecoming.platform.observability.MetricNames;
import org.homecoming.platform.observability.RepeatedReports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Each signed-in caller's share of a service's request threads: at most {@code limit} of its requests in progress at
 * once; one more is answered 429 at once, before anything is read or done. A captured credential, or a partner's
 * loader gone wild, then holds a few of the threads and the other callers keep the rest (Tomcat has 200): the reception
 * staff's hand-overs are not queued behind a flood of inquiries. A caller that sends one request after another, as
 * every client of the scenario and any bulk import does, never meets the limit, however fast it goes; only
 * parallelism is bounded, never the rate.
 *
 * <p>Counted per principal (the token's {@code preferred_username}, or {@code sub}), after the token was checked and
 * the request allowed: refusals of bad tokens cost nothing and count for nobody. A streaming request (the console's
 * server-sent events) counts only until its stream has started. With several instances each has its own count.
 */
public final class CallerFairShare extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(CallerFairShare.class);

    private final int limit;
    /** Requests in progress per caller; a caller with none has no entry, so the map holds at most the busy callers. */
    private final Map<String, Integer> inProgress = new ConcurrentHashMap<>();
    private final Counter refused;
    private final RepeatedReports reports;

    public CallerFairShare(int limit, MeterRegistry meters, Clock clock) {
        if (limit < 1) {
            throw new IllegalArgumentException("homecoming.api.requests-in-progress-per-caller must be at least 1, not " + limit);
        }
        this.limit = limit;
        this.refused = Counter.builder(MetricNames.API_REQUESTS_REFUSED_BUSY)
                .description("Requests refused with 429 because their caller already had as many in progress as allowed")
                .register(meters);
        this.reports = new RepeatedReports(Duration.ofMinutes(1), 1_000, clock);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String caller = caller();
        if (caller == null) {
            chain.doFilter(request, response);
            return;
        }
        if (!admitted(caller)) {
            refused.increment();
            // the caller is a member of staff or a system, never a relative; once a minute, whatever the flood
            reports.occurred(caller).ifPresent(times -> log.warn("Refused {} request(s) of {} with 429 in the last minute: it"
                    + " already had {} in progress", times, caller, limit));
            response.setHeader(HttpHeaders.RETRY_AFTER, "1");
            ProblemAccessResponses.write(response, HttpStatus.TOO_MANY_REQUESTS, ProblemAccessResponses.TOO_MANY_IN_PROGRESS,
                    "Too many requests in progress", "This caller already has " + limit + " requests in progress, the most"
                            + " one caller may have at once; nothing was done. Send it again when one has been answered");
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            inProgress.computeIfPresent(caller, (unused, count) -> count == 1 ? null : count - 1);
        }
    }

    /** Takes one of the caller's places, atomically with the check; false when none is free. */
    private boolean admitted(String caller) {
        boolean[] admitted = {false};
        inProgress.compute(caller, (unused, count) -> {
            int now = count == null ? 0 : count;
            if (now >= limit) {
                return count;
            }
            admitted[0] = true;
            return now + 1;
        });
        return admitted[0];
    }

    /** The signed-in caller, or null for a request no token was needed for (health, API docs). */
    private static String caller() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated() || authentication instanceof AnonymousAuthenticationToken) {
            return null;
        }
        return authentication.getName();
    }

    /** How many requests of {@code caller} are in progress now (for tests and diagnosis). */
    int inProgress(String caller) {
        return inProgress.getOrDefault(caller, 0);
    }
}
