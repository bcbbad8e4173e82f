package org.homecoming.reunification.pairing;

import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.events.reunification.Milestone;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.homecoming.events.reunification.Milestone.ARRIVED;
import static org.homecoming.events.reunification.Milestone.AT_FACILITY;
import static org.homecoming.events.reunification.Milestone.CROSSED_BORDER;
import static org.homecoming.events.reunification.Milestone.LISTED_FOR_RELEASE;

class AlertRulesTest {

    static final Set<Milestone> NONE = EnumSet.noneOf(Milestone.class);

    @Test
    void shouldAlertOnlyAutoMatchedOrConfirmedPairsOfOpenInquiries() {
        Set<Milestone> listed = EnumSet.of(LISTED_FOR_RELEASE);

        assertThat(AlertRules.due(MatchStatus.AUTO_MATCHED, true, listed, NONE)).contains(LISTED_FOR_RELEASE);
        assertThat(AlertRules.due(MatchStatus.CONFIRMED, true, listed, NONE)).contains(LISTED_FOR_RELEASE);
        assertThat(AlertRules.due(MatchStatus.REVIEW_REQUESTED, true, listed, NONE)).as("review: no alert before a caseworker").isEmpty();
        assertThat(AlertRules.due(MatchStatus.REJECTED, true, listed, NONE)).isEmpty();
        assertThat(AlertRules.due(MatchStatus.RETRACTED, true, listed, NONE)).isEmpty();
        assertThat(AlertRules.due(MatchStatus.AUTO_MATCHED, false, listed, NONE)).as("withdrawn inquiry").isEmpty();
    }

    @Test
    void shouldAnnounceOnlyTheFurthestMilestoneReached() {
        assertThat(AlertRules.due(MatchStatus.AUTO_MATCHED, true, EnumSet.of(LISTED_FOR_RELEASE, CROSSED_BORDER, ARRIVED), NONE))
                .contains(ARRIVED);
        assertThat(AlertRules.due(MatchStatus.AUTO_MATCHED, true, EnumSet.of(LISTED_FOR_RELEASE, CROSSED_BORDER, ARRIVED),
                EnumSet.of(LISTED_FOR_RELEASE, CROSSED_BORDER))).contains(ARRIVED);
    }

    @Test
    void shouldNeverRepeatOrGoBackToAnEarlierMilestone() {
        assertThat(AlertRules.due(MatchStatus.AUTO_MATCHED, true, EnumSet.of(LISTED_FOR_RELEASE, ARRIVED), EnumSet.of(ARRIVED))).isEmpty();
        assertThat(AlertRules.due(MatchStatus.AUTO_MATCHED, true, EnumSet.of(CROSSED_BORDER), EnumSet.of(AT_FACILITY)))
                .as("a late border crossing after admission is not announced").isEmpty();
    }

    @Test
    void shouldDeriveTheSameAlertIdFromTheSameInquiryPersonAndMilestone() {
        String id = AlertRules.alertId("inq-1", "p-1", ARRIVED);

        assertThat(AlertRules.alertId("inq-1", "p-1", ARRIVED)).isEqualTo(id);
        assertThat(UUID.fromString(id).version()).as("a name-based UUID").isEqualTo(3);
        assertThat(Set.of(id, AlertRules.alertId("inq-1", "p-1", CROSSED_BORDER), AlertRules.alertId("inq-2", "p-1", ARRIVED),
                AlertRules.alertId("inq-1", "p-2", ARRIVED))).as("any other inquiry, person or milestone gives another id").hasSize(4);
        assertThat(AlertRules.alertId("inq-1|p", "1", ARRIVED)).as("ids are length-prefixed, so no separator can be confused")
                .isNotEqualTo(AlertRules.alertId("inq-1", "p|1", ARRIVED));
    }
}
