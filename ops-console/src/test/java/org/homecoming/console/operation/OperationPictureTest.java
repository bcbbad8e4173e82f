package org.homecoming.console.operation;

import java.util.List;

import org.homecoming.events.reunification.AlertDeliveryAttempted;
import org.homecoming.events.reunification.DeliveryOutcome;
import org.homecoming.events.reunification.MatchDecided;
import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.Discrepancy;
import org.homecoming.events.transport.Movement;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.homecoming.console.Events.T0;
import static org.homecoming.console.Events.alert;
import static org.homecoming.console.Events.delivery;
import static org.homecoming.console.Events.discrepancy;
import static org.homecoming.console.Events.handedOver;
import static org.homecoming.console.Events.listed;
import static org.homecoming.console.Events.listing;
import static org.homecoming.console.Events.manifest;
import static org.homecoming.console.Events.match;
import static org.homecoming.console.Events.movement;
import static org.homecoming.console.Events.position;
import static org.homecoming.console.Events.round;

class OperationPictureTest {

    private final OperationPicture picture = new OperationPicture();

    @Test
    void shouldKeepEachBusTimelineInTimeOrderWithHandOversAndDiscrepancies() {
        // given a bus that departed, crossed the border and arrived; one person handed over, one missing
        apply(manifest("bus-1", "r1", "p1", "p2"),
                movement("bus-1", "r1", Movement.BORDER_CROSSED, T0.plusSeconds(3600), 51.9, 31.1, "Border crossing"),
                movement("bus-1", "r1", Movement.DEPARTED, T0, 52.4, 31.0, "Gomel"),
                movement("bus-1", "r1", Movement.DEPARTED, T0, 52.4, 31.0, "Gomel"),
                handedOver("p1", "bus-1", "r1", true),
                discrepancy("bus-1", "r1", "p2", Discrepancy.NOT_HANDED_OVER));

        // then the timeline tells the journey once, in time order
        BusTimeline timeline = picture.timeline("bus-1").orElseThrow();
        assertThat(timeline.entries()).extracting(BusTimeline.Entry::what)
                .containsExactly("DEPARTED", "HANDED_OVER", "BORDER_CROSSED", "DISCREPANCY");
        // and the discrepancy is open until the missing person is handed over
        assertThat(picture.snapshot().issues().discrepancies()).extracting(OpenIssues.OpenDiscrepancy::personId)
                .containsExactly("p2");
        apply(handedOver("p2", "bus-1", "r1", true));
        assertThat(picture.snapshot().issues().discrepancies()).isEmpty();
        assertThat(picture.timeline("bus-9")).isEmpty();
    }

    @Test
    void shouldKeepAMissingPersonOpenWhenOnlyAStrangerIsHandedOverUnderTheirId() {
        // given p2 missing from bus-1, reported when it was closed
        apply(manifest("bus-1", "r1", "p1", "p2"), manifest("bus-2", "r1", "p9"),
                discrepancy("bus-1", "r1", "p2", Discrepancy.NOT_HANDED_OVER));

        // when at bus-2 someone is recorded under p2's id, off its manifest
        var stranger = org.homecoming.events.transport.PersonHandedOver.newBuilder(handedOver("p2", "bus-2", "r1", false))
                .setOnManifest(false).build();
        apply(stranger);

        // then p2 is still missing, and counts as no arrival of the round
        assertThat(picture.snapshot().issues().discrepancies()).extracting(OpenIssues.OpenDiscrepancy::personId)
                .contains("p2");
        assertThat(picture.timeline("bus-1").orElseThrow().entries()).filteredOn(entry -> entry.what().equals("DISCREPANCY"))
                .singleElement().satisfies(entry -> assertThat(entry.detail()).doesNotContain("resolved"));

        // when p2 is handed over from bus-1 after all, the discrepancy is resolved
        apply(handedOver("p2", "bus-1", "r1", true));
        assertThat(picture.snapshot().issues().discrepancies()).extracting(OpenIssues.OpenDiscrepancy::personId)
                .doesNotContain("p2");
    }

