package org.homecoming.transport.ledger;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The ledger as the health component {@code ledger}, part of the readiness group only (transport.yml):
 * OUT_OF_SERVICE until it has replayed the manifests, release lists and hand-overs, UP from then on. Before, an
 * instance said it was ready as soon as it had started, and then answered every manifest, hand-over, bus query and
 * reading 503 "still loading" for as long as the replay took: the fault-injection run caught a restarted transport
 * doing so seconds after it said ready, and a load balancer would have sent it traffic that early. Not in liveness:
 * a replay that takes long is no reason to restart the instance.
 */
@Component
class LedgerHealthIndicator implements HealthIndicator {

    private final TransportLedger ledger;

    LedgerHealthIndicator(TransportLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public Health health() {
        return ledger.isCaughtUp() ? Health.up().build()
                : Health.outOfService().withDetail("ledger", "replaying the manifests, release lists and hand-overs").build();
    }
}
