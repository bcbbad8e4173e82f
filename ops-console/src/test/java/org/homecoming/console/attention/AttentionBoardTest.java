package org.homecoming.console.attention;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.homecoming.console.operation.AlertFigures;
import org.homecoming.console.operation.BusState;
import org.homecoming.console.operation.BusView;
import org.homecoming.console.operation.OpenIssues;
import org.homecoming.console.operation.OpenIssues.OpenDiscrepancy;
import org.homecoming.console.operation.OpenIssues.Waiting;
import org.homecoming.console.operation.OperationSnapshot;
import org.homecoming.console.topics.TopicFigures;
import org.homecoming.console.topics.TopicFigures.DeadLetterCount;
import org.homecoming.console.topics.TopicFigures.GroupLag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class AttentionBoardTest {

    private static final Instant NOW = Instant.parse("2026-05-14T10:00:00Z");
    private static final AttentionRules RULES = new AttentionRules(Duration.ofMinutes(2), Duration.ofMinutes(15),
            Duration.ofMinutes(5), Duration.ofMinutes(2), Duration.ofMinutes(1), Duration.ofMinutes(1), Duration.ofMinutes(1));
    private static final AlertFigures NO_ALERTS = new AlertFigures(0, 0, 0, 0, 0);

    private final AttentionBoard board = new AttentionBoard(RULES);

    @Test
    void shouldListABusOnTheRoadWhoseTrackerIsSilentForMoreThanTwoMinutesAndClearItWhenHeardAgain() {
        // given a bus on the road last heard three minutes ago, and one heard a minute ago
        OperationSnapshot silent = operation(List.of(bus("bus-1", BusState.DEPARTED, NOW.minusSeconds(180), null),
                bus("bus-2", BusState.BORDER_CROSSED, NOW.minusSeconds(60), null)), OpenIssues.NONE);

        // when / then
        assertThat(board.items(silent, NOW)).extracting(AttentionItem::id).containsExactly("tracker-silent:bus-1");
        assertThat(board.items(silent, NOW).get(0).link()).isEqualTo("#bus/bus-1");
        // and when the bus is heard again, the item clears
        OperationSnapshot heard = operation(List.of(bus("bus-1", BusState.DEPARTED, NOW.minusSeconds(5), null)), OpenIssues.NONE);
        assertThat(board.items(heard, NOW)).isEmpty();
    }

    @Test
    void shouldListABusWhoseManifestNamesNoTrackerUntilItArrives() {
        // given a registered bus and a bus on the road whose manifests name no tracker, and one whose manifest names one
        OperationSnapshot buses = operation(List.of(untracked("bus-4", BusState.REGISTERED), untracked("bus-5", BusState.DEPARTED),
                bus("bus-6", BusState.REGISTERED, null, null)), OpenIssues.NONE);

        // then both untracked buses need attention, linked to the bus
        assertThat(board.items(buses, NOW)).filteredOn(item -> item.concern() == Concern.BUS_UNTRACKED)
                .extracting(AttentionItem::id, AttentionItem::link)
                .containsExactly(tuple("untracked:bus-4", "#bus/bus-4"), tuple("untracked:bus-5", "#bus/bus-5"));
        assertThat(board.items(buses, NOW).get(0).summary()).contains("names no tracker");
        assertThat(board.items(buses, NOW).get(0).since()).as("since its manifest was registered").isEqualTo(NOW.minusSeconds(600));
        // and once the bus has arrived (its people came through the hand-over) it is no longer listed
        OperationSnapshot arrived = operation(List.of(untracked("bus-4", BusState.ARRIVED)), OpenIssues.NONE);
        assertThat(board.items(arrived, NOW)).isEmpty();
    }

    @Test
    void shouldListABusPastItsEtaUntilItArrives() {
        OperationSnapshot late = operation(List.of(bus("bus-3", BusState.BORDER_CROSSED, NOW, NOW.minusSeconds(600))), OpenIssues.NONE);
        OperationSnapshot arrived = operation(List.of(bus("bus-3", BusState.ARRIVED, NOW, NOW.minusSeconds(600))), OpenIssues.NONE);

        assertThat(board.items(late, NOW)).extracting(AttentionItem::concern).containsExactly(Concern.BUS_OVERDUE);
        assertThat(board.items(arrived, NOW)).as("an arrived bus is late no more").isEmpty();
    }

    @Test
    void shouldListDiscrepanciesFailedDeliveriesAndOnlyReviewsWaitingLongerThanAllowed() {
        OpenIssues issues = new OpenIssues(List.of(new OpenDiscrepancy("bus-1", "p-7", "NOT_HANDED_OVER", NOW)),
                List.of(new Waiting("m-old", NOW.minus(Duration.ofMinutes(20))), new Waiting("m-new", NOW.minusSeconds(60))),
                List.of(new Waiting("a-1", NOW)));

        List<AttentionItem> items = board.items(operation(List.of(), issues), NOW);

        assertThat(items).extracting(AttentionItem::id)
                .containsExactly("discrepancy:bus-1/p-7", "delivery-failed:a-1", "review:m-old");
    }

    @Test
    void shouldListAnAlertWhoseDeliveryOutcomeIsUnknownForAnOperator() {
        // given reunification holds alert a-9: its delivery was interrupted between sending and the outcome
        OpenIssues issues = new OpenIssues(List.of(), List.of(), List.of(), List.of(new Waiting("a-9", NOW.minusSeconds(30))));

        // when
        List<AttentionItem> items = board.items(operation(List.of(), issues), NOW);

        // then it needs a person's attention, and says what to do
        assertThat(items).singleElement().satisfies(item -> {
            assertThat(item.id()).isEqualTo("delivery-unknown:a-9");
            assertThat(item.concern()).isEqualTo(Concern.DELIVERY_OUTCOME_UNKNOWN);
            assertThat(item.summary()).contains("outcome unknown").contains("resends it or marks it delivered");
        });
    }

    @Test
    void shouldSayOncePerChannelHowManyAlertsHaveWaitedLongerThanAllowedForIt() {
        // given: two e-mail alerts retried for 5 and 3 minutes, one SMS alert retried for 20 seconds (an ordinary retry)
        OpenIssues issues = new OpenIssues(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(
                new OpenIssues.Retrying("a-1", "EMAIL", NOW.minus(Duration.ofMinutes(5))),
                new OpenIssues.Retrying("a-2", "EMAIL", NOW.minus(Duration.ofMinutes(3))),
                new OpenIssues.Retrying("a-3", "SMS", NOW.minusSeconds(20))));

        List<AttentionItem> items = board.items(operation(List.of(), issues), NOW);

        assertThat(items).singleElement().satisfies(item -> {
            assertThat(item.id()).isEqualTo("delivery-waiting:EMAIL");
            assertThat(item.concern()).isEqualTo(Concern.DELIVERY_WAITING);
            assertThat(item.since()).isEqualTo(NOW.minus(Duration.ofMinutes(5)));
            assertThat(item.summary()).isEqualTo("2 alerts to relatives have waited 5 min for the EMAIL channel: the mail server "
                    + "takes no message. They go out on their own once it is back");
        });
    }

    @Test
    void shouldSayWhyTheLatestAttemptFailedSoAnOperatorTellsAServerAwayFromOneThatCannotBeReachedEncrypted() {
        // given: the latest of two e-mail alerts met a mail server whose certificate is not trusted
        OpenIssues issues = new OpenIssues(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(
                new OpenIssues.Retrying("a-1", "EMAIL", NOW.minus(Duration.ofMinutes(5)),
                        "mail server unavailable: MailSendException caused by ConnectException", NOW.minus(Duration.ofMinutes(4))),
                new OpenIssues.Retrying("a-2", "EMAIL", NOW.minus(Duration.ofMinutes(3)),
                        "mail server not reachable encrypted (its certificate not trusted or naming another host, or no "
                                + "STARTTLS offered): MailSendException caused by SunCertPathBuilderException", NOW.minusSeconds(10))));

        List<AttentionItem> items = board.items(operation(List.of(), issues), NOW);

        assertThat(items).singleElement().satisfies(item -> assertThat(item.summary())
                .startsWith("2 alerts to relatives have waited 5 min for the EMAIL channel")
                .endsWith("Latest attempt: mail server not reachable encrypted (its certificate not trusted or naming another "
                        + "host, or no STARTTLS offered): MailSendException caused by SunCertPathBuilderException"));
    }

    @Test
    void shouldPutAFamilyToBeCorrectedFirstNamingOnlyIds() {
        OpenIssues issues = new OpenIssues(List.of(), List.of(new Waiting("m-1", NOW.minusSeconds(7200))), List.of(), List.of(),
                List.of(new OpenIssues.CorrectionDue("inq-1", "p-1", List.of("a-1", "a-2"), true, "REJECTED", false, NOW.minusSeconds(60)),
                        new OpenIssues.CorrectionDue("inq-2", "p-2", List.of("a-3"), true, "REVIEW_REQUESTED", true, NOW.minusSeconds(30))));

        List<AttentionItem> items = board.items(operation(List.of(), issues), NOW);

        assertThat(items).first().satisfies(item -> {
            assertThat(item.id()).isEqualTo("correction-due:inq-1/p-1");
            assertThat(item.concern()).isEqualTo(Concern.CORRECTION_DUE);
            assertThat(item.summary()).isEqualTo("The family of inquiry inq-1 was told about person p-1 (2 alerts), whose match was "
                    + "rejected since: a hotline operator tells them");
        });
        assertThat(items.get(1).summary()).isEqualTo("The family of inquiry inq-2 was told about person p-2 (1 alert), who was "
                + "withdrawn from the release list since: a hotline operator tells them");
    }

    @Test
    void shouldKeepADeadLetterTopicListedUntilAcknowledgedAndListItAgainWhenItGrows() {
        board.observe(topics(NOW.minusSeconds(400), 2, 0));
        board.observe(topics(NOW.minusSeconds(200), 2, 0));
        board.observe(topics(NOW, 3, 0));

        assertThat(board.items(operation(List.of(), OpenIssues.NONE), NOW)).singleElement().satisfies(item -> {
            assertThat(item.id()).isEqualTo("dead-letters:roster.listed-persons-dlt@3");
            assertThat(item.concern()).isEqualTo(Concern.DEAD_LETTERS_GREW);
        });

        // five quiet minutes do not take it off the list: nobody has looked at it yet
        board.observe(topics(NOW.plusSeconds(301), 3, 0));
        assertThat(board.items(operation(List.of(), OpenIssues.NONE), NOW.plusSeconds(301))).extracting(AttentionItem::id)
                .containsExactly("dead-letters:roster.listed-persons-dlt@3");

        // acknowledged, it stays off while nothing new comes in
        assertThat(acknowledge(board, "dead-letters:roster.listed-persons-dlt@3")).isTrue();
        board.observe(topics(NOW.plusSeconds(400), 3, 0));
        assertThat(board.items(operation(List.of(), OpenIssues.NONE), NOW.plusSeconds(400))).isEmpty();

        // a new dead letter brings it back
        board.observe(topics(NOW.plusSeconds(460), 4, 0));
        assertThat(board.items(operation(List.of(), OpenIssues.NONE), NOW.plusSeconds(460))).extracting(AttentionItem::id)
                .containsExactly("dead-letters:roster.listed-persons-dlt@4");
    }

    @Test
    void shouldListAGroupWhoseLagKeepsGrowingButNotOneThatCaughtUpOnce() {
        long[] growing = {5, 9, 9, 14};
        for (int i = 0; i < growing.length; i++) {
            board.observe(topics(NOW.plusSeconds(60L * i), 0, growing[i]));
        }
        assertThat(board.items(operation(List.of(), OpenIssues.NONE), NOW.plusSeconds(180))).extracting(AttentionItem::id)
                .containsExactly("lag-growing:reunification-pairing");

        board.observe(topics(NOW.plusSeconds(240), 0, 2));
        assertThat(board.items(operation(List.of(), OpenIssues.NONE), NOW.plusSeconds(240))).isEmpty();
    }

    @Test
    void shouldListAGroupThatReadNothingWithRecordsWaitingButNotOneThatIsReading() {
        for (int i = 0; i < 4; i++) {
            board.observe(topics(NOW.plusSeconds(60L * i), 0, 7));
        }
        assertThat(board.items(operation(List.of(), OpenIssues.NONE), NOW.plusSeconds(180))).extracting(AttentionItem::id)
                .as("lag 7 for three minutes, nothing read").containsExactly("consumer-stalled:reunification-pairing");

        board.observe(new TopicFigures(NOW.plusSeconds(240), List.of(), List.of(), List.of(new GroupLag("reunification-pairing",
                7, List.of("reunification.alerts"), true, Map.of("reunification.alerts", 3.5)))));
        assertThat(board.items(operation(List.of(), OpenIssues.NONE), NOW.plusSeconds(240)))
                .as("reading again, as fast as records come").isEmpty();
    }

    @Test
    void shouldSayWhenTheConsoleCouldNotReadKafkaForAMinuteInsteadOfShowingOldFiguresAsCurrent() {
        board.observe(topics(NOW, 0, 0));

        assertThat(board.items(operation(List.of(), OpenIssues.NONE), NOW.plusSeconds(30))).as("30 s: still fresh").isEmpty();
        assertThat(board.items(operation(List.of(), OpenIssues.NONE), NOW.plusSeconds(90))).extracting(AttentionItem::id)
                .containsExactly("figures-stale");

        board.observe(topics(NOW.plusSeconds(95), 0, 0));
        assertThat(board.items(operation(List.of(), OpenIssues.NONE), NOW.plusSeconds(96))).as("read again").isEmpty();
    }

    @Test
    void shouldSayWhenTheIdentityProviderHasNotAnsweredForAMinuteAndClearItWhenItAnswers() {
        OperationSnapshot quiet = operation(List.of(), OpenIssues.NONE);

        // given the provider unanswered for 30 s: a restart, not yet a concern
        board.observeIdentityProvider(NOW.minusSeconds(30));
        assertThat(board.items(quiet, NOW)).isEmpty();

        // when it stays away for 90 s
        board.observeIdentityProvider(NOW.minusSeconds(90));

        // then one item says what that means for the people on shift
        assertThat(board.items(quiet, NOW)).singleElement().satisfies(item -> {
            assertThat(item.concern()).isEqualTo(Concern.IDENTITY_PROVIDER_UNREACHABLE);
            assertThat(item.summary()).contains("nobody can sign in").contains("tokens already issued");
        });
        // and once it answers, the item clears
        board.observeIdentityProvider(null);
        assertThat(board.items(quiet, NOW)).isEmpty();
    }

    @Test
    void shouldHideAnAcknowledgedItemWhileItsConditionLastsAndShowItAgainWhenItComesBack() {
        OperationSnapshot silent = operation(List.of(bus("bus-1", BusState.DEPARTED, NOW.minusSeconds(180), null)), OpenIssues.NONE);
        OperationSnapshot heard = operation(List.of(bus("bus-1", BusState.DEPARTED, NOW, null)), OpenIssues.NONE);
        // silent again after it was heard at NOW: a new occurrence, which starts then
        OperationSnapshot silentAgain = operation(List.of(bus("bus-1", BusState.DEPARTED, NOW, null)), OpenIssues.NONE);
        board.items(silent, NOW);

        assertThat(acknowledge(board, "tracker-silent:bus-1")).isTrue();
        assertThat(acknowledge(board, "tracker-silent:bus-9")).as("no such item open").isFalse();
        assertThat(board.items(silent, NOW)).isEmpty();

        board.items(heard, NOW);
        assertThat(board.items(silentAgain, NOW.plusSeconds(181))).as("silent again after it was heard")
                .extracting(AttentionItem::id).containsExactly("tracker-silent:bus-1");
    }

    @Test
    void shouldHideTheAcknowledgedOccurrenceOnABoardThatLearnsOfItBeforeListingTheItem() {
        // given an operator acknowledged bus-1's silence that began three minutes ago, on another console or before a restart
        OperationSnapshot silent = operation(List.of(bus("bus-1", BusState.DEPARTED, NOW.minusSeconds(180), null)), OpenIssues.NONE);
        AttentionBoard restarted = new AttentionBoard(RULES);

        // when this board reads the acknowledgement before it has listed anything
        restarted.acknowledged("tracker-silent:bus-1", NOW.minusSeconds(180), "ops-anna", NOW);

        // then the same silence is not listed, on its first answer and later
        assertThat(restarted.items(silent, NOW)).as("the acknowledged silence").isEmpty();
        assertThat(restarted.items(silent, NOW.plusSeconds(60))).isEmpty();
    }

    @Test
    void shouldListAgainAConditionThatCameBackWithANewStartWhileNoConsoleWatched() {
        // given an acknowledgement of bus-1's silence that began at NOW - 10 min, read back from the topic
        AttentionBoard restarted = new AttentionBoard(RULES);
        restarted.acknowledged("tracker-silent:bus-1", NOW.minusSeconds(600), "ops-anna", NOW.minusSeconds(500));

        // when bus-1 was heard since, and went silent again three minutes ago (the console was down meanwhile)
        OperationSnapshot silentAgain = operation(List.of(bus("bus-1", BusState.DEPARTED, NOW.minusSeconds(180), null)), OpenIssues.NONE);

        // then the new silence is listed
        assertThat(restarted.items(silentAgain, NOW)).extracting(AttentionItem::id, AttentionItem::since)
                .containsExactly(tuple("tracker-silent:bus-1", NOW.minusSeconds(180)));
    }

    @Test
    void shouldKeepAnAcknowledgedGrowingLagOffTheListWhileItLastsThoughItsWindowMoves() {
        long[] growing = {5, 9, 9, 14, 20};
        for (int i = 0; i < 4; i++) {
            board.observe(topics(NOW.plusSeconds(60L * i), 0, growing[i]));
        }
        assertThat(board.items(operation(List.of(), OpenIssues.NONE), NOW.plusSeconds(180))).extracting(AttentionItem::id)
                .containsExactly("lag-growing:reunification-pairing");

        // when acknowledged, on this console or another that listed it too
        AttentionItem lag = board.openItem("lag-growing:reunification-pairing").orElseThrow();
        board.acknowledged(lag.id(), NOW.minusSeconds(3600), "ops-anna", NOW.plusSeconds(180));

        // then it stays off while the lag keeps growing, though the window it is measured over has moved on
        board.observe(topics(NOW.plusSeconds(240), 0, growing[4]));
        assertThat(board.items(operation(List.of(), OpenIssues.NONE), NOW.plusSeconds(240))).isEmpty();
    }

    @Test
    void shouldListAnAcknowledgedItemWithWhoAcknowledgedItUntilTheAcknowledgementIsWithdrawn() {
        // given bus-1's tracker silent for three minutes, acknowledged by an operator who meant bus-2
        OperationSnapshot silent = operation(List.of(bus("bus-1", BusState.DEPARTED, NOW.minusSeconds(180), null)), OpenIssues.NONE);
        board.items(silent, NOW);
        assertThat(board.isAcknowledgedAndOpen("tracker-silent:bus-1")).as("not acknowledged yet").isFalse();
        assertThat(acknowledge(board, "tracker-silent:bus-1")).isTrue();

        // then it is off the list, and listed as acknowledged, by whom and when
        assertThat(board.items(silent, NOW.plusSeconds(5))).isEmpty();
        assertThat(board.acknowledgedItems()).extracting(acknowledged -> acknowledged.item().id(),
                        AttentionBoard.AcknowledgedItem::acknowledgedBy, AttentionBoard.AcknowledgedItem::acknowledgedAt)
                .containsExactly(tuple("tracker-silent:bus-1", "ops-anna", NOW));
        assertThat(board.isAcknowledgedAndOpen("tracker-silent:bus-1")).isTrue();

        // when the acknowledgement is withdrawn (the tombstone read back, or this console's own)
        board.acknowledgementWithdrawn("tracker-silent:bus-1");

        // then the same silence is listed again at once, and no longer as acknowledged
        assertThat(board.acknowledgedItems()).isEmpty();
        assertThat(board.items(silent, NOW.plusSeconds(10))).extracting(AttentionItem::id).containsExactly("tracker-silent:bus-1");
        assertThat(board.isAcknowledgedAndOpen("tracker-silent:bus-1")).isFalse();
    }

    @Test
    void shouldNotCountAClosedItemAsAcknowledgedAndOpen() {
        // given bus-1's silence acknowledged, then bus-1 heard again (the condition cleared)
        OperationSnapshot silent = operation(List.of(bus("bus-1", BusState.DEPARTED, NOW.minusSeconds(180), null)), OpenIssues.NONE);
        OperationSnapshot heard = operation(List.of(bus("bus-1", BusState.DEPARTED, NOW, null)), OpenIssues.NONE);
        board.items(silent, NOW);
        acknowledge(board, "tracker-silent:bus-1");
        board.items(heard, NOW.plusSeconds(5));

        // then there is nothing to put back on the list
        assertThat(board.isAcknowledgedAndOpen("tracker-silent:bus-1")).isFalse();
        assertThat(board.acknowledgedItems()).isEmpty();
    }

    /** What the console does on an operator's acknowledgement: only an open item, with the start it shows. */
    private static boolean acknowledge(AttentionBoard board, String itemId) {
        return board.openItem(itemId).map(item -> {
            board.acknowledged(itemId, item.since(), "ops-anna", NOW);
            return true;
        }).orElse(false);
    }

    private static OperationSnapshot operation(List<BusView> buses, OpenIssues issues) {
        return new OperationSnapshot(List.of(), buses, NO_ALERTS, issues);
    }

    private static BusView bus(String busId, BusState state, Instant lastSeenAt, Instant eta) {
        return new BusView(busId, "round-1", state, 40, false, null, lastSeenAt, eta, null, null, null);
    }

    private static BusView untracked(String busId, BusState state) {
        return new BusView(busId, "round-1", state, 40, false, null, NOW, null, null, null, NOW.minusSeconds(600));
    }

    private static TopicFigures topics(Instant at, long deadLetters, long lag) {
        return new TopicFigures(at, List.of(),
                List.of(new DeadLetterCount("roster.listed-persons-dlt", "roster.listed-persons", deadLetters, true)),
                List.of(new GroupLag("reunification-pairing", lag, List.of("reunification.alerts"), true)));
    }
}