    @Test
    void shouldSayWhichBusesNameNoTrackerUntilTheirManifestIsRegisteredAgainWithOne() {
        // given a bus whose manifest names the trackers' client, one whose manifest names a partner, and one naming neither
        apply(manifest("bus-1", "r1", "p1"),
                BusManifestRegistered.newBuilder(manifest("bus-2", "r1", "p2")).setTrackerClient(null).setTrackedBy("partner-demo").build(),
                BusManifestRegistered.newBuilder(manifest("bus-3", "r1", "p3")).setTrackerClient(null).build());

        // then only the last is untracked
        assertThat(picture.snapshot().buses()).filteredOn(bus -> bus.untrackedSince() != null)
                .extracting(BusView::busId, BusView::untrackedSince).containsExactly(tuple("bus-3", T0));
        // and registered again naming its device, it is tracked
        apply(manifest("bus-3", "r1", "p3"));
        assertThat(picture.snapshot().buses()).allMatch(bus -> bus.untrackedSince() == null);
    }

    @Test
    void shouldCountEachStageOfTheFunnelInDistinctPersons() {
        // given four listed persons of whom one is withdrawn and one corrected
        apply(listed("p1", "r1"), listed("p2", "r1"), listed("p3", "r1"), listed("p4", "r1"),
                listing("p4", "r1", ListingChange.WITHDRAWN), listing("p2", "r1", ListingChange.CORRECTED));
        // and two buses, one of which crossed the border
        apply(manifest("bus-1", "r1", "p1", "p2"), manifest("bus-2", "r1", "p3"),
                movement("bus-1", "r1", Movement.DEPARTED), movement("bus-1", "r1", Movement.BORDER_CROSSED));
        // and two arrivals, one verified; a match proposed and confirmed, another only in review; two alerts about one person
        apply(handedOver("p1", "bus-1", "r1", true), handedOver("p2", "bus-1", "r1", false),
                match("m1", "i1", "p1", MatchStatus.AUTO_MATCHED), match("m2", "i2", "p1", MatchStatus.CONFIRMED),
                match("m3", "i3", "p2", MatchStatus.REVIEW_REQUESTED),
                alert("a1", "i1", "p1"), alert("a2", "i2", "p1"));

        // when
        Funnel funnel = onlyRound().funnel();

        // then
        assertThat(funnel).as("funnel of round r1").isEqualTo(new Funnel(3, 3, 2, 2, 1, 1, 1));
    }

    @Test
    void shouldCountAMatchOnlyWhileItHolds() {
        apply(listed("p1", "r1"), listed("p2", "r1"),
                match("m1", "i1", "p1", MatchStatus.AUTO_MATCHED), match("m1", "i1", "p1", MatchStatus.RETRACTED),
                match("m2", "i2", "p2", MatchStatus.REVIEW_REQUESTED), match("m2", "i2", "p2", MatchStatus.CONFIRMED));

        assertThat(onlyRound().funnel().matched()).as("p1's match was retracted, p2's was confirmed").isEqualTo(1);
    }

    @Test
    void shouldWorkOutTheFunnelWhateverOrderTheTopicsArriveIn() {
        // given the alert and the match are read before the person's listing (different topics, no order between them)
        apply(alert("a1", "i1", "p1"), match("m1", "i1", "p1", MatchStatus.AUTO_MATCHED));
        assertThat(picture.snapshot().rounds()).as("no round can be told from an alert alone").isEmpty();

        // when the listing comes
        apply(listed("p1", "r1"));

        // then
        assertThat(onlyRound().funnel()).isEqualTo(new Funnel(1, 0, 0, 0, 0, 1, 1));
    }

    @Test
    void shouldGiveTheSamePictureWhenAPartitionIsReadAgainFromItsStart() {
        List<Object> events = List.of(listed("p1", "r1"), manifest("bus-1", "r1", "p1"),
                movement("bus-1", "r1", Movement.BORDER_CROSSED), handedOver("p1", "bus-1", "r1", true),
                match("m1", "i1", "p1", MatchStatus.REVIEW_REQUESTED), alert("a1", "i1", "p1"),
                delivery("a1", "i1", 1, DeliveryOutcome.DELIVERED));
        events.forEach(picture::apply);
        OperationSnapshot once = picture.snapshot();

        events.forEach(picture::apply);

        assertThat(picture.snapshot()).as("a replay after a rebalance must not double anything").isEqualTo(once);
    }

