package org.homecoming.roster;

import java.time.Duration;

import org.homecoming.roster.RosterFeed.Reach;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The roster's view of its own topics as the health component {@code feed}, in the readiness group only (roster.yml):
 * OUT_OF_SERVICE until the start-up read reached the topics' end, DOWN while the brokers do not answer for the end
 * offsets. Before, readiness stayed UP through a broker outage while every upload, status change and read of an unknown
 * round got 503 or an answer from a view that could not tell; a load balancer kept sending integrators there. Behind the
 * end (a transaction holding it back, a large list still being read) or waiting for the schema registry it stays UP and
 * says so: requests are answered or refused one by one, and both instances would go out at once for a cause they share.
 * Not in liveness: an outage of the brokers is no reason to restart the instance into it.
 */
@Component
class FeedHealthIndicator implements HealthIndicator {

    private final RosterFeed feed;
    private final Duration probe;

    FeedHealthIndicator(RosterFeed feed, @Value("${homecoming.roster.readiness-probe-wait:500ms}") Duration probe) {
        this.feed = feed;
        this.probe = probe;
    }

    @Override
    public Health health() {
        Reach reach = feed.reach(probe);
        if (reach == null) {
            return Health.outOfService().withDetail("feed", "reading the roster's topics from their beginning").build();
        }
        return switch (reach) {
            case REACHED -> Health.up().build();
            case BROKERS_UNREACHABLE -> Health.down().withDetail("feed", "the Kafka brokers do not answer").build();
            case BEHIND -> Health.up().withDetail("feed", "not at the topics' end within " + probe).build();
            case REGISTRY_UNAVAILABLE -> Health.up().withDetail("feed", "waiting for the schema registry to read on").build();
        };
    }
}
