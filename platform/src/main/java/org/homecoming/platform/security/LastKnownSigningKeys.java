package org.homecoming.platform.security;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import org.homecoming.platform.state.SavedDocuments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cache.Cache;
import org.springframework.cache.support.SimpleValueWrapper;

/**
 * The identity provider's signing keys (its JWK set document) as a service last fetched them, kept so that the service
 * goes on checking tokens while the provider cannot be reached.
 *
 * <p>Spring Security's decoder asks this cache for the key set on every token. Without it, Nimbus's own cache fetched
 * the keys again every five minutes and failed when the provider was away, so every API answered 503 from then until
 * the provider was back: a restart of Keycloak on the day of an exchange stopped the buses' trackers, the reception
 * staff and the hotline, although every token they held was still valid and signed with keys the service knew.
 *
 * <ul>
 *   <li>The keys are fetched again once they are older than the refresh interval, or when a token names a key the set
 *   does not hold (the provider rotated its keys: the decoder then invalidates this cache).</li>
 *   <li>When that fetch fails, the last keys go on being used, for at most the outage tolerance after they were
 *   fetched; a warning says so once per outage. A token signed with a key the old set lacks is refused (401).</li>
 *   <li>At most one fetch per {@link #MIN_FETCH_INTERVAL}: a stream of tokens naming unknown keys, which anyone can
 *   forge, does not become a stream of requests to the provider.</li>
 *   <li>With a folder to keep them in ({@link SavedDocuments}), each fetched set is written there, and a
 *   service that starts while the provider is away begins with the set saved before, under the same tolerance,
 *   counted from when that set was fetched.</li>
 * </ul>
 */
final class LastKnownSigningKeys implements Cache {

    /** As Nimbus's rate limit: a rotated key is learnt within this, and a forger cannot make us fetch more often. */
    static final Duration MIN_FETCH_INTERVAL = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(LastKnownSigningKeys.class);

    private final Duration refreshInterval;
    private final Duration outageTolerance;
    private final Clock clock;
    /** Where fetched sets are kept across restarts; null to keep them in memory only. */
    private final SavedDocuments saved;

    private Object keys;
    private Instant fetchedAt = Instant.MIN;
    private Instant lastAttempt = Instant.MIN;
    private boolean invalidated;
    /** When the first fetch of the current outage failed; null while the provider answers. */
    private Instant failingSince;

    LastKnownSigningKeys(Duration refreshInterval, Duration outageTolerance, Clock clock) {
        this(refreshInterval, outageTolerance, clock, null);
    }

    LastKnownSigningKeys(Duration refreshInterval, Duration outageTolerance, Clock clock, SavedDocuments saved) {
        this.refreshInterval = refreshInterval;
        this.outageTolerance = outageTolerance;
        this.clock = clock;
        this.saved = saved;
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T> T get(Object key, Callable<T> fetch) {
        Instant now = clock.instant();
        // while the provider is known to be away, keys are not fresh: it is asked again (at most every 30 s) until it answers
        boolean fresh = keys != null && !invalidated && failingSince == null && now.isBefore(fetchedAt.plus(refreshInterval));
        // Not again so soon after an attempt that failed (a provider that does not answer would hold every request,
        // one after another, for its timeout), nor for a token naming an unknown key (anyone can send those).
        boolean attemptedJustNow = keys != null && (failingSince != null || invalidated)
                && now.isBefore(lastAttempt.plus(MIN_FETCH_INTERVAL));
        if (fresh || attemptedJustNow) {
            return (T) keys;
        }
        lastAttempt = now;
        try {
            T fetched = fetch.call();
            if (failingSince != null) {
                log.info("The identity provider's signing keys were fetched again after {} s without them",
                        Duration.between(failingSince, now).toSeconds());
            }
            keys = fetched;
            fetchedAt = now;
            invalidated = false;
            failingSince = null;
            save(key, fetched, now);
            return fetched;
        } catch (Exception e) {
            if (keys == null || !now.isBefore(fetchedAt.plus(outageTolerance))) {
                throw new ValueRetrievalException(key, fetch, e);
            }
            if (failingSince == null) {
                log.warn("The identity provider's signing keys could not be fetched ({}); tokens are checked against the keys"
                        + " fetched at {} until they are {} old", e.getMessage(), fetchedAt, outageTolerance);
                failingSince = now;
            }
            return (T) keys;
        }
    }

    /**
     * The provider did not answer another request of this service (its discovery document, at start): counted as an
     * outage from now, as a failed fetch of the keys is, so the gauge shows it and the keys are fetched again, at most
     * every 30 s, until the provider answers.
     */
    synchronized void providerUnreachable() {
        if (failingSince == null) {
            failingSince = clock.instant();
            lastAttempt = failingSince;
        }
    }

    /**
     * Seconds since a fetch of the keys first failed and none succeeded, 0 while the provider answers. (Not the keys'
     * age: they are fetched only when a token comes, so a quiet service holds old keys without any outage.)
     */
    synchronized double unreachableSeconds() {
        return failingSince == null ? 0 : Duration.between(failingSince, clock.instant()).toMillis() / 1000.0;
    }

    /** A token named a key the set does not hold: fetch again, but keep the old set in case the provider is away. */
    @Override
    public synchronized boolean invalidate() {
        invalidated = true;
        return keys != null;
    }

    @Override
    public synchronized void clear() {
        invalidate();
    }

    @Override
    public synchronized void evict(Object key) {
        invalidate();
    }

    @Override
    public String getName() {
        return "identity-provider-signing-keys";
    }

    @Override
    public Object getNativeCache() {
        return this;
    }

    @Override
    public synchronized ValueWrapper get(Object key) {
        return keys == null ? null : new SimpleValueWrapper(keys);
    }

    /** Spring's key source asks this once, when it is made: a service just started gets the set saved before. */
    @Override
    @SuppressWarnings("unchecked")
    public synchronized <T> T get(Object key, Class<T> type) {
        if (keys == null && saved != null) {
            startWithSavedKeys(key);
        }
        return (T) keys;
    }

    private void startWithSavedKeys(Object key) {
        try {
            saved.find(String.valueOf(key)).ifPresent(set -> {
                if (clock.instant().isBefore(set.fetchedAt().plus(outageTolerance))) {
                    keys = set.body();
                    fetchedAt = set.fetchedAt();
                    log.info("Starting with the identity provider's signing keys saved at {}; they are fetched again"
                            + " once {} old", set.fetchedAt(), refreshInterval);
                } else {
                    log.info("The identity provider's signing keys saved at {} are older than {}: not used", set.fetchedAt(),
                            outageTolerance);
                }
            });
        } catch (IOException | RuntimeException e) {
            log.warn("The identity provider's saved signing keys are not used: {}", e.getMessage());
        }
    }

    private void save(Object key, Object fetched, Instant at) {
        if (saved != null && fetched instanceof String body) {
            try {
                saved.save(String.valueOf(key), body, at);
            } catch (IOException | RuntimeException e) {
                log.warn("The identity provider's signing keys could not be saved for a restart: {}", e.getMessage());
            }
        }
    }

    @Override
    public synchronized void put(Object key, Object value) {
        keys = value;
        fetchedAt = clock.instant();
        invalidated = false;
    }
}
