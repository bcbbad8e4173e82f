package org.homecoming.reunification.pairing;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.MatchDecided;
import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.events.reunification.Milestone;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.transport.Movement;
import org.homecoming.reunification.inquiries.InquiryBook;
import org.homecoming.reunification.matching.MatchScorer;
import org.homecoming.reunification.matching.Evidence;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.homecoming.reunification.pairing.Events.T0;
import static org.homecoming.reunification.pairing.Events.admitted;
import static org.homecoming.reunification.pairing.Events.caseworker;
import static org.homecoming.reunification.pairing.Events.corrected;
import static org.homecoming.reunification.pairing.Events.handedOver;
import static org.homecoming.reunification.pairing.Events.inquiry;
import static org.homecoming.reunification.pairing.Events.listed;
import static org.homecoming.reunification.pairing.Events.listing;
import static org.homecoming.reunification.pairing.Events.manifest;
import static org.homecoming.reunification.pairing.Events.movement;
import static org.homecoming.reunification.pairing.Events.newEmail;

/**
 * Pairing with the project's real scorer. Positive cases use identical names and birth dates and negative cases
 * clearly different people, so they hold for an exact matcher and for a fuzzy one alike.
 */
class PairingTest {

    static final LocalDate BORN = LocalDate.of(1990, 4, 12);

    final Set<String> withdrawnThroughRest = new HashSet<>();
    final InquiryBook book = new InquiryBook();
    final Pairing engine = new Pairing(new MatchScorer(), 3.0, Clock.fixed(T0, ZoneOffset.UTC), book,
            withdrawnThroughRest::contains, Pairing.Counters.NONE);

    List<Emitted> on(Object value) {
        if (value instanceof org.homecoming.events.reunification.InquiryRegistered inquiry) {
            return engine.on(Topics.INQUIRIES.name(), inquiry.getInquiryId(), inquiry);
        }
        return engine.on("some.topic", "key", value);
    }

    static List<MatchDecided> decisions(List<Emitted> emitted) {
        return emitted.stream().map(Emitted::value).filter(MatchDecided.class::isInstance).map(MatchDecided.class::cast).toList();
    }

    static List<AlertIssued> alerts(List<Emitted> emitted) {
        return emitted.stream().map(Emitted::value).filter(AlertIssued.class::isInstance).map(AlertIssued.class::cast).toList();
    }

