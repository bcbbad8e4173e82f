package org.homecoming.console.messaging;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The operation picture as the health component {@code picture}, in the readiness group only (ops-console.yml):
 * OUT_OF_SERVICE until the console has folded its topics up to where they ended at its start, so a load balancer
 * sends no viewer to a console that would show half of the operation. Not in liveness: a long fold is no reason to
 * restart the console.
 */
class PictureHealthIndicator implements HealthIndicator {

    private final PictureCatchUp catchUp;

    PictureHealthIndicator(PictureCatchUp catchUp) {
        this.catchUp = catchUp;
    }

    @Override
    public Health health() {
        return catchUp.caughtUp() ? Health.up().build()
                : Health.outOfService().withDetail("picture", "folding the observed topics from their beginning").build();
    }
}