    @Test
    void shouldReplaceABusManifestByALaterOne() {
        apply(listed("p1", "r1"), listed("p2", "r1"), manifest("bus-1", "r1", "p1", "p2"), manifest("bus-1", "r1", "p2"));

        assertThat(onlyRound().funnel().onBus()).isEqualTo(1);
        assertThat(picture.snapshot().buses()).singleElement().satisfies(bus ->
                assertThat(bus.persons()).as("persons on bus-1's latest manifest").isEqualTo(1));
    }

    @Test
    void shouldKeepTheReviewQueueToMatchesNotYetDecided() {
        apply(match("m1", "i1", "p1", MatchStatus.REVIEW_REQUESTED),
                match("m2", "i2", "p2", MatchStatus.REVIEW_REQUESTED), match("m2", "i2", "p2", MatchStatus.CONFIRMED),
                match("m3", "i3", "p3", MatchStatus.REVIEW_REQUESTED), match("m3", "i3", "p3", MatchStatus.REJECTED),
                match("m4", "i4", "p4", MatchStatus.REVIEW_REQUESTED), match("m4", "i4", "p4", MatchStatus.RETRACTED),
                match("m5", "i5", "p5", MatchStatus.AUTO_MATCHED));

        assertThat(picture.snapshot().alerts().reviewQueue()).as("only m1 still waits for a caseworker").isEqualTo(1);
    }

    @Test
    void shouldCountAlertsByTheOutcomeOfTheirDelivery() {
        apply(alert("a1", "i1", "p1"), alert("a2", "i2", "p2"), alert("a3", "i3", "p3"), alert("a4", "i4", "p4"),
                delivery("a1", "i1", 1, DeliveryOutcome.RETRYING), delivery("a1", "i1", 2, DeliveryOutcome.DELIVERED),
                delivery("a2", "i2", 1, DeliveryOutcome.RETRYING), delivery("a2", "i2", 2, DeliveryOutcome.FAILED),
                delivery("a3", "i3", 1, DeliveryOutcome.RETRYING));

        assertThat(picture.snapshot().alerts()).isEqualTo(new AlertFigures(4, 1, 1, 2, 0));
    }

    @Test
    void shouldNotCountAnAlertWithheldForAWithdrawnInquiryAsAFailureOrAsAwaitingDelivery() {
        apply(alert("a1", "i1", "p1"), alert("a2", "i2", "p2"),
                delivery("a1", "i1", 0, DeliveryOutcome.FAILED),
                delivery("a2", "i2", 1, DeliveryOutcome.RETRYING), delivery("a2", "i2", 2, DeliveryOutcome.FAILED));

        assertThat(picture.snapshot().alerts()).as("a1 withheld on purpose, a2 failed")
                .isEqualTo(new AlertFigures(2, 0, 1, 0, 0));
        assertThat(picture.snapshot().issues().failedDeliveries()).extracting(OpenIssues.Waiting::id).containsExactly("a2");
    }

    @Test
    void shouldShowAnAlertRetriedRoundAfterRoundAsRetryingSinceItsFirstRetryUntilItIsDelivered() {
        // given: a1 meets a mail server that takes no message, round after round; a2 was retried once and delivered
        apply(alert("a1", "i1", "p1"), alert("a2", "i2", "p2"),
                delivery("a1", "i1", 1, DeliveryOutcome.SENDING), delivery("a1", "i1", 1, DeliveryOutcome.RETRYING),
                delivery("a1", "i1", 2, DeliveryOutcome.SENDING), delivery("a1", "i1", 3, DeliveryOutcome.RETRYING),
                delivery("a1", "i1", 1, DeliveryOutcome.SENDING),
                delivery("a2", "i2", 1, DeliveryOutcome.RETRYING), delivery("a2", "i2", 2, DeliveryOutcome.DELIVERED));

        // then a1 is retrying since its first retry, on its channel; a2 is not
        assertThat(picture.snapshot().issues().retryingDeliveries()).singleElement().satisfies(retrying -> {
            assertThat(retrying.alertId()).isEqualTo("a1");
            assertThat(retrying.channel()).isEqualTo("EMAIL");
            assertThat(retrying.since()).isEqualTo(delivery("a1", "i1", 1, DeliveryOutcome.RETRYING).getAttemptedAt());
        });

        // and the reason of its latest retry is kept, on one line
        AlertDeliveryAttempted untrusted = delivery("a1", "i1", 4, DeliveryOutcome.RETRYING);
        untrusted.setFailureReason("mail server not reachable encrypted (…):\nMailSendException caused by SSLHandshakeException");
        apply(untrusted);
        assertThat(picture.snapshot().issues().retryingDeliveries()).singleElement().satisfies(retrying -> {
            assertThat(retrying.reason()).isEqualTo("mail server not reachable encrypted (…): MailSendException caused by SSLHandshakeException");
            assertThat(retrying.at()).isEqualTo(untrusted.getAttemptedAt());
        });

        // and once the server is back and a1 is delivered, nothing is retrying
        apply(delivery("a1", "i1", 1, DeliveryOutcome.DELIVERED));
        assertThat(picture.snapshot().issues().retryingDeliveries()).isEmpty();
    }