    @Test
    void shouldAutoMatchAListedPersonAndIssueAListedForReleaseAlertWithEvidence() {
        on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));

        List<Emitted> emitted = on(listed("p-1", "Петренко", "Олександр", BORN));

        assertThat(decisions(emitted)).singleElement().satisfies(decision -> {
            assertThat(decision.getStatus()).isEqualTo(MatchStatus.AUTO_MATCHED);
            assertThat(decision.getPersonId()).isEqualTo("p-1");
            assertThat(decision.getEvidence()).as("per-field evidence is kept with the match").isNotEmpty();
        });
        assertThat(alerts(emitted)).singleElement().satisfies(alert -> {
            assertThat(alert.getMilestone()).isEqualTo(Milestone.LISTED_FOR_RELEASE);
            assertThat(alert.getAlertId()).isEqualTo(AlertRules.alertId("inq-1", "p-1", Milestone.LISTED_FOR_RELEASE));
        });
        assertThat(emitted).extracting(Emitted::key).as("matches and alerts are keyed by inquiry").containsOnly("inq-1");
    }

    @Test
    void shouldMatchAnInquiryRegisteredAfterThePersonWasListed() {
        on(listed("p-1", "Петренко", "Олександр", BORN));
        on(listed("p-2", "Коваль", "Марія", LocalDate.of(1975, 1, 30)));

        List<Emitted> emitted = on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));

        assertThat(decisions(emitted)).extracting(MatchDecided::getPersonId, MatchDecided::getStatus)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("p-1", MatchStatus.AUTO_MATCHED));
        assertThat(alerts(emitted)).extracting(AlertIssued::getMilestone).containsExactly(Milestone.LISTED_FOR_RELEASE);
    }

    @Test
    void shouldNotMatchAClearlyDifferentPerson() {
        on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));

        List<Emitted> emitted = on(listed("p-9", "Мельник", "Ірина", LocalDate.of(1962, 11, 3)));

        assertThat(emitted).as("no match and no alert for a different person").isEmpty();
    }

    @Test
    void shouldSendBothToReviewWhenAnInquiryHasTwoStrongCandidates() {
        on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));
        List<Emitted> first = on(listed("p-1", "Петренко", "Олександр", BORN));
        assertThat(alerts(first)).as("one candidate alone is an auto-match").hasSize(1);

        List<Emitted> second = on(listed("p-2", "Петренко", "Олександр", BORN));

        assertThat(decisions(second)).extracting(MatchDecided::getPersonId, MatchDecided::getStatus, MatchDecided::getReason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("p-1", MatchStatus.REVIEW_REQUESTED, CandidateRule.TWO_STRONG),
                        org.assertj.core.groups.Tuple.tuple("p-2", MatchStatus.REVIEW_REQUESTED, CandidateRule.TWO_STRONG));
        assertThat(alerts(second)).as("no automatic alert while two persons fit").isEmpty();
        assertThat(alerts(on(movement("bus-1", Movement.BORDER_CROSSED)))).isEmpty();
        on(manifest("bus-1", "p-1", "p-2"));
        assertThat(alerts(on(handedOver("p-1", true)))).as("no alert for a pair in review, whatever the milestone").isEmpty();
    }

    @Test
    void shouldNotProposeANamesakeWithAnotherBirthDateWhoseSurnameManyListedPeopleCarry() {
        // given: one listed person in fifteen is a Мельник (none an Іван), and a Melnyk Ivan born fifteen years later
        for (int i = 0; i < 600; i++) {
            String surname = i < 40 ? "Мельник" : "Прізвище" + Integer.toString(i, 26);
            on(listed("r-" + i, surname, "Петро", LocalDate.of(1980, 1, 1).plusDays(i)));
        }
        on(listed("p-1", "Melnyk", "Ivan", LocalDate.of(1990, 2, 14)));

        // when: a relative asks for Мельник Іван, born 1975
        List<Emitted> emitted = on(inquiry("inq-1", 1, "Мельник", "Іван", LocalDate.of(1975, 6, 1)));

        // then: on a roster of rare surnames the name alone would send the pair to review (MatchScorerTest); here the
        // common surname says too little against the other birth date
        assertThat(decisions(emitted)).isEmpty();
    }

    @Test
    void shouldShowTheCaseworkerEveryNamesakeOfANameOnlyInquiryWithTheOthersBesideIt() {
        // given: two listed namesakes born years apart; the relative knows only the name
        on(listed("p-1", "Петренко", "Олександр", BORN));
        on(listed("p-2", "Petrenko", "Oleksandr", BORN.plusYears(7)));

        // when
        List<Emitted> emitted = on(inquiry("inq-1", 1, "Петренко", "Олександр", null));

        // then
        assertThat(decisions(emitted)).extracting(MatchDecided::getPersonId, MatchDecided::getStatus)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("p-1", MatchStatus.REVIEW_REQUESTED),
                        org.assertj.core.groups.Tuple.tuple("p-2", MatchStatus.REVIEW_REQUESTED));
        MatchView first = engine.matches().match(AlertRules.matchId("inq-1", "p-1")).orElseThrow();
        assertThat(first.competing()).extracting(MatchView.Competitor::personId).containsExactly("p-2");
        assertThat(first.competing().get(0).evidence()).extracting(Evidence::field).contains("surname", "givenName");
    }

    @Test
    void shouldSendTwoCandidatesListedTogetherToReviewAndNeverAlert() {
        on(listed("p-1", "Петренко", "Олександр", BORN));
        on(listed("p-2", "Петренко", "Олександр", BORN));

        List<Emitted> emitted = on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));

        assertThat(decisions(emitted)).extracting(MatchDecided::getStatus).containsOnly(MatchStatus.REVIEW_REQUESTED).hasSize(2);
        assertThat(alerts(emitted)).isEmpty();
    }

    @Test
    void shouldReleaseTheReachedMilestoneWhenACaseworkerConfirms() {
        on(listed("p-1", "Петренко", "Олександр", BORN));
        on(listed("p-2", "Петренко", "Олександр", BORN));
        on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));
        on(manifest("bus-1", "p-1"));
        on(movement("bus-1", Movement.BORDER_CROSSED));
        MatchView match = engine.matches().match(AlertRules.matchId("inq-1", "p-1")).orElseThrow();

        List<Emitted> emitted = on(caseworker(match, MatchStatus.CONFIRMED, "photo checked"));

        assertThat(alerts(emitted)).extracting(AlertIssued::getMilestone, AlertIssued::getPersonId)
                .as("the furthest milestone already reached goes out on confirmation")
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Milestone.CROSSED_BORDER, "p-1"));
        assertThat(engine.matches().match(match.matchId())).get().extracting(MatchView::status).isEqualTo(MatchStatus.CONFIRMED);
    }

    @Test
    void shouldNeverProposeARejectedPairAgainUnlessASideIsCorrectedAndThenOnlyForReview() {
        on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));
        on(listed("p-1", "Петренко", "Олександр", BORN));
        MatchView match = engine.matches().match(AlertRules.matchId("inq-1", "p-1")).orElseThrow();
        on(caseworker(match, MatchStatus.REJECTED, "different unit"));

        List<Emitted> republished = on(listing("p-1", ListingChange.LISTED, "Петренко", "Олександр", BORN, T0.plusSeconds(60)));
        assertThat(republished).as("a list republished with the same entry does not revive a rejection").isEmpty();
        assertThat(alerts(on(handedOver("p-1", true)))).isEmpty();

        var correction = listing("p-1", ListingChange.CORRECTED, "Петренко", "Олександр", BORN, T0.plusSeconds(120));
        correction.setLatinName(new org.homecoming.events.common.PersonName("Petrenko", "Oleksandr", null));
        List<Emitted> corrected = on(correction);
        assertThat(decisions(corrected)).as("a corrected listing is scored again, for the caseworker").singleElement()
                .satisfies(decision -> {
                    assertThat(decision.getStatus()).isEqualTo(MatchStatus.REVIEW_REQUESTED);
                    assertThat(decision.getReason()).isEqualTo("corrected after rejection");
                });
        assertThat(alerts(corrected)).as("never an alert about a man a caseworker ruled out").isEmpty();
    }

    @Test
    void shouldLetACaseworkerTakeBackHerRejectionAndTellTheFamilyTheFurthestNewsOnce() {
        // given a match a caseworker rejected by mistake, and the man handed over since
        on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));
        on(listed("p-1", "Петренко", "Олександр", BORN));
        MatchView match = engine.matches().match(AlertRules.matchId("inq-1", "p-1")).orElseThrow();
        on(caseworker(match, MatchStatus.REJECTED, "different unit"));
        assertThat(alerts(on(handedOver("p-1", true)))).as("nothing while rejected").isEmpty();

        // when she takes her rejection back
        List<Emitted> confirmed = on(caseworker(match, MatchStatus.CONFIRMED, "the unit was mistyped in the first list"));

        // then the pair is confirmed and the family hears that he arrived, not a stale "listed"
        assertThat(engine.matches().match(match.matchId())).get().extracting(MatchView::status).isEqualTo(MatchStatus.CONFIRMED);
        assertThat(alerts(confirmed)).extracting(AlertIssued::getMilestone).containsExactly(Milestone.ARRIVED);
        assertThat(alerts(on(caseworker(match, MatchStatus.CONFIRMED, "again")))).as("once").isEmpty();
    }

    @Test
    void shouldKeepEveryInquiryReadableWhileTheStateIsRebuilt() {
        // given: one open inquiry and one withdrawn
        on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));
        on(inquiry("inq-2", 1, "Коваль", "Ірина", BORN));
        engine.on(Topics.INQUIRIES.name(), "inq-2", null);

        // when: a rebuild starts (after a broker restart it replays for up to a minute and a half)
        engine.reset();

        // then: delivery and REST still read the inquiry, and the withdrawal, as they were
        assertThat(book.find("inq-1")).as("an emptied book made delivery take it for withdrawn").isPresent();
        assertThat(book.isWithdrawn("inq-1")).isFalse();
        assertThat(book.isWithdrawn("inq-2")).isTrue();
    }

    @Test
    void shouldAnswerReadsOfMatchesAndAlertsWithWhatItHeldUntilARebuildEnds() {
        // given: two matched pairs, each with its alert
        List<Emitted> written = new java.util.ArrayList<>(on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN)));
        written.addAll(on(listed("p-1", "Петренко", "Олександр", BORN)));
        written.addAll(on(inquiry("inq-2", 1, "Коваль", "Ірина", LocalDate.of(1962, 11, 3))));
        written.addAll(on(listed("p-2", "Коваль", "Ірина", LocalDate.of(1962, 11, 3))));
        String first = AlertRules.matchId("inq-1", "p-1");
        String second = AlertRules.matchId("inq-2", "p-2");

        // when: a rebuild starts and has read back only the first pair's records so far
        engine.reset();
        decisions(written).stream().filter(decision -> decision.getInquiryId().equals("inq-1")).forEach(engine::restoreDecision);
        alerts(written).stream().filter(alert -> alert.getInquiryId().equals("inq-1")).forEach(engine::restoreAlert);
        alerts(written).stream().filter(alert -> alert.getInquiryId().equals("inq-1")).forEach(engine::restoreAlert);

        // then: a caseworker still sees both pairs, once each, and both inquiries' alerts
        assertThat(engine.matches().matches(null)).extracting(MatchView::matchId).containsExactlyInAnyOrder(first, second);
        assertThat(engine.matches().match(second)).as("a match not read back yet does not answer 404").isPresent();
        assertThat(engine.alerts().alertsOf("inq-1")).as("an alert read twice is one alert").hasSize(1);
        assertThat(engine.alerts().alertsOf("inq-2")).hasSize(1);

        // when: the rebuild ends without the second pair (say its transaction was aborted)
        engine.rebuilt();

        // then: only what was read back is known
        assertThat(engine.matches().matches(null)).extracting(MatchView::matchId).containsExactly(first);
        assertThat(engine.matches().match(second)).isEmpty();
        assertThat(engine.alerts().alertsOf("inq-2")).isEmpty();
    }

    @Test
    void shouldRememberARejectionAcrossARebuild() {
        on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));
        var listing = listed("p-1", "Петренко", "Олександр", BORN);
        List<Emitted> proposed = on(listing);
        MatchView match = engine.matches().match(AlertRules.matchId("inq-1", "p-1")).orElseThrow();
        MatchDecided rejection = caseworker(match, MatchStatus.REJECTED, "different unit");

        engine.reset();
        engine.restoreFact(listing);
        engine.restoreInquiry("inq-1", inquiry("inq-1", 1, "Петренко", "Олександр", BORN), true);
        decisions(proposed).forEach(engine::restoreDecision);
        alerts(proposed).forEach(engine::restoreAlert);
        engine.restoreDecision(rejection);

        assertThat(on(listing("p-1", ListingChange.LISTED, "Петренко", "Олександр", BORN, T0.plusSeconds(60))))
                .as("the rejection survives the restart").isEmpty();
        assertThat(engine.matches().match(match.matchId())).get().extracting(MatchView::status).isEqualTo(MatchStatus.REJECTED);
    }

    @Test
    void shouldGiveARejectedPairTheSameVersionEverywhereWhenACorrectionMovesItToANewRevision() {
        // given: a clear match that a caseworker ruled out, as the owner wrote it and the topic holds it
        List<Emitted> written = new java.util.ArrayList<>(on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN)));
        written.addAll(on(listed("p-1", "Петренко", "Олександр", BORN)));
        MatchView proposed = engine.matches().match(AlertRules.matchId("inq-1", "p-1")).orElseThrow();
        MatchDecided rejection = MatchDecided.newBuilder(caseworker(proposed, MatchStatus.REJECTED, "different unit"))
                .setDecidedAt(T0.plusSeconds(30)).build();
        written.add(new Emitted(Topics.MATCHES, "inq-1", rejection));
        on(rejection);

        // when: the hotline corrects the sought man to someone the listed man does not match (the rejection stands)
        var correction = inquiry("inq-1", 2, "Петренко", "Андрій", LocalDate.of(1959, 7, 1));
        List<Emitted> corrected = on(correction);
        written.addAll(corrected);

        // then: the pair on its new revision is written, still rejected by the caseworker at her time, as the matcher's
        // record (so no instance takes it for a new decision)
        assertThat(decisions(corrected)).filteredOn(decision -> decision.getPersonId().equals("p-1")).singleElement()
                .satisfies(decision -> {
                    assertThat(decision.getStatus()).isEqualTo(MatchStatus.REJECTED);
                    assertThat(decision.getInquiryRevision()).isEqualTo(2);
                    assertThat(decision.getDecidedAt()).isEqualTo(rejection.getDecidedAt());
                    assertThat(decision.getReason()).isEqualTo("different unit");
                    assertThat(decision.getDecidedBy()).isEqualTo(MatchBook.MATCHER);
                });
        assertThat(alerts(corrected)).isEmpty();
        MatchView owner = engine.matches().match(proposed.matchId()).orElseThrow();
        assertThat(owner.inquiryRevision()).isEqualTo(2);

        // and another instance, which follows the topic, holds the match at the owner's version, decided by the caseworker
        MatchBook follower = new MatchBook(0.0, Clock.fixed(T0, ZoneOffset.UTC),
                new Facts(new MatchScorer(), new InquiryBook(), inquiryId -> false));
        decisions(written).forEach(follower::restore);
        MatchView followed = follower.match(proposed.matchId()).orElseThrow();
        assertThat(followed.version()).as("the version on the other instance").isEqualTo(owner.version());
        assertThat(followed.decidedBy()).isEqualTo("caseworker-7");
        assertThat(owner.decidedBy()).isEqualTo("caseworker-7");

        // and so does the owner after a restart, which writes nothing again
        engine.reset();
        engine.restoreFact(listed("p-1", "Петренко", "Олександр", BORN));
        engine.restoreInquiry("inq-1", correction, true);
        decisions(written).forEach(engine::restoreDecision);
        alerts(written).forEach(engine::restoreAlert);
        engine.rebuilt();
        assertThat(engine.reconcile()).as("a rebuild of what was written writes nothing").isEmpty();
        assertThat(engine.matches().match(proposed.matchId())).get().extracting(MatchView::version).isEqualTo(owner.version());

        // when: a caseworker takes the rejection back on the version she read on either instance
        MatchDecided takenBack = MatchDecided.newBuilder(caseworker(followed, MatchStatus.CONFIRMED, "the unit was mistyped"))
                .setDecidedAt(T0.plusSeconds(90)).build();
        written.add(new Emitted(Topics.MATCHES, "inq-1", takenBack));
        written.addAll(on(takenBack));
        follower.restore(takenBack);

        // then: the owner and the other instance both hold it confirmed (before, the other instance dropped it)
        assertThat(engine.matches().match(proposed.matchId())).get().extracting(MatchView::status).isEqualTo(MatchStatus.CONFIRMED);
        assertThat(follower.match(proposed.matchId())).get().extracting(MatchView::status).isEqualTo(MatchStatus.CONFIRMED);

        // and so does the owner after another restart, which reads the take-back from the topic. (The restart above
        // passes on the code before the restatement too: its reconciliation moved the pair to revision 2 in memory.
        // This one does not: the rebuild met the take-back while the pair was still on revision 1, and dropped it.)
        engine.reset();
        engine.restoreFact(listed("p-1", "Петренко", "Олександр", BORN));
        engine.restoreInquiry("inq-1", correction, true);
        decisions(written).forEach(engine::restoreDecision);
        alerts(written).forEach(engine::restoreAlert);
        engine.rebuilt();
        engine.reconcile();
        assertThat(engine.matches().match(proposed.matchId())).get().extracting(MatchView::status)
                .as("the take-back after the owner rebuilt its books").isEqualTo(MatchStatus.CONFIRMED);
    }

    @Test
    void shouldAnswerADecisionOnAMatchThatAnUncommittedBatchMovedWith503UntilTheBatchCommits() {
        // given: the pairing batches' commits are tracked (as the pairing container reports them), and a clear match that
        // a caseworker rejected, all committed
        engine.matches().trackCommits();
        on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));
        on(listed("p-1", "Петренко", "Олександр", BORN));
        String matchId = AlertRules.matchId("inq-1", "p-1");
        on(MatchDecided.newBuilder(caseworker(engine.matches().match(matchId).orElseThrow(), MatchStatus.REJECTED,
                "different unit")).setDecidedAt(T0.plusSeconds(30)).build());
        engine.matches().settled();
        @SuppressWarnings("unchecked")
        org.springframework.kafka.core.KafkaTemplate<String, Object> kafka =
                org.mockito.Mockito.mock(org.springframework.kafka.core.KafkaTemplate.class);
        org.mockito.Mockito.when(kafka.executeInTransaction(org.mockito.ArgumentMatchers.any()))
                .thenReturn(java.util.concurrent.CompletableFuture.completedFuture(null));
        var none = new org.springframework.beans.factory.support.StaticListableBeanFactory();
        CaseworkerDecisions decisions = new CaseworkerDecisions(engine.matches(), kafka, Clock.fixed(T0.plusSeconds(90), ZoneOffset.UTC),
                org.mockito.Mockito.mock(org.homecoming.platform.audit.AuditTrail.class), none.getBeanProvider(DecisionsElsewhere.class),
                none.getBeanProvider(org.homecoming.reunification.inquiries.InquiryFence.class),
                none.getBeanProvider(org.homecoming.reunification.inquiries.InquiryLookup.class),
                none.getBeanProvider(InquiriesCaughtUp.class), none.getBeanProvider(PairingListener.class));

        // when: a batch takes in a correction of the inquiry, which moves the rejected pair to revision 2 in memory, and
        // a caseworker reads the match and takes her rejection back before the batch commits
        on(inquiry("inq-1", 2, "Петренко", "Андрій", LocalDate.of(1959, 7, 1)));
        MatchView moved = engine.matches().match(matchId).orElseThrow();
        assertThat(moved.inquiryRevision()).isEqualTo(2);
        var takeBack = new CaseworkerDecisions.Decision("caseworker-7", "the unit was mistyped", moved.version());

        // then: she is answered 503 and nothing is written: committed before the matcher's record of revision 2, her
        // decision would be dropped on every other instance and in a rebuild, which still had the pair on revision 1
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> decisions.decide(matchId, MatchStatus.CONFIRMED, takeBack))
                .isInstanceOf(org.homecoming.reunification.inquiries.InquiryService.InquiryViewBehindException.class);
        org.mockito.Mockito.verify(kafka, org.mockito.Mockito.never()).executeInTransaction(org.mockito.ArgumentMatchers.any());

        // when: the batch commits, and she sends it again
        engine.matches().settled();

        // then: it is written
        assertThat(decisions.decide(matchId, MatchStatus.CONFIRMED, takeBack).status()).isEqualTo(MatchStatus.CONFIRMED);
        org.mockito.Mockito.verify(kafka).executeInTransaction(org.mockito.ArgumentMatchers.any());
    }

    @Test
    void shouldRefuseADecisionOnAMatchThatARolledBackBatchMovedUntilTheBookIsRebuilt() {
        // given: the pairing container's transactions as the service sets them up, and a clear match that a caseworker
        // rejected, committed
        BrokerTransactions broker = new BrokerTransactions();
        org.springframework.kafka.transaction.KafkaAwareTransactionManager<Object, Object> transactions = containerTransactions(broker);
        var inquiry = inquiry("inq-1", 1, "Петренко", "Олександр", BORN);
        Object listing = listed("p-1", "Петренко", "Олександр", BORN);
        List<Emitted> written = new java.util.ArrayList<>(on(inquiry));
        written.addAll(on(listing));
        String matchId = AlertRules.matchId("inq-1", "p-1");
        MatchDecided rejection = MatchDecided.newBuilder(caseworker(engine.matches().match(matchId).orElseThrow(),
                MatchStatus.REJECTED, "different unit")).setDecidedAt(T0.plusSeconds(30)).build();
        written.add(new Emitted(Topics.MATCHES, "inq-1", rejection));
        written.addAll(on(rejection));
        transactions.commit(transactions.getTransaction(null));
        MatchView committed = engine.matches().match(matchId).orElseThrow();
        org.springframework.kafka.core.KafkaTemplate<String, Object> kafka = acceptingTemplate();
        CaseworkerDecisions decisions = decisionsWriting(kafka);

        // when: a batch moves the rejected pair to the inquiry's revision 2 and its transaction rolls back (the broker
        // aborted it); a caseworker read the moved match, and takes her rejection back before the redelivery rebuilds
        on(inquiry("inq-1", 2, "Петренко", "Андрій", LocalDate.of(1959, 7, 1)));
        MatchView moved = engine.matches().match(matchId).orElseThrow();
        assertThat(moved.inquiryRevision()).isEqualTo(2);
        transactions.rollback(transactions.getTransaction(null));

        // then: she is answered 503 and nothing is written. Before, the rollback cleared the book's notes while it still
        // held the aborted move: the take-back was written on revision 2, ahead of the matcher's record of it on the
        // redelivery, and every other instance and a rebuild dropped it as made on another revision
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> decisions.decide(matchId, MatchStatus.CONFIRMED,
                        new CaseworkerDecisions.Decision("caseworker-7", "the unit was mistyped", moved.version())))
                .isInstanceOf(org.homecoming.reunification.inquiries.InquiryService.InquiryViewBehindException.class);
        org.mockito.Mockito.verify(kafka, org.mockito.Mockito.never()).executeInTransaction(org.mockito.ArgumentMatchers.any());

        // when: the redelivered batch rebuilds the book from the committed records (and its transaction commits)
        engine.reset();
        engine.restoreFact(listing);
        engine.restoreInquiry("inq-1", inquiry, true);
        decisions(written).forEach(engine::restoreDecision);
        alerts(written).forEach(engine::restoreAlert);
        engine.rebuilt();
        engine.reconcile();
        transactions.commit(transactions.getTransaction(null));

        // then: the match is on the committed revision again, and a take-back of what she reads now is written
        MatchView rebuilt = engine.matches().match(matchId).orElseThrow();
        assertThat(rebuilt.version()).isEqualTo(committed.version());
        assertThat(decisions.decide(matchId, MatchStatus.CONFIRMED,
                new CaseworkerDecisions.Decision("caseworker-7", "the unit was mistyped", rebuilt.version())).status())
                .isEqualTo(MatchStatus.CONFIRMED);
        org.mockito.Mockito.verify(kafka).executeInTransaction(org.mockito.ArgumentMatchers.any());
    }

    @Test
    void shouldRefuseADecisionOnAMatchThatABatchMovedWhenItsCommitWasFenced() {
        // given: the pairing container's transactions, and a clear match that a caseworker rejected, committed
        BrokerTransactions broker = new BrokerTransactions();
        org.springframework.kafka.transaction.KafkaAwareTransactionManager<Object, Object> transactions = containerTransactions(broker);
        on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));
        on(listed("p-1", "Петренко", "Олександр", BORN));
        String matchId = AlertRules.matchId("inq-1", "p-1");
        on(MatchDecided.newBuilder(caseworker(engine.matches().match(matchId).orElseThrow(), MatchStatus.REJECTED,
                "different unit")).setDecidedAt(T0.plusSeconds(30)).build());
        transactions.commit(transactions.getTransaction(null));
        org.springframework.kafka.core.KafkaTemplate<String, Object> kafka = acceptingTemplate();
        CaseworkerDecisions decisions = decisionsWriting(kafka);

        // when: a batch moves the pair to revision 2, and its commit fails because a rebalance fenced the producer (the
        // container then calls no after-rollback processor: it logs the fence and polls on)
        on(inquiry("inq-1", 2, "Петренко", "Андрій", LocalDate.of(1959, 7, 1)));
        MatchView moved = engine.matches().match(matchId).orElseThrow();
        broker.failCommit = new org.apache.kafka.common.errors.ProducerFencedException("fenced by the next generation");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> transactions.commit(transactions.getTransaction(null)))
                .isInstanceOf(org.apache.kafka.common.errors.ProducerFencedException.class);

        // then: a take-back read on the move that never committed is answered 503, nothing written
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> decisions.decide(matchId, MatchStatus.CONFIRMED,
                        new CaseworkerDecisions.Decision("caseworker-7", "the unit was mistyped", moved.version())))
                .isInstanceOf(org.homecoming.reunification.inquiries.InquiryService.InquiryViewBehindException.class);
        org.mockito.Mockito.verify(kafka, org.mockito.Mockito.never()).executeInTransaction(org.mockito.ArgumentMatchers.any());
    }

    /**
     * The transaction manager that the pairing container uses once the service's customizer has set it up, over
     * {@code broker} (the container's own Kafka transaction manager, which a unit test cannot reach a broker through).
     */
    private org.springframework.kafka.transaction.KafkaAwareTransactionManager<Object, Object> containerTransactions(BrokerTransactions broker) {
        var container = new org.springframework.kafka.listener.ConcurrentMessageListenerContainer<Object, Object>(
                new org.springframework.kafka.core.DefaultKafkaConsumerFactory<>(java.util.Map.of()),
                new org.springframework.kafka.listener.ContainerProperties(Topics.MATCHES.name()));
        container.setBeanName(PairingListener.ID);
        container.getContainerProperties().setKafkaAwareTransactionManager(broker);
        var beans = new org.springframework.beans.factory.support.StaticListableBeanFactory();
        // the listener only as far as a transaction's end touches it (it marks its state for a rebuild)
        beans.addBean("pairingListener", new PairingListener(engine, null, null, null, null,
                new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                beans.getBeanProvider(PairingTransactionHook.class), event -> { }));
        beans.addBean("matchBook", engine.matches());
        new PairingContainerSettings().pairingContainer(beans.getBeanProvider(PairingListener.class),
                beans.getBeanProvider(MatchBook.class)).configure(container);
        @SuppressWarnings("unchecked")
        var transactions = (org.springframework.kafka.transaction.KafkaAwareTransactionManager<Object, Object>)
                container.getContainerProperties().getKafkaAwareTransactionManager();
        return transactions;
    }

    @SuppressWarnings("unchecked")
    private static org.springframework.kafka.core.KafkaTemplate<String, Object> acceptingTemplate() {
        org.springframework.kafka.core.KafkaTemplate<String, Object> kafka =
                org.mockito.Mockito.mock(org.springframework.kafka.core.KafkaTemplate.class);
        org.mockito.Mockito.when(kafka.executeInTransaction(org.mockito.ArgumentMatchers.any()))
                .thenReturn(java.util.concurrent.CompletableFuture.completedFuture(null));
        return kafka;
    }

    private CaseworkerDecisions decisionsWriting(org.springframework.kafka.core.KafkaTemplate<String, Object> kafka) {
        var none = new org.springframework.beans.factory.support.StaticListableBeanFactory();
        return new CaseworkerDecisions(engine.matches(), kafka, Clock.fixed(T0.plusSeconds(90), ZoneOffset.UTC),
                org.mockito.Mockito.mock(org.homecoming.platform.audit.AuditTrail.class), none.getBeanProvider(DecisionsElsewhere.class),
                none.getBeanProvider(org.homecoming.reunification.inquiries.InquiryFence.class),
                none.getBeanProvider(org.homecoming.reunification.inquiries.InquiryLookup.class),
                none.getBeanProvider(InquiriesCaughtUp.class), none.getBeanProvider(PairingListener.class));
    }

    /** The broker's side of the container's transactions: each begins, rolls back, and commits unless told to fail. */
    private static final class BrokerTransactions
            implements org.springframework.kafka.transaction.KafkaAwareTransactionManager<Object, Object> {

        RuntimeException failCommit;

        @Override
        public org.springframework.transaction.TransactionStatus getTransaction(
                org.springframework.transaction.TransactionDefinition definition) {
            return new org.springframework.transaction.support.SimpleTransactionStatus();
        }

        @Override
        public void commit(org.springframework.transaction.TransactionStatus status) {
            if (failCommit != null) {
                throw failCommit;
            }
        }

        @Override
        public void rollback(org.springframework.transaction.TransactionStatus status) {
        }

        @Override
        public org.springframework.kafka.core.ProducerFactory<Object, Object> getProducerFactory() {
            return null;
        }
    }

    @Test
    void shouldKeepACaseworkersRejectionWhenTheRelativeChangesOnlyHerEmailAddress() {
        // given: a clear match that a caseworker ruled out (another unit, say)
        var registered = inquiry("inq-1", 1, "Петренко", "Олександр", BORN);
        var listing = listed("p-1", "Петренко", "Олександр", BORN);
        List<Emitted> written = new java.util.ArrayList<>(on(registered));
        written.addAll(on(listing));
        MatchView match = engine.matches().match(AlertRules.matchId("inq-1", "p-1")).orElseThrow();
        assertThat(match.status()).isEqualTo(MatchStatus.AUTO_MATCHED);
        MatchDecided rejection = caseworker(match, MatchStatus.REJECTED, "different unit");
        written.add(new Emitted(Topics.MATCHES, "inq-1", rejection));
        on(rejection);

        // when: the relative gives a new e-mail address (revision 2, the sought person unchanged)
        var newAddress = newEmail(registered, 2);
        List<Emitted> changed = on(newAddress);

        // then: the man she was told is not hers is neither proposed nor alerted again
        assertThat(changed).as("an address change decides no pair again").isEmpty();
        assertThat(engine.matches().match(match.matchId())).get().extracting(MatchView::status).isEqualTo(MatchStatus.REJECTED);
        assertThat(alerts(on(handedOver("p-1", true)))).isEmpty();

        // and a rebuild from the compacted topic, which keeps revision 2 only, decides the same
        engine.reset();
        engine.restoreFact(listing);
        engine.restoreInquiry("inq-1", newAddress, true);
        decisions(written).forEach(engine::restoreDecision);
        alerts(written).forEach(engine::restoreAlert);
        engine.rebuilt();
        assertThat(engine.reconcile()).as("the rebuilt state holds the rejection").isEmpty();
        assertThat(engine.matches().match(match.matchId())).get().extracting(MatchView::status).isEqualTo(MatchStatus.REJECTED);
    }

    @Test
    void shouldKeepAConfirmationAndItsAlertsWhenTheRelativeChangesOnlyHerEmailAddress() {
        MatchView match = confirmedAfterReview(new java.util.ArrayList<>());

        // when: the relative gives a new e-mail address
        List<Emitted> changed = on(newEmail(inquiry("inq-1", 1, "Петренко", "Олександр", BORN), 2));

        // then: the confirmation stands, nobody has to decide again, and the next milestone goes out
        assertThat(changed).as("an address change decides no pair again").isEmpty();
        assertThat(engine.matches().match(match.matchId())).get().satisfies(view -> {
            assertThat(view.status()).isEqualTo(MatchStatus.CONFIRMED);
            assertThat(view.inquiryRevision()).as("decided on the sought person of revision 1").isEqualTo(1);
        });
        assertThat(alerts(on(handedOver("p-1", true)))).extracting(AlertIssued::getMilestone).containsExactly(Milestone.ARRIVED);
    }

    @Test
    void shouldWriteNothingAgainWhenANewOwnerRebuildsWhatTheEarlierOneWrote() {
        // given: an earlier owner matched, alerted and saw the person cross the border
        var inquiry = inquiry("inq-1", 1, "Петренко", "Олександр", BORN);
        var listing = listed("p-1", "Петренко", "Олександр", BORN);
        List<Emitted> written = new java.util.ArrayList<>(on(inquiry));
        written.addAll(on(listing));
        written.addAll(on(manifest("bus-1", "p-1")));
        written.addAll(on(movement("bus-1", Movement.BORDER_CROSSED)));

        // when: a new owner rebuilds the facts and what was written, and reconciles
        engine.reset();
        engine.restoreFact(listing);
        engine.restoreFact(manifest("bus-1", "p-1"));
        engine.restoreFact(movement("bus-1", Movement.BORDER_CROSSED));
        engine.restoreInquiry("inq-1", inquiry, true);
        decisions(written).forEach(engine::restoreDecision);
        alerts(written).forEach(engine::restoreAlert);

        // then
        assertThat(alerts(written)).extracting(AlertIssued::getMilestone)
                .containsExactly(Milestone.LISTED_FOR_RELEASE, Milestone.CROSSED_BORDER);
        assertThat(engine.reconcile()).as("nothing written twice").isEmpty();
    }

    @Test
    void shouldWriteWhatTheEarlierOwnerLeftUndoneWhenANewOwnerReconciles() {
        // given: an earlier owner matched and alerted the listing, then died before it read the crossing
        var inquiry = inquiry("inq-1", 1, "Петренко", "Олександр", BORN);
        var listing = listed("p-1", "Петренко", "Олександр", BORN);
        List<Emitted> written = new java.util.ArrayList<>(on(inquiry));
        written.addAll(on(listing));

        // when: the new owner has read more facts than the earlier one had
        engine.reset();
        engine.restoreFact(listing);
        engine.restoreFact(manifest("bus-1", "p-1"));
        engine.restoreFact(movement("bus-1", Movement.BORDER_CROSSED));
        engine.restoreInquiry("inq-1", inquiry, true);
        decisions(written).forEach(engine::restoreDecision);
        alerts(written).forEach(engine::restoreAlert);
        List<Emitted> missing = engine.reconcile();

        // then: the crossing is announced, once; the match is not decided again
        assertThat(decisions(missing)).as("the pair is not decided again").isEmpty();
        assertThat(alerts(missing)).extracting(AlertIssued::getMilestone).containsExactly(Milestone.CROSSED_BORDER);
        assertThat(engine.reconcile()).as("a second reconciliation writes nothing").isEmpty();
    }

    @Test
    void shouldWriteEachPairOnceAsItEndsWhenAReconciliationDecidesItTwice() {
        // given: two listed people of the same name and birth date, and an inquiry about that name; nobody matched them
        engine.restoreFact(listed("p-1", "Петренко", "Олександр", BORN));
        engine.restoreFact(listed("p-2", "Петренко", "Олександр", BORN));
        engine.restoreInquiry("inq-1", inquiry("inq-1", 1, "Петренко", "Олександр", BORN), true);

        // when: the first person alone would be matched, then the second makes the inquiry ambiguous
        List<Emitted> missing = engine.reconcile();

        // then: each pair is written once, as it ended, and no relative is told of a match that did not hold
        assertThat(decisions(missing)).extracting(MatchDecided::getPersonId, MatchDecided::getStatus).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("p-1", MatchStatus.REVIEW_REQUESTED),
                org.assertj.core.groups.Tuple.tuple("p-2", MatchStatus.REVIEW_REQUESTED));
        assertThat(alerts(missing)).isEmpty();
        assertThat(engine.reconcile()).as("a second reconciliation writes nothing").isEmpty();
    }

    @Test
    void shouldMatchAndAlertAnInquiryThatNoOwnerMatchedYetWhenANewOwnerReconciles() {
        // given: the inquiry and the person are facts, and nobody matched them (the owner died first)
        engine.restoreFact(listed("p-1", "Петренко", "Олександр", BORN));
        engine.restoreFact(listed("p-2", "Мельник", "Ірина", LocalDate.of(1962, 11, 3)));
        engine.restoreInquiry("inq-1", inquiry("inq-1", 1, "Петренко", "Олександр", BORN), true);

        // when
        List<Emitted> missing = engine.reconcile();

        // then
        assertThat(decisions(missing)).extracting(MatchDecided::getPersonId, MatchDecided::getStatus)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("p-1", MatchStatus.AUTO_MATCHED));
        assertThat(alerts(missing)).extracting(AlertIssued::getMilestone).containsExactly(Milestone.LISTED_FOR_RELEASE);
    }

    @Test
    void shouldSendAWithdrawalAfterListedForReleaseToACaseworkerAndNotAlert() {
        on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));
        assertThat(alerts(on(listed("p-1", "Петренко", "Олександр", BORN)))).hasSize(1);

        List<Emitted> emitted = on(listing("p-1", ListingChange.WITHDRAWN, "Петренко", "Олександр", BORN, T0.plusSeconds(60)));

        assertThat(decisions(emitted)).singleElement().satisfies(decision -> {
            assertThat(decision.getStatus()).isEqualTo(MatchStatus.REVIEW_REQUESTED);
            assertThat(decision.getReason()).isEqualTo("withdrawn from list");
        });
        assertThat(alerts(emitted)).as("a withdrawal is never sent out automatically").isEmpty();
        on(manifest("bus-1", "p-1"));
        assertThat(alerts(on(movement("bus-1", Movement.BORDER_CROSSED)))).isEmpty();
    }

    @Test
    void shouldNeitherMatchNorAlertAnInquiryForAPersonWithdrawnBeforeItCame() {
        // a cancelled round takes its persons off the lists (roster); a relative asks about one of them afterwards
        on(listed("p-1", "Петренко", "Олександр", BORN));
        on(listing("p-1", ListingChange.WITHDRAWN, "Петренко", "Олександр", BORN, T0.plusSeconds(60)));

        List<Emitted> emitted = on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));

        assertThat(alerts(emitted)).as("never told \"listed for release\" for an exchange that will not happen").isEmpty();
        assertThat(decisions(emitted)).as("nor paired with the withdrawn person").isEmpty();
    }

    @Test
    void shouldDecideTheMatchAgainWhenAWithdrawnPersonIsListedAgain() {
        // given: listed, the family alerted, then withdrawn from the list (the match back in review for that reason)
        on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));
        String listedAlert = alerts(on(listed("p-1", "Петренко", "Олександр", BORN))).get(0).getAlertId();
        on(listing("p-1", ListingChange.WITHDRAWN, "Петренко", "Олександр", BORN, T0.plusSeconds(60)));
        on(manifest("bus-1", "p-1"));

        // when: the next amendment lists him again
        List<Emitted> emitted = on(listing("p-1", ListingChange.LISTED, "Петренко", "Олександр", BORN, T0.plusSeconds(120)));

        // then: the clear match stands again, no longer "withdrawn from list" (the console's correction for the family
        // clears); the "listed" alert, if issued again, keeps its id, so delivery never sends it twice
        assertThat(decisions(emitted)).singleElement().satisfies(decision -> {
            assertThat(decision.getStatus()).isEqualTo(MatchStatus.AUTO_MATCHED);
            assertThat(decision.getReason()).isNotEqualTo("withdrawn from list");
        });
        assertThat(alerts(emitted)).extracting(AlertIssued::getAlertId).allMatch(listedAlert::equals);
        // and the family hears of the crossing
        assertThat(alerts(on(movement("bus-1", Movement.BORDER_CROSSED)))).extracting(AlertIssued::getMilestone)
                .containsExactly(Milestone.CROSSED_BORDER);
    }

    @Test
    void shouldRetractTheMatchWhenAWithdrawnPersonIsListedAgainAsSomeoneTheInquiryNoLongerFits() {
        // given: listed, the family told "listed for release", then withdrawn (the match held in review for that reason)
        List<Emitted> written = new java.util.ArrayList<>(on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN)));
        written.addAll(on(listed("p-1", "Петренко", "Олександр", BORN)));
        written.addAll(on(listing("p-1", ListingChange.WITHDRAWN, "Петренко", "Олександр", BORN, T0.plusSeconds(60))));
        String matchId = AlertRules.matchId("inq-1", "p-1");

        // when: the next amendment lists him again, his data corrected to a man the inquiry does not describe
        List<Emitted> relisted = on(listing("p-1", ListingChange.LISTED, "Бондар", "Тарас", LocalDate.of(1959, 7, 1),
                T0.plusSeconds(120)));
        written.addAll(relisted);

        // then: the match is retracted as no longer matching, not kept in review as "withdrawn from list" (he is on the
        // list again, only not theirs): no caseworker is asked, and the hotline tells the family the match fell
        assertThat(decisions(relisted)).singleElement().satisfies(decision -> {
            assertThat(decision.getStatus()).isEqualTo(MatchStatus.RETRACTED);
            assertThat(decision.getReason()).isEqualTo("no longer matches");
        });
        assertThat(alerts(relisted)).isEmpty();
        assertThat(engine.matches().matches(MatchStatus.REVIEW_REQUESTED)).as("the caseworkers' queue").isEmpty();

        // and another instance, which follows the topic, holds it retracted too
        MatchBook follower = new MatchBook(0.0, Clock.fixed(T0, ZoneOffset.UTC),
                new Facts(new MatchScorer(), new InquiryBook(), inquiryId -> false));
        decisions(written).forEach(follower::restore);
        assertThat(follower.match(matchId)).get().extracting(MatchView::status).isEqualTo(MatchStatus.RETRACTED);

        // and a later correction of the inquiry that still does not fit him never says "withdrawn from list" again
        List<Emitted> corrected = on(inquiry("inq-1", 2, "Петренко", "Олександр", LocalDate.of(1991, 4, 12)));
        assertThat(decisions(corrected)).filteredOn(decision -> decision.getPersonId().equals("p-1"))
                .allSatisfy(decision -> {
                    assertThat(decision.getStatus()).isEqualTo(MatchStatus.RETRACTED);
                    assertThat(decision.getReason()).isNotEqualTo("withdrawn from list");
                });
        assertThat(engine.matches().match(matchId)).get().extracting(MatchView::status).isEqualTo(MatchStatus.RETRACTED);
    }

    @Test
    void shouldIssueNoAlertForAWithdrawnInquiry() {
        on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));
        on(listed("p-1", "Петренко", "Олександр", BORN));

        List<Emitted> withdrawal = engine.on(Topics.INQUIRIES.name(), "inq-1", null);

        assertThat(decisions(withdrawal)).extracting(MatchDecided::getStatus).containsExactly(MatchStatus.RETRACTED);
        on(manifest("bus-1", "p-1"));
        assertThat(on(movement("bus-1", Movement.BORDER_CROSSED))).isEmpty();
        assertThat(on(handedOver("p-1", true))).isEmpty();
        assertThat(on(inquiry("inq-1", 2, "Петренко", "Олександр", BORN))).as("a withdrawn inquiry stays withdrawn").isEmpty();
    }

    @Test
    void shouldIssueNoAlertOnceTheInquiryIsWithdrawnThroughRestEvenBeforeTheTombstoneIsRead() {
        on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));
        on(listed("p-1", "Петренко", "Олександр", BORN));
        withdrawnThroughRest.add("inq-1");

        on(manifest("bus-1", "p-1"));

        assertThat(alerts(on(movement("bus-1", Movement.BORDER_CROSSED)))).isEmpty();
    }

    @Test
    void shouldNeverAlertAHandOverOfAPersonNotOnTheBussManifest() {
        on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));
        on(listed("p-1", "Петренко", "Олександр", BORN));

        List<Emitted> strangerHandedOver = on(Events.handedOver("p-1", true, false));

        assertThat(alerts(strangerHandedOver)).as("a hand-over off the manifest is a discrepancy for review, not an arrival")
                .noneMatch(alert -> alert.getMilestone() == Milestone.ARRIVED);
        assertThat(engine.alerts().alertsOf("inq-1")).extracting(AlertIssued::getMilestone).doesNotContain(Milestone.ARRIVED);
    }

    @Test
    void shouldNeverTellAFamilyTheirPersonIsAtAFacilityWhenTheHandOverWasOffTheManifest() {
        // given a matched family, and reception staff who mistyped another listed person's id into a hand-over
        on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));
        on(listed("p-1", "Петренко", "Олександр", BORN));
        on(Events.handedOver("p-1", true, false));

        // when the stranger is admitted at a hospital under the same id
        List<Emitted> admitted = on(admitted("p-1", "chernihiv-regional-hospital"));

        // then the family of p-1 hears nothing: an admission proves no more than the hand-over it follows
        assertThat(alerts(admitted)).isEmpty();
        assertThat(engine.alerts().alertsOf("inq-1")).extracting(AlertIssued::getMilestone)
                .containsExactly(Milestone.LISTED_FOR_RELEASE);
    }

    @Test
    void shouldNeverSendAFamilyToTheHospitalWhereAStrangerWasAdmittedUnderTheirPersonsId() {
        // given a matched family, and a stranger handed over as p-1 off the manifest and admitted at the regional hospital
        on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));
        on(listed("p-1", "Петренко", "Олександр", BORN));
        on(Events.handedOver("p-1", true, false));
        on(admitted("p-1", "chernihiv-regional-hospital"));

        // when the real p-1 is handed over from his own bus ten minutes later, identity verified
        var realArrival = org.homecoming.events.transport.PersonHandedOver.newBuilder(handedOver("p-1", true))
                .setHandedOverAt(T0.plusSeconds(600)).build();
        List<Emitted> arrived = on(realArrival);

        // then his family hears "arrived", not "at the regional hospital"
        assertThat(alerts(arrived)).extracting(AlertIssued::getMilestone).containsExactly(Milestone.ARRIVED);

        // when he is admitted at the children's hospital
        var realAdmission = org.homecoming.events.transport.PersonAdmitted.newBuilder(admitted("p-1", "chernihiv-childrens-hospital"))
                .setAdmittedAt(T0.plusSeconds(900)).build();

        // then that is where his family is sent
        assertThat(alerts(on(realAdmission))).singleElement().satisfies(alert -> {
            assertThat(alert.getMilestone()).isEqualTo(Milestone.AT_FACILITY);
            assertThat(alert.getFacility()).isEqualTo("chernihiv-childrens-hospital");
        });
    }

    @Test
    void shouldSendAnInquiryRegisteredAfterAnUnverifiedArrivalToReviewInsteadOfAlerting() {
        // given a person handed over without anyone verifying who arrived, then admitted at a hospital
        on(listed("p-1", "Петренко", "Олександр", BORN));
        on(handedOver("p-1", false));
        on(admitted("p-1", "chernihiv-regional-hospital"));

        // when a relative's inquiry for the person comes in only now
        List<Emitted> emitted = on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));

        // then a caseworker decides first, as for an inquiry that was there at the hand-over; the family hears nothing yet
        assertThat(alerts(emitted)).isEmpty();
        assertThat(decisions(emitted)).singleElement().satisfies(decision -> {
            assertThat(decision.getStatus()).isEqualTo(MatchStatus.REVIEW_REQUESTED);
            assertThat(decision.getReason()).isEqualTo("arrived; identity not verified");
        });
    }

    @Test
    void shouldNotTellRidersOfALaterRoundTheyCrossedBecauseTheirBusCrossedInAnEarlierOne() {
        // given a bus that carried p-1 across the border in round 1
        on(inquiry("inq-2", 1, "Коваленко", "Іван", BORN));
        on(listed("p-1", "Петренко", "Олександр", BORN));
        on(listed("p-2", "Коваленко", "Іван", BORN));
        on(Events.manifestOfRound("round-1", "bus-1", "p-1"));
        on(Events.movementOfRound("round-1", "bus-1", Movement.BORDER_CROSSED));

        // when the same bus is registered for round 2 with p-2 on board, still on the other side
        List<Emitted> nextTrip = on(Events.manifestOfRound("round-2", "bus-1", "p-2"));

        // then p-2's family is not told "crossed" until the bus crosses on that trip
        assertThat(alerts(nextTrip)).isEmpty();
        List<Emitted> crossed = on(Events.movementOfRound("round-2", "bus-1", Movement.BORDER_CROSSED));
        assertThat(alerts(crossed)).extracting(AlertIssued::getMilestone).containsExactly(Milestone.CROSSED_BORDER);
    }

    @Test
    void shouldCountARoundsLateCrossingForItsOwnRidersOnlyWhenTheBusIsAlreadyRegisteredForTheNext() {
        // given p-1 on the bus's round-1 trip and p-2 on its round-2 trip, both manifests read
        on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));
        on(inquiry("inq-2", 1, "Коваленко", "Іван", BORN));
        on(listed("p-1", "Петренко", "Олександр", BORN));
        on(listed("p-2", "Коваленко", "Іван", BORN));
        on(Events.manifestOfRound("round-1", "bus-1", "p-1"));
        on(Events.manifestOfRound("round-2", "bus-1", "p-2"));

        // when round 1's crossing is read late
        List<Emitted> crossed = on(Events.movementOfRound("round-1", "bus-1", Movement.BORDER_CROSSED));

        // then round 1's rider crossed, and round 2's did not
        assertThat(alerts(crossed)).singleElement().satisfies(alert -> {
            assertThat(alert.getInquiryId()).isEqualTo("inq-1");
            assertThat(alert.getMilestone()).isEqualTo(Milestone.CROSSED_BORDER);
        });
    }

    @Test
    void shouldAlertEachMilestoneOnceInOrder() {
        on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));
        on(listed("p-1", "Петренко", "Олександр", BORN));

        on(movement("bus-1", Movement.BORDER_CROSSED));
        List<Emitted> crossed = on(manifest("bus-1", "p-1"));
        List<Emitted> arrived = on(handedOver("p-1", true));
        List<Emitted> again = on(handedOver("p-1", true));
        List<Emitted> admitted = on(admitted("p-1", "chernihiv-regional-hospital"));

        assertThat(alerts(crossed)).extracting(AlertIssued::getMilestone).containsExactly(Milestone.CROSSED_BORDER);
        assertThat(alerts(arrived)).singleElement().satisfies(alert -> {
            assertThat(alert.getMilestone()).isEqualTo(Milestone.ARRIVED);
            assertThat(alert.getFacility()).as("the facility's id; the alert names it from the list").isEqualTo("chernihiv-regional-hospital");
        });
        assertThat(again).as("a repeated hand-over issues nothing").isEmpty();
        assertThat(alerts(admitted)).extracting(AlertIssued::getMilestone).containsExactly(Milestone.AT_FACILITY);
        assertThat(engine.alerts().alertsOf("inq-1")).extracting(AlertIssued::getMilestone).containsExactly(
                Milestone.LISTED_FOR_RELEASE, Milestone.CROSSED_BORDER, Milestone.ARRIVED, Milestone.AT_FACILITY);
    }

    @Test
    void shouldSendAnUnverifiedArrivalToReviewInsteadOfAlerting() {
        on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));
        on(listed("p-1", "Петренко", "Олександр", BORN));

        List<Emitted> emitted = on(handedOver("p-1", false));

        assertThat(alerts(emitted)).isEmpty();
        assertThat(decisions(emitted)).singleElement().satisfies(decision -> {
            assertThat(decision.getStatus()).isEqualTo(MatchStatus.REVIEW_REQUESTED);
            assertThat(decision.getReason()).isEqualTo("arrived; identity not verified");
        });
        MatchView match = engine.matches().match(AlertRules.matchId("inq-1", "p-1")).orElseThrow();
        assertThat(alerts(on(caseworker(match, MatchStatus.CONFIRMED, "identity checked at the reception point"))))
                .extracting(AlertIssued::getMilestone).containsExactly(Milestone.ARRIVED);
    }

    @Test
    void shouldNotTakeAConfirmationMadeBeforeAnUnverifiedArrivalForACheckOfItWhenTheStateIsRebuilt() {
        // given: a match a caseworker confirmed at T0, and an hour later a hand-over nobody verified
        var listing = listed("p-1", "Петренко", "Олександр", BORN);
        var registered = inquiry("inq-1", 1, "Петренко", "Олександр", BORN);
        List<Emitted> written = new java.util.ArrayList<>(on(listing));
        written.addAll(on(registered));
        MatchDecided confirmation = caseworker(engine.matches().match(AlertRules.matchId("inq-1", "p-1")).orElseThrow(),
                MatchStatus.CONFIRMED, "photo checked");
        written.add(new Emitted(Topics.MATCHES, "inq-1", confirmation));
        written.addAll(on(confirmation));
        var arrival = org.homecoming.events.transport.PersonHandedOver.newBuilder(handedOver("p-1", false))
                .setHandedOverAt(T0.plusSeconds(3600)).build();
        written.addAll(on(arrival));
        assertThat(engine.matches().match(AlertRules.matchId("inq-1", "p-1"))).get()
                .extracting(MatchView::status).isEqualTo(MatchStatus.REVIEW_REQUESTED);

        // when: a restart rebuilds the state (every hand-over is read before any decision)
        engine.reset();
        engine.restoreFact(listing);
        engine.restoreFact(arrival);
        engine.restoreInquiry("inq-1", registered, true);
        decisions(written).forEach(engine::restoreDecision);
        alerts(written).forEach(engine::restoreAlert);
        engine.rebuilt();
        assertThat(engine.reconcile()).isEmpty();

        // then: the arrival is still unverified: a new inquiry for him goes to a caseworker, and nobody hears "arrived"
        List<Emitted> second = on(inquiry("inq-2", 1, "Петренко", "Олександр", BORN));
        assertThat(alerts(second)).as("the confirmation was made before anyone arrived").isEmpty();
        assertThat(decisions(second)).singleElement().satisfies(decision -> {
            assertThat(decision.getStatus()).isEqualTo(MatchStatus.REVIEW_REQUESTED);
            assertThat(decision.getReason()).isEqualTo("arrived; identity not verified");
        });
    }

    @Test
    void shouldRematchAnUpdatedInquiryOnceAndRetractWhatNoLongerFits() {
        on(listed("p-1", "Петренко", "Олександр", BORN));
        on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN));

        assertThat(on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN))).as("a redelivered revision changes nothing").isEmpty();
        List<Emitted> updated = on(inquiry("inq-1", 2, "Бондар", "Тарас", LocalDate.of(1959, 7, 1)));

        assertThat(decisions(updated)).extracting(MatchDecided::getStatus).containsExactly(MatchStatus.RETRACTED);
    }

    // ------------------------------------------------------------------ corrections after a caseworker's confirmation

    /** Two namesakes on the list send the inquiry to review; a caseworker confirms the first, who then crosses. */
    private MatchView confirmedAfterReview(List<Emitted> written) {
        written.addAll(on(listed("p-1", "Петренко", "Олександр", BORN)));
        written.addAll(on(listed("p-2", "Петренко", "Олександр", BORN)));
        written.addAll(on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN)));
        written.addAll(on(manifest("bus-1", "p-1")));
        written.addAll(on(movement("bus-1", Movement.BORDER_CROSSED)));
        MatchView match = engine.matches().match(AlertRules.matchId("inq-1", "p-1")).orElseThrow();
        MatchDecided confirmation = caseworker(match, MatchStatus.CONFIRMED, "photo checked");
        written.add(new Emitted(Topics.MATCHES, "inq-1", confirmation));
        List<Emitted> released = on(confirmation);
        written.addAll(released);
        assertThat(alerts(released)).extracting(AlertIssued::getMilestone).containsExactly(Milestone.CROSSED_BORDER);
        return match;
    }

    @Test
    void shouldRetractAConfirmedPairAndStopItsAlertsWhenTheInquiryIsCorrectedToSomeoneElse() {
        MatchView match = confirmedAfterReview(new java.util.ArrayList<>());

        // when: the hotline corrects the inquiry: the sought man is Andrii, born 1959, not Oleksandr (a different man)
        List<Emitted> corrected = on(inquiry("inq-1", 2, "Петренко", "Андрій", LocalDate.of(1959, 7, 1)));

        // then: the confirmation made on the old inquiry does not stand, and the relative hears nothing more about p-1
        assertThat(decisions(corrected)).filteredOn(decision -> decision.getPersonId().equals("p-1")).singleElement()
                .satisfies(decision -> {
                    assertThat(decision.getStatus()).isEqualTo(MatchStatus.RETRACTED);
                    assertThat(decision.getReason()).isEqualTo("corrected after confirmation: no longer matches");
                    assertThat(decision.getInquiryRevision()).as("the record names the revision it was decided on").isEqualTo(2);
                });
        assertThat(engine.matches().match(match.matchId())).get().extracting(MatchView::status).isEqualTo(MatchStatus.RETRACTED);
        assertThat(alerts(on(handedOver("p-1", true)))).as("no 'arrived' about a man who is not hers").isEmpty();
        assertThat(alerts(on(admitted("p-1", "chernihiv-regional-hospital")))).isEmpty();
    }

    @Test
    void shouldSendAConfirmedPairBackToReviewWhenTheInquiryIsCorrectedAndStillFits() {
        MatchView match = confirmedAfterReview(new java.util.ArrayList<>());

        // when: the inquiry gets a new revision that still fits both namesakes
        List<Emitted> corrected = on(corrected(inquiry("inq-1", 1, "Петренко", "Олександр", BORN), 2));

        // then: a caseworker decides again on the new revision, and no alert goes out meanwhile
        assertThat(decisions(corrected)).filteredOn(decision -> decision.getPersonId().equals("p-1")).singleElement()
                .satisfies(decision -> {
                    assertThat(decision.getStatus()).isEqualTo(MatchStatus.REVIEW_REQUESTED);
                    assertThat(decision.getReason()).isEqualTo("corrected after confirmation");
                    assertThat(decision.getInquiryRevision()).isEqualTo(2);
                });
        assertThat(alerts(on(handedOver("p-1", true)))).as("no alert until confirmed again").isEmpty();

        // when: the caseworker confirms again, on the corrected inquiry
        MatchView again = engine.matches().match(match.matchId()).orElseThrow();
        assertThat(again.inquiryRevision()).isEqualTo(2);
        List<Emitted> released = on(caseworker(again, MatchStatus.CONFIRMED, "photo checked again"));

        // then: the milestone reached meanwhile goes out
        assertThat(alerts(released)).extracting(AlertIssued::getMilestone).containsExactly(Milestone.ARRIVED);
    }

    @Test
    void shouldIssueTheFurthestAlertAgainUnderItsIdWhenAMatchThatFellIsConfirmedAgain() {
        // given: a confirmed pair whose "crossed the border" alert was issued, then sent back to review by a correction
        // (delivery withholds an alert whose match fell before it went out)
        MatchView match = confirmedAfterReview(new java.util.ArrayList<>());
        String crossed = AlertRules.alertId("inq-1", "p-1", Milestone.CROSSED_BORDER);
        on(corrected(inquiry("inq-1", 1, "Петренко", "Олександр", BORN), 2));

        // when: the caseworker confirms again, and no milestone was reached meanwhile
        MatchView again = engine.matches().match(match.matchId()).orElseThrow();
        List<Emitted> released = on(caseworker(again, MatchStatus.CONFIRMED, "photo checked again"));

        // then: the same alert is issued once more (delivery sends an alert id at most once, so the family hears it once)
        assertThat(alerts(released)).singleElement().satisfies(alert -> {
            assertThat(alert.getAlertId()).isEqualTo(crossed);
            assertThat(alert.getMilestone()).isEqualTo(Milestone.CROSSED_BORDER);
            assertThat(alert.getPersonId()).isEqualTo("p-1");
        });
        assertThat(engine.alerts().alertsOf("inq-1")).extracting(AlertIssued::getAlertId).containsExactly(crossed);
        assertThat(alerts(on(caseworker(engine.matches().match(match.matchId()).orElseThrow(), MatchStatus.CONFIRMED, "again"))))
                .as("a confirmation of a pair that stands issues nothing").isEmpty();
    }

    @Test
    void shouldKeepAConfirmationWhenTheSameRevisionIsReadAgainOrTheStateIsRebuilt() {
        List<Emitted> written = new java.util.ArrayList<>();
        MatchView match = confirmedAfterReview(written);

        // when: the same revision and the same listing are read again
        assertThat(on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN))).isEmpty();
        assertThat(on(listing("p-1", ListingChange.LISTED, "Петренко", "Олександр", BORN, T0.plusSeconds(60))))
                .as("a list republished with the same entry changes nothing").isEmpty();
        assertThat(engine.matches().match(match.matchId())).get().extracting(MatchView::status).isEqualTo(MatchStatus.CONFIRMED);

        // when: a restart rebuilds the state from the topics and reconciles
        restartWith(1, written);

        // then: the caseworker's confirmation stands, and nothing is written again
        assertThat(engine.reconcile()).as("a restart undoes no confirmation").isEmpty();
        assertThat(engine.matches().match(match.matchId())).get().extracting(MatchView::status).isEqualTo(MatchStatus.CONFIRMED);
        assertThat(alerts(on(handedOver("p-1", true)))).extracting(AlertIssued::getMilestone).containsExactly(Milestone.ARRIVED);
    }

    @Test
    void shouldNotApplyACaseworkersDecisionMadeOnAnEarlierRevision() {
        List<Emitted> written = new java.util.ArrayList<>(on(listed("p-1", "Петренко", "Олександр", BORN)));
        written.addAll(on(listed("p-2", "Петренко", "Олександр", BORN)));
        written.addAll(on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN)));
        written.addAll(on(manifest("bus-1", "p-1")));
        written.addAll(on(movement("bus-1", Movement.BORDER_CROSSED)));
        MatchView seen = engine.matches().match(AlertRules.matchId("inq-1", "p-1")).orElseThrow();
        MatchDecided confirmation = caseworker(seen, MatchStatus.CONFIRMED, "photo checked");

        // when: the inquiry is corrected before the confirmation is read back
        written.addAll(on(corrected(inquiry("inq-1", 1, "Петренко", "Олександр", BORN), 2)));
        written.add(new Emitted(Topics.MATCHES, "inq-1", confirmation));
        List<Emitted> applied = on(confirmation);

        // then: the pair stays in review and nothing goes out
        assertThat(applied).as("a confirmation of revision 1 is not applied to revision 2").isEmpty();
        assertThat(engine.matches().match(seen.matchId())).get().extracting(MatchView::status).isEqualTo(MatchStatus.REVIEW_REQUESTED);

        // and a rebuild from the same records decides the same
        restartWith(2, written);
        assertThat(engine.matches().match(seen.matchId())).get().extracting(MatchView::status).isEqualTo(MatchStatus.REVIEW_REQUESTED);
        assertThat(alerts(engine.reconcile())).isEmpty();
    }

    /**
     * A restart of the corrected-confirmation tests: two namesakes listed, p-1 on bus-1, which crossed; the inquiry at
     * {@code revision}; the decisions and alerts that were written, read back.
     */
    private void restartWith(int revision, List<Emitted> written) {
        engine.reset();
        engine.restoreFact(listed("p-1", "Петренко", "Олександр", BORN));
        engine.restoreFact(listed("p-2", "Петренко", "Олександр", BORN));
        engine.restoreFact(manifest("bus-1", "p-1"));
        engine.restoreFact(movement("bus-1", Movement.BORDER_CROSSED));
        var first = inquiry("inq-1", 1, "Петренко", "Олександр", BORN);
        engine.restoreInquiry("inq-1", revision == 1 ? first : corrected(first, revision), true);
        decisions(written).forEach(engine::restoreDecision);
        alerts(written).forEach(engine::restoreAlert);
        engine.rebuilt();
    }
}
