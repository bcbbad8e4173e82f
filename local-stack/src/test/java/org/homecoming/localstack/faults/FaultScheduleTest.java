package org.homecoming.localstack.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.homecoming.localstack.faults.FaultSchedule.Planned;
import org.homecoming.localstack.faults.FaultSchedule.Target;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FaultScheduleTest {

    private static final Instant START = Instant.parse("2026-11-29T17:00:00Z");

    @Test
    void shouldKillEachServiceAtItsRiskyMomentAndAgainWhileTheIdentityProviderIsAway() {
        // when the standard schedule is read
        List<Target> targets = FaultSchedule.STANDARD.stream().map(Planned::target).toList();

        // then
        assertThat(targets).containsExactlyInAnyOrder(Target.ROSTER, Target.ROSTER, Target.TRANSPORT, Target.TRANSPORT,
                Target.REUNIFICATION, Target.REUNIFICATION, Target.REUNIFICATION, Target.REGISTRY, Target.BROKER, Target.MAIL,
                Target.IDENTITY);
        assertThat(targets.indexOf(Target.ROSTER)).as("the list publication comes first").isZero();
        assertThat(targets.indexOf(Target.IDENTITY)).as("the identity provider once transport is back with its keys")
                .isEqualTo(targets.indexOf(Target.TRANSPORT) + 1);
        int identity = targets.indexOf(Target.IDENTITY);
        assertThat(FaultSchedule.STANDARD.subList(identity + 1, identity + 4))
                .as("each service killed again while the identity provider is away")
                .containsExactlyElementsOf(FaultSchedule.WITHOUT_IDENTITY)
                .extracting(Planned::target).containsExactly(Target.ROSTER, Target.TRANSPORT, Target.REUNIFICATION);
    }

    @Test
    void shouldBeGreenOnlyWhenEveryFaultWasInjectedAndRecovered() {
        // given a schedule of two faults, both injected, one recovered
        Planned roster = new Planned(Target.ROSTER, "mid list");
        Planned broker = new Planned(Target.BROKER, "mid review");
        FaultSchedule schedule = new FaultSchedule(List.of(roster, broker));
        schedule.injected(roster, START.plusSeconds(10), "POST lists");
        schedule.recovered(Target.ROSTER, START.plusSeconds(52));
        schedule.injected(broker, START.plusSeconds(100), "nothing");

        // then the broker that never came back is a violation, and the table says so
        assertThat(schedule.violations()).containsExactly("never recovered: Kafka broker killed mid review");
        assertThat(schedule.down(Target.BROKER)).isTrue();
        assertThat(schedule.table(START)).contains("roster-service").contains("+10s").contains("42.0s").contains("NEVER");
    }

    @Test
    void shouldReportAFaultThatWasNeverInjected() {
        FaultSchedule schedule = new FaultSchedule(FaultSchedule.STANDARD);

        assertThat(schedule.violations()).hasSize(FaultSchedule.STANDARD.size())
                .allSatisfy(violation -> assertThat(violation).startsWith("not injected: "));
    }

    @Test
    void shouldTellWhetherAProcessHasBeenBackLongEnough() {
        // given transport killed at +10 s and back at +20 s
        Planned transport = new Planned(Target.TRANSPORT, "mid crossing");
        FaultSchedule schedule = new FaultSchedule(List.of(transport));
        schedule.injected(transport, START.plusSeconds(10), "");
        Duration settled = Duration.ofSeconds(5);
        boolean whileDown = schedule.backFor(Target.TRANSPORT, settled, START.plusSeconds(15));
        List<String> awayThen = schedule.away();
        schedule.recovered(Target.TRANSPORT, START.plusSeconds(20));

        // then it is back for 5 s only from +25 s; a process never killed is always back
        assertThat(whileDown).isFalse();
        assertThat(awayThen).containsExactly("transport-service");
        assertThat(schedule.away()).isEmpty();
        assertThat(schedule.backFor(Target.TRANSPORT, settled, START.plusSeconds(22))).isFalse();
        assertThat(schedule.backFor(Target.TRANSPORT, settled, START.plusSeconds(25))).isTrue();
        assertThat(schedule.backFor(Target.ROSTER, settled, START)).isTrue();
    }
}