    @Test
    void shouldShowAnAlertWithAnUnknownOutcomeUntilAnOperatorSettlesIt() {
        // given: a1's delivery was interrupted and recorded UNKNOWN; a2's too, then an operator resent it
        apply(alert("a1", "i1", "p1"), alert("a2", "i2", "p2"),
                delivery("a1", "i1", 1, DeliveryOutcome.SENDING), delivery("a1", "i1", 1, DeliveryOutcome.UNKNOWN),
                delivery("a2", "i2", 1, DeliveryOutcome.SENDING), delivery("a2", "i2", 1, DeliveryOutcome.UNKNOWN),
                delivery("a2", "i2", 2, DeliveryOutcome.SENDING), delivery("a2", "i2", 2, DeliveryOutcome.DELIVERED));

        // then only a1 is open, as an unknown outcome, not as a failure
        assertThat(picture.snapshot().issues().unknownDeliveries()).extracting(OpenIssues.Waiting::id).containsExactly("a1");
        assertThat(picture.snapshot().issues().failedDeliveries()).isEmpty();
    }

    @Test
    void shouldShowAFailedAlertUntilAnOperatorsResendSettlesIt() {
        // given: a1, a2 and a3 failed every attempt (a provider outage); an operator resent a1 and a2 once it was over:
        // a1's resend delivered it, a2's gateway did not answer (held, outcome unknown)
        apply(alert("a1", "i1", "p1"), alert("a2", "i2", "p2"), alert("a3", "i3", "p3"),
                delivery("a1", "i1", 3, DeliveryOutcome.FAILED), delivery("a2", "i2", 3, DeliveryOutcome.FAILED),
                delivery("a3", "i3", 3, DeliveryOutcome.FAILED),
                delivery("a1", "i1", 3, DeliveryOutcome.SENDING), delivery("a1", "i1", 1, DeliveryOutcome.SENDING),
                delivery("a1", "i1", 1, DeliveryOutcome.DELIVERED),
                delivery("a2", "i2", 3, DeliveryOutcome.SENDING), delivery("a2", "i2", 1, DeliveryOutcome.SENDING),
                delivery("a2", "i2", 1, DeliveryOutcome.UNKNOWN));

        // then: a3 still could not be delivered, a2 waits as an unknown outcome only, a1 is off both lists
        assertThat(picture.snapshot().issues().failedDeliveries()).extracting(OpenIssues.Waiting::id).containsExactly("a3");
        assertThat(picture.snapshot().issues().unknownDeliveries()).extracting(OpenIssues.Waiting::id).containsExactly("a2");
        assertThat(picture.snapshot().alerts()).isEqualTo(new AlertFigures(3, 1, 1, 1, 0));
    }

