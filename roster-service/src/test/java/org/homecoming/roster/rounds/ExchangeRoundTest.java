package org.homecoming.roster.rounds;

import java.time.Instant;
import java.time.LocalDate;

import org.homecoming.events.common.Side;
import org.homecoming.events.roster.RoundStatus;
import org.homecoming.platform.web.Violation;
import org.homecoming.roster.rounds.ExchangeRounds.RoundTerms;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.homecoming.events.roster.RoundStatus.CANCELLED;
import static org.homecoming.events.roster.RoundStatus.COMPLETED;
import static org.homecoming.events.roster.RoundStatus.IN_PROGRESS;
import static org.homecoming.events.roster.RoundStatus.PLANNED;

class ExchangeRoundTest {

    @Test
    void shouldAllowOnlyTheLifeCycleTransitions() {
        assertThat(round(PLANNED).canBecome(IN_PROGRESS)).isTrue();
        assertThat(round(PLANNED).canBecome(CANCELLED)).isTrue();
        assertThat(round(IN_PROGRESS).canBecome(COMPLETED)).isTrue();
        assertThat(round(IN_PROGRESS).canBecome(CANCELLED)).as("buses may have crossed: cancelling would withdraw them")
                .isFalse();

        assertThat(round(PLANNED).canBecome(COMPLETED)).as("a round completes only after it started").isFalse();
        assertThat(round(IN_PROGRESS).canBecome(PLANNED)).isFalse();
        for (RoundStatus next : RoundStatus.values()) {
            assertThat(round(COMPLETED).canBecome(next)).as("COMPLETED is final, not → " + next).isFalse();
            assertThat(round(CANCELLED).canBecome(next)).as("CANCELLED is final, not → " + next).isFalse();
        }
    }

    @Test
    void shouldTakeListsOnlyWhilePlannedOrInProgress() {
        assertThat(round(PLANNED).acceptsLists()).isTrue();
        assertThat(round(IN_PROGRESS).acceptsLists()).isTrue();
        assertThat(round(COMPLETED).acceptsLists()).isFalse();
        assertThat(round(CANCELLED).acceptsLists()).isFalse();
    }

    @Test
    void shouldSurviveTheRoundTripThroughItsEvent() {
        ExchangeRound round = round(IN_PROGRESS);

        assertThat(ExchangeRound.from(round.toEvent())).isEqualTo(round);
    }

    @Test
    void shouldCompareTermsWhateverTheStatus() {
        assertThat(round(PLANNED).sameTermsAs(round(IN_PROGRESS))).isTrue();
        ExchangeRound otherCount = new ExchangeRound("round-1", "AGR-1", 1, 3, LocalDate.of(2026, 12, 5), Side.RU,
                Side.UA, 271, 120, PLANNED, Instant.EPOCH);
        assertThat(round(PLANNED).sameTermsAs(otherCount)).isFalse();
    }

    @Test
    void shouldNameEveryProblemOfNewRoundTerms() {
        RoundTerms terms = new RoundTerms("round 1", " ", 4, 3, null, Side.UA, Side.UA, -1, null);

        assertThat(terms.violations()).extracting(Violation::field).containsExactlyInAnyOrder(
                "roundId", "agreementReference", "stage", "exchangeDate", "receivingSide", "plannedSoldiers",
                "plannedCivilians");
    }

    @Test
    void shouldAcceptCompleteRoundTerms() {
        RoundTerms terms = new RoundTerms(null, "AGR-1", 1, 3, LocalDate.of(2026, 12, 5), Side.RU, Side.UA, 270, 120);

        assertThat(terms.violations()).isEmpty();
    }

    static ExchangeRound round(RoundStatus status) {
        return new ExchangeRound("round-1", "AGR-1", 1, 3, LocalDate.of(2026, 12, 5), Side.RU, Side.UA, 270, 120,
                status, Instant.parse("2026-11-27T10:00:00Z"));
    }
}
