package org.homecoming.transport.telemetry;

import java.time.Instant;
import java.util.Optional;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.observability.MetricNames;
import org.homecoming.testkit.MovableClock;
import org.homecoming.transport.telemetry.RefusedDevices.Refusal;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

class RefusedDevicesTest {

    static final Instant NOW = Instant.parse("2026-11-20T06:15:00Z");

    final AuditTrail audit = mock(AuditTrail.class);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final MovableClock clock = new MovableClock(NOW);
    final RefusedDevices refused = new RefusedDevices(audit, clock, meters);

    @Test
    void shouldCountEveryRefusedReadingButPutAFloodOnTheTrailOnceAMinute() {
        // given a captured device that sends 1,000 batches of 5 readings of another bus within a minute
        for (int batch = 0; batch < 1_000; batch++) {
            refused.refused("bus-7", Optional.of("tracker-bus-08"), Refusal.OTHER_TRACKER_CLIENT, 5);
        }

        // then every reading is counted, and the trail has one entry
        assertThat(meters.counter(MetricNames.TRANSPORT_READINGS_REFUSED, "reason", "other-tracker-client").count()).isEqualTo(5_000);
        ArgumentCaptor<String> detail = ArgumentCaptor.forClass(String.class);
        verify(audit, times(1)).recorded(eq(AuditAction.POSITIONS_REFUSED), eq(AuditSubject.BUS), eq("bus-7"),
                eq(AuditOutcome.REFUSED), detail.capture());
        assertThat(detail.getValue()).contains("client tracker-bus-08").contains("1 batch refused");

        // when the device goes on a minute later, then the next entry says how many were refused meanwhile
        clock.advance(RefusedDevices.REPORT_EVERY);
        refused.refused("bus-7", Optional.of("tracker-bus-08"), Refusal.OTHER_TRACKER_CLIENT, 5);
        verify(audit, times(2)).recorded(eq(AuditAction.POSITIONS_REFUSED), eq(AuditSubject.BUS), eq("bus-7"),
                eq(AuditOutcome.REFUSED), detail.capture());
        assertThat(detail.getValue()).contains("1000 batches refused");
    }

    @Test
    void shouldPutEachBusAndClientOnTheTrailOfItsOwn() {
        // when two devices try one bus, and one device tries two buses, in the same minute
        refused.refused("bus-7", Optional.of("tracker-bus-08"), Refusal.OTHER_TRACKER_CLIENT, 1);
        refused.refused("bus-7", Optional.empty(), Refusal.OTHER_TRACKER_CLIENT, 1);
        refused.refused("bus-9", Optional.of("tracker-bus-08"), Refusal.NO_TRACKER_CLIENT, 1);

        // then each pair has its entry
        verify(audit, times(2)).recorded(eq(AuditAction.POSITIONS_REFUSED), eq(AuditSubject.BUS), eq("bus-7"),
                eq(AuditOutcome.REFUSED), anyString());
        verify(audit).recorded(eq(AuditAction.POSITIONS_REFUSED), eq(AuditSubject.BUS), eq("bus-9"),
                eq(AuditOutcome.REFUSED), anyString());
    }

    @Test
    void shouldPutADeviceTryingMadeUpBusIdsOnTheTrailOnceAMinuteWhateverTheIds() {
        // when a device sends readings of 500 buses that have no manifest within a minute
        for (int bus = 0; bus < 500; bus++) {
            refused.refused("bus-made-up-" + bus, Optional.of("tracker-bus-08"), Refusal.UNKNOWN_BUS, 1);
        }

        // then each reading is counted under its reason, and the trail has one entry for the device, not one per id
        assertThat(meters.counter(MetricNames.TRANSPORT_READINGS_REFUSED, "reason", "unknown-bus").count()).isEqualTo(500);
        assertThat(meters.counter(MetricNames.TRANSPORT_READINGS_REFUSED, "reason", "other-tracker-client").count()).isZero();
        ArgumentCaptor<String> detail = ArgumentCaptor.forClass(String.class);
        verify(audit, times(1)).recorded(eq(AuditAction.POSITIONS_REFUSED), eq(AuditSubject.BUS), anyString(),
                eq(AuditOutcome.REFUSED), detail.capture());
        assertThat(detail.getValue()).contains("client tracker-bus-08").contains("no manifest is registered");
    }
}