    @Test
    void shouldAskForACorrectionWhenAMatchFallsAfterItsAlertReachedTheFamilyUntilItIsConfirmedAgain() {
        // given: a1 delivered, a2 held with an unknown outcome, a3 failed, a4 and a5 delivered
        apply(match("m1", "i1", "p1", MatchStatus.AUTO_MATCHED), match("m2", "i2", "p2", MatchStatus.AUTO_MATCHED),
                match("m3", "i3", "p3", MatchStatus.AUTO_MATCHED), match("m4", "i4", "p4", MatchStatus.AUTO_MATCHED),
                match("m5", "i5", "p5", MatchStatus.AUTO_MATCHED),
                alert("a1", "i1", "p1"), alert("a2", "i2", "p2"), alert("a3", "i3", "p3"), alert("a4", "i4", "p4"),
                alert("a5", "i5", "p5"),
                delivery("a1", "i1", 1, DeliveryOutcome.DELIVERED), delivery("a2", "i2", 1, DeliveryOutcome.UNKNOWN),
                delivery("a3", "i3", 3, DeliveryOutcome.FAILED), delivery("a4", "i4", 1, DeliveryOutcome.DELIVERED),
                delivery("a5", "i5", 1, DeliveryOutcome.DELIVERED));
        assertThat(picture.snapshot().issues().correctionsDue()).as("every match still stands").isEmpty();

        // when: m1, m2, m3 are rejected; m4 goes back to review (an arrival not verified); m5's family withdrew the inquiry
        MatchDecided withdrawn = match("m5", "i5", "p5", MatchStatus.RETRACTED);
        withdrawn.setReason("inquiry withdrawn");
        apply(match("m1", "i1", "p1", MatchStatus.REJECTED), match("m2", "i2", "p2", MatchStatus.REJECTED),
                match("m3", "i3", "p3", MatchStatus.REJECTED), match("m4", "i4", "p4", MatchStatus.REVIEW_REQUESTED), withdrawn);

        // then: the families of a1 (told) and a2 (perhaps told) need a call; a3 never reached anyone, m4 may still be
        // their person, and a5's family no longer waits
        assertThat(picture.snapshot().issues().correctionsDue())
                .extracting(OpenIssues.CorrectionDue::alertIds, OpenIssues.CorrectionDue::delivered, OpenIssues.CorrectionDue::matchStatus)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(List.of("a1"), true, "REJECTED"),
                        org.assertj.core.groups.Tuple.tuple(List.of("a2"), false, "REJECTED"));

