package org.homecoming.roster;

import org.homecoming.roster.RosterFeed.Standing;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The roster's view of its own topics as the health component {@code feed}: part of {@code /actuator/health} like
 * every indicator, and of the readiness group (roster.yml). OUT_OF_SERVICE until the start-up read reached the topics'
 * end: before it nothing this instance knows can be trusted. After it, UP, with how the latest catch-up ended as a
 * detail: behind the end, waiting for the schema registry, the brokers unreachable since when, or the kind of failure
 * that made the latest catch-up fail otherwise (an ACL refusal: every request that needs the view then fails).
 *
 * <p>Not DOWN while the brokers are away: both instances share the cluster, so both would leave the load balancer at
 * once, and integrators would get its bare 502/503 instead of the roster's own 503 problem+json with Retry-After, which
 * says nothing was published and when to retry. Not in liveness either: restarting into an outage helps nobody.
 *
 * <p>It only reads what catch-ups recorded ({@link RosterFeed#standing()}): the endpoint is open to anyone and uncached,
 * so a probe must not make the brokers work nor hold up the catch-ups that requests wait for.
 */
@Component
class FeedHealthIndicator implements HealthIndicator {

    private final RosterFeed feed;

    FeedHealthIndicator(RosterFeed feed) {
        this.feed = feed;
    }

    @Override
    public Health health() {
        Standing standing = feed.standing();
        if (standing == null) {
            return Health.outOfService().withDetail("feed", "reading the roster's topics from their beginning").build();
        }
        Health.Builder health = Health.up().withDetail("feed", switch (standing.reach()) {
            case REACHED -> "read to the topics' end";
            case BEHIND -> "not at the topics' end within the catch-up wait";
            case REGISTRY_UNAVAILABLE -> "waiting for the schema registry to read on";
            case BROKERS_UNREACHABLE -> "brokers unreachable since " + standing.brokersUnreachableSince();
            // the kind only: the message of a broker's refusal may name what it refused
            case FAILED -> "the latest catch-up failed (" + standing.failure()
                    + "): reads and changes that need the topics' end answer a server error";
        }).withDetail("lastCatchUp", standing.at().toString());
        if (standing.brokersUnreachableSince() != null) {
            health.withDetail("brokersUnreachableSince", standing.brokersUnreachableSince().toString());
        }
        return health.build();
    }
}