        // when: a caseworker's later decision confirms m2 after all, it no longer needs a correction; a second alert
        // of m1 that reached the family makes still one correction
        apply(match("m2", "i2", "p2", MatchStatus.CONFIRMED), alert("a6", "i1", "p1"), delivery("a6", "i1", 1, DeliveryOutcome.DELIVERED));
        assertThat(picture.snapshot().issues().correctionsDue()).singleElement().satisfies(due -> {
            assertThat(due.inquiryId()).isEqualTo("i1");
            assertThat(due.personId()).isEqualTo("p1");
            assertThat(due.alertIds()).containsExactly("a1", "a6");
        });
    }

    @Test
    void shouldAskForACorrectionWhenAPersonTheFamilyWasToldIsListedIsWithdrawnFromTheListUntilListedAgain() {
        // given: the family of i1 was told p1 is on the release list; i2's alert about p2 never went out
        apply(match("m1", "i1", "p1", MatchStatus.AUTO_MATCHED), match("m2", "i2", "p2", MatchStatus.AUTO_MATCHED),
                alert("a1", "i1", "p1"), alert("a2", "i2", "p2"), delivery("a1", "i1", 1, DeliveryOutcome.DELIVERED));

        // when: both are withdrawn from the list (the matcher sends their matches back to review)
        MatchDecided withdrawn1 = match("m1", "i1", "p1", MatchStatus.REVIEW_REQUESTED);
        withdrawn1.setReason("withdrawn from list");
        MatchDecided withdrawn2 = match("m2", "i2", "p2", MatchStatus.REVIEW_REQUESTED);
        withdrawn2.setReason("withdrawn from list");
        apply(withdrawn1, withdrawn2);

        // then: i1's family needs a call, named as a withdrawal; i2's family was told nothing
        assertThat(picture.snapshot().issues().correctionsDue()).singleElement().satisfies(due -> {
            assertThat(due.inquiryId()).isEqualTo("i1");
            assertThat(due.withdrawnFromList()).isTrue();
        });

        // and when p1 is listed again and matched again, no correction is due
        apply(match("m1", "i1", "p1", MatchStatus.AUTO_MATCHED));
        assertThat(picture.snapshot().issues().correctionsDue()).isEmpty();
    }

    @Test
    void shouldNeverMoveABusBackWhenALateMovementArrives() {
        apply(manifest("bus-1", "r1", "p1"),
                movement("bus-1", "r1", Movement.ARRIVED, T0.plusSeconds(600), 51.49, 31.29, "Reception point"),
                movement("bus-1", "r1", Movement.CHECKPOINT_PASSED, T0.plusSeconds(60), 52.2, 31.0, "Checkpoint 2"));

        BusView bus = picture.snapshot().buses().get(0);

        assertThat(bus.state()).isEqualTo(BusState.ARRIVED);
        assertThat(bus.lastSeenAt()).isEqualTo(T0.plusSeconds(600));
        assertThat(bus.latitude()).as("the older checkpoint position must not replace the arrival's").isEqualTo(51.49);
    }

    @Test
    void shouldFlagASilentTrackerUntilTheBusIsHeardFromAgain() {
        apply(position("bus-1", "r1", 52.0, 31.0, T0),
                movement("bus-1", "r1", Movement.TRACKER_SILENT, T0.plusSeconds(300), null, null, null));
        assertThat(picture.snapshot().buses().get(0).trackerSilent()).isTrue();

        apply(position("bus-1", "r1", 51.9, 31.1, T0.plusSeconds(400)));

        assertThat(picture.snapshot().buses().get(0).trackerSilent()).isFalse();
        assertThat(picture.snapshot().buses().get(0).state()).as("a bus known only from positions").isEqualTo(BusState.REGISTERED);
    }

    @Test
    void shouldShowTheRoundRecordAndForgetItAfterATombstone() {
        apply(round("r1", 1, 390), listed("p1", "r1"));
        assertThat(onlyRound().stage()).isEqualTo(1);
        assertThat(onlyRound().plannedPersons()).isEqualTo(390);
        assertThat(onlyRound().status()).isEqualTo("IN_PROGRESS");

        picture.roundDeleted("r1");

        assertThat(onlyRound().stage()).as("the round's record is gone, its person still counts").isNull();
        assertThat(onlyRound().funnel().listed()).isEqualTo(1);
    }

    @Test
    void shouldRefuseEventsItDoesNotFollowAndLeaveThePictureAsItWas() {
        long before = picture.version();

        boolean applied = picture.apply("some string");

        assertThat(applied).isFalse();
        assertThat(picture.version()).isEqualTo(before);
    }

    @Test
    void shouldShowABusRegisteredForItsNextRoundAsANewTripAndKeepTheEarlierRoundsCounts() {
        // given bus-1 that carried p1 across in round r1 and arrived
        apply(listed("p1", "r1"), listed("p2", "r2"), manifest("bus-1", "r1", "p1"),
                movement("bus-1", "r1", Movement.BORDER_CROSSED), movement("bus-1", "r1", Movement.ARRIVED));

        // when it is registered for r2, to carry p2
        var next = BusManifestRegistered.newBuilder(manifest("bus-1", "r2", "p2")).setRegisteredAt(T0.plusSeconds(3600)).build();
        apply(next);

        // then r2's bus has not left, and r1 still counts p1 on a bus that crossed
        assertThat(picture.snapshot().rounds()).extracting(RoundView::roundId, round -> round.funnel().onBus(),
                        round -> round.funnel().crossedBorder())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("r1", 1, 1), org.assertj.core.groups.Tuple.tuple("r2", 1, 0));
        assertThat(picture.snapshot().buses()).singleElement().satisfies(bus -> {
            assertThat(bus.roundId()).isEqualTo("r2");
            assertThat(bus.state()).isEqualTo(BusState.REGISTERED);
        });

        // and a late movement of r1 changes r1's trip only
        apply(movement("bus-1", "r1", Movement.CHECKPOINT_PASSED));
        assertThat(picture.snapshot().buses()).singleElement().extracting(BusView::roundId).isEqualTo("r2");
    }

    @Test
    void shouldKeepRoundsApart() {
        apply(listed("p1", "r1"), listed("p2", "r2"), listed("p3", "r2"), manifest("bus-9", "r2", "p2"));

        assertThat(picture.snapshot().rounds()).extracting(RoundView::roundId, round -> round.funnel().listed(),
                        round -> round.funnel().onBus())
                .containsExactly(org.assertj.core.groups.Tuple.tuple("r1", 1, 0), org.assertj.core.groups.Tuple.tuple("r2", 2, 1));
    }

    private void apply(Object... events) {
        for (Object event : events) {
            assertThat(picture.apply(event)).as("applied %s", event.getClass().getSimpleName()).isTrue();
        }
    }

    private RoundView onlyRound() {
        List<RoundView> rounds = picture.snapshot().rounds();
        assertThat(rounds).as("rounds in the picture").hasSize(1);
        return rounds.get(0);
    }
}
