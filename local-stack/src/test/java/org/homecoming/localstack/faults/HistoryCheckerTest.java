package org.homecoming.localstack.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.homecoming.localstack.faults.History.Acknowledged;
import org.homecoming.localstack.faults.History.Admission;
import org.homecoming.localstack.faults.History.Alert;
import org.homecoming.localstack.faults.History.Arrival;
import org.homecoming.localstack.faults.History.DeadLetter;
import org.homecoming.localstack.faults.History.Delivery;
import org.homecoming.localstack.faults.History.ListVersion;
import org.homecoming.localstack.faults.History.ListVersionKey;
import org.homecoming.localstack.faults.History.Listing;
import org.homecoming.localstack.faults.History.Mail;
import org.homecoming.localstack.faults.History.Match;
import org.homecoming.localstack.faults.History.Movement;
import org.homecoming.localstack.faults.History.Position;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryCheckerTest {

    private static final String PARTNER_TOPIC = "outbound.bus-movements.partner-demo";
    private static final DeadLetter POISON = new DeadLetter("intake.bus-positions.partner-demo-dlt", "ab12");

    @Test
    void shouldFindNoViolationInAHistoryWhereEverythingHappenedOnce() {
        // given a run in which every request left exactly its records
        History history = new Builder().build();

        // when it is checked
        List<Invariant> invariants = HistoryChecker.check(history);

        // then every invariant holds
        assertThat(invariants).allSatisfy(invariant -> assertThat(invariant.violations()).as(invariant.name()).isEmpty());
    }

    @Test
    void shouldReportAnAlertIssuedTwiceForTheSameMilestone() {
        // given the same (inquiry, person, milestone) alerted again after a crash, under a second id
        Builder run = new Builder();
        run.alerts.add(new Alert("alert-2", "inq-1", "p-1", "AT_FACILITY", "EMAIL", at("reunification.alerts", 9)));
        run.mails.add(new Mail("<alert-2@homecoming>"));

        // when it is checked
        List<Invariant> invariants = HistoryChecker.check(run.build());

        // then the alert invariant is violated
        assertThat(violationsOf(invariants, "each alert issued once")).singleElement().asString()
                .contains("inq-1 p-1 AT_FACILITY issued under 2 ids");
    }

    @Test
    void shouldReportTheSameAlertIssuedTwiceUnlessItsMatchFellAndStoodAgain() {
        // given alert-1 issued twice under its id while its match stayed auto-matched
        Builder run = new Builder();
        run.alerts.add(new Alert("alert-1", "inq-1", "p-1", "AT_FACILITY", "EMAIL", at("reunification.alerts", 9)));
        assertThat(violationsOf(HistoryChecker.check(run.build()), "each alert issued once")).singleElement().asString()
                .contains("alert-1 issued 2 times, and its match never fell");

        // when the match went back to review and was confirmed in between, the second issue is the alert standing again
        run.matches.add(new Match("m-1", "inq-1", "p-1", "REVIEW_REQUESTED", at("reunification.matches", 1)));
        run.matches.add(new Match("m-1", "inq-1", "p-1", "CONFIRMED", at("reunification.matches", 2)));
        assertThat(violationsOf(HistoryChecker.check(run.build()), "each alert issued once")).isEmpty();
    }

    @Test
    void shouldAcceptAnAlertWithheldBecauseItsMatchFellButNotOneWithheldWhileItsMatchStood() {
        // given alert-2 issued, withheld by delivery (attempt 0), never mailed
        Builder run = new Builder();
        run.alerts.add(new Alert("alert-2", "inq-1", "p-2", "ARRIVED", "EMAIL", at("reunification.alerts", 1)));
        run.deliveries.add(new Delivery("alert-2", "FAILED", 0, at("reunification.alert-deliveries", 2)));
        run.matches.add(new Match("m-2", "inq-1", "p-2", "AUTO_MATCHED", at("reunification.matches", 1)));
        assertThat(violationsOf(HistoryChecker.check(run.build()), "each e-mail alert mailed once")).singleElement().asString()
                .contains("alert <alert-2@homecoming> e-mailed 0 times");

        // when its match was rejected before it went out
        run.matches.add(new Match("m-2", "inq-1", "p-2", "REJECTED", at("reunification.matches", 2)));
        Invariant mail = HistoryChecker.check(run.build()).stream()
                .filter(invariant -> invariant.name().contains("each e-mail alert mailed once")).findFirst().orElseThrow();
        assertThat(mail.violations()).isEmpty();
        assertThat(mail.notes()).singleElement().asString().contains("withheld: alert <alert-2@homecoming>");
    }

    @Test
    void shouldReportAnEmailSentTwice() {
        // given the mail sink received one alert twice
        Builder run = new Builder();
        run.mails.add(new Mail("<alert-1@homecoming>"));

        // then
        assertThat(violationsOf(HistoryChecker.check(run.build()), "each e-mail alert mailed once")).singleElement().asString()
                .contains("e-mailed 2 times");
    }

    @Test
    void shouldAcceptAnAlertHeldForAnOperatorAndListIt() {
        // given the delivery of alert-1 was interrupted after SENDING and recorded UNKNOWN: held, mailed once or never
        for (int mailed = 0; mailed <= 1; mailed++) {
            Builder run = new Builder();
            run.deliveries.set(1, new Delivery("alert-1", "UNKNOWN", 1, at("reunification.alert-deliveries", 1)));
            if (mailed == 0) {
                run.mails.clear();
            }

            // when it is checked
            List<Invariant> invariants = HistoryChecker.check(run.build());

            // then the mail invariant holds, and the table lists the alert as held for an operator
            Invariant mail = invariants.stream().filter(invariant -> invariant.name().contains("each e-mail alert mailed once"))
                    .findFirst().orElseThrow();
            assertThat(mail.violations()).as("mailed %d times", mailed).isEmpty();
            assertThat(mail.notes()).singleElement().asString().contains("held for an operator: alert <alert-1@homecoming>");
            assertThat(HistoryChecker.table(invariants)).contains("held for an operator: alert <alert-1@homecoming>")
                    .contains("holds, 1 listed below");
        }
    }

    @Test
    void shouldReportAHeldAlertMailedTwiceAndAnUnheldAlertNeverMailed() {
        // given: alert-1 held but mailed twice (Message-IDs must stay unique); alert-2 delivered but never mailed
        Builder run = new Builder();
        run.deliveries.set(1, new Delivery("alert-1", "UNKNOWN", 1, at("reunification.alert-deliveries", 1)));
        run.mails.add(new Mail("<alert-1@homecoming>"));
        run.alerts.add(new Alert("alert-2", "inq-1", "p-1", "ARRIVED", "EMAIL", at("reunification.alerts", 1)));
        run.deliveries.add(new Delivery("alert-2", "DELIVERED", 1, at("reunification.alert-deliveries", 2)));

        // then both are violations, and nothing is listed as held
        Invariant mail = HistoryChecker.check(run.build()).stream()
                .filter(invariant -> invariant.name().contains("each e-mail alert mailed once")).findFirst().orElseThrow();
        assertThat(mail.violations()).containsExactlyInAnyOrder(
                "alert <alert-1@homecoming> e-mailed 2 times (held for an operator), last delivery record: UNKNOWN",
                "alert <alert-2@homecoming> e-mailed 0 times, last delivery record: DELIVERED");
        assertThat(mail.notes()).isEmpty();
    }

    @Test
    void shouldNotCountAnAlertAsHeldOnceAnOperatorSettledIt() {
        // given: held, then marked delivered by an operator, and never mailed
        Builder run = new Builder();
        run.deliveries.set(1, new Delivery("alert-1", "UNKNOWN", 1, at("reunification.alert-deliveries", 1)));
        run.deliveries.add(new Delivery("alert-1", "DELIVERED", 1, at("reunification.alert-deliveries", 2)));
        run.mails.clear();

        // then it must have been mailed: an operator's "delivered" does not excuse a missing mail in a run nobody operated
        Invariant mail = HistoryChecker.check(run.build()).stream()
                .filter(invariant -> invariant.name().contains("each e-mail alert mailed once")).findFirst().orElseThrow();
        assertThat(mail.violations()).singleElement().asString().contains("e-mailed 0 times");
    }

    @Test
    void shouldReportAMissingArrival() {
        // given a hand-over the reception was told was recorded, but no arrival on the topic
        Builder run = new Builder();
        run.arrivals.clear();

        // then
        assertThat(violationsOf(HistoryChecker.check(run.build()), "arrival (hand-over) once")).singleElement().asString()
                .isEqualTo("p-1: 0 arrivals");
    }

    @Test
    void shouldReportABusThatCrossedTwice() {
        Builder run = new Builder();
        run.movements.add(new Movement("bus-1", "BORDER_CROSSED", at("transport.bus-movements", 7)));

        assertThat(violationsOf(HistoryChecker.check(run.build()), "crossing and arrival")).singleElement().asString()
                .contains("bus-1 BORDER_CROSSED 2 times");
    }

    @Test
    void shouldReportAMovementAPartnerNeverReadAndABusOnTwoPartnersTopics() {
        Builder run = new Builder();
        // given bus-1's crossing missing from its partner's topic, and its arrival on another partner's topic
        run.movements.removeIf(movement -> movement.at().topic().equals(PARTNER_TOPIC) && movement.movement().equals("BORDER_CROSSED"));
        run.movements.add(new Movement("bus-1", "ARRIVED", at("outbound.bus-movements.partner-other", 0)));

        List<String> violations = violationsOf(HistoryChecker.check(run.build()), "each bus's movements on its partner's topic as on transport's");

        assertThat(violations).containsExactlyInAnyOrder("bus bus-1 on the movements topics of [partner-demo, partner-other]",
                "bus bus-1 BORDER_CROSSED: 1 on transport.bus-movements, 0 on its partner's topic",
                "bus bus-1 ARRIVED: 1 on transport.bus-movements, 2 on its partner's topic");
        assertThat(violationsOf(HistoryChecker.check(run.build()), "each bus's crossing and arrival once"))
                .as("a partner's copy is not a second crossing").isEmpty();
    }

    @Test
    void shouldReportAListedPersonTwiceInOneVersionAndAVersionNobodyWasToldAbout() {
        // given a re-sent publication that made a second version with the same persons
        Builder run = new Builder();
        run.listVersions.add(new ListVersion("list-1", 2, 1, at("roster.release-lists", 1)));
        run.listings.add(new Listing("list-1", 2, "p-1", "LISTED", at("roster.listed-persons", 1)));
        run.listings.add(new Listing("list-1", 2, "p-1", "LISTED", at("roster.listed-persons", 2)));

        List<Invariant> invariants = HistoryChecker.check(run.build());

        assertThat(violationsOf(invariants, "each list version published once")).singleElement().asString()
                .contains("v2 published but never acknowledged");
        assertThat(violationsOf(invariants, "each listed person once per list version"))
                .anySatisfy(violation -> assertThat(violation).contains("list-1 v2 p-1 appears 2 times"));
    }

    @Test
    void shouldReportARecordOfAnAbortedTransactionThatAReadCommittedReaderSees() {
        // given a position that the read_uncommitted reader saw aborted, yet the read_committed reader returned
        Builder run = new Builder();
        run.aborted.add(at("roster.listed-persons", 0));

        assertThat(violationsOf(HistoryChecker.check(run.build()), "no record of an aborted transaction")).singleElement()
                .asString().contains("roster.listed-persons-0@0");
    }

    @Test
    void shouldReportAnExpectedAlertThatWasNeverIssued() {
        // given a matched person admitted at a facility, and no AT_FACILITY alert
        Builder run = new Builder();
        run.alerts.clear();
        run.mails.clear();

        assertThat(violationsOf(HistoryChecker.check(run.build()), "every expected alert issued")).singleElement().asString()
                .contains("no AT_FACILITY alert for inquiry inq-1 and person p-1");
    }

    @Test
    void shouldReportADeadLetterTheRunDidNotInjectAndPoisonDeadLetteredTwice() {
        Builder run = new Builder();
        run.deadLetters.add(POISON);
        run.deadLetters.add(new DeadLetter("transport.bus-manifests-dlt", "ff00"));

        assertThat(violationsOf(HistoryChecker.check(run.build()), "dead-letter topics hold only the injected poison"))
                .hasSize(2)
                .anySatisfy(violation -> assertThat(violation).contains("dead-lettered 2 times, expected 1"))
                .anySatisfy(violation -> assertThat(violation).contains("transport.bus-manifests-dlt the run did not inject"));
    }

    @Test
    void shouldReportATransactionLeftOpen() {
        Builder run = new Builder();
        run.open.add("roster.listed-persons-3");

        assertThat(violationsOf(HistoryChecker.check(run.build()), "no transaction left open")).singleElement().asString()
                .contains("roster.listed-persons-3");
    }

    private static List<String> violationsOf(List<Invariant> invariants, String name) {
        return invariants.stream().filter(invariant -> invariant.name().contains(name)).findFirst().orElseThrow().violations();
    }

    private static Position at(String topic, long offset) {
        return new Position(topic, 0, offset);
    }

    /** A small clean history: one list, one bus, one person handed over and admitted, one inquiry matched and alerted. */
    @Test
    void shouldCountAsAwaitingDeliveryOnlyAnAlertWithNoDeliveryRecordAndNoMail() {
        // given: alert-1 delivered, alert-2 never reached by delivery, alert-3 recorded withdrawn (decided, not awaited)
        Builder run = new Builder();
        run.alerts.add(new Alert("alert-2", "inq-1", "p-1", "ARRIVED", "EMAIL", at("reunification.alerts", 1)));
        run.alerts.add(new Alert("alert-3", "inq-1", "p-1", "CROSSED_BORDER", "EMAIL", at("reunification.alerts", 2)));
        run.deliveries.add(new Delivery("alert-3", "FAILED", 1, at("reunification.alert-deliveries", 2)));

        // then only alert-2 may still change by waiting; alert-3 stays a violation however long one waits
        assertThat(HistoryChecker.awaitingDelivery(run.build())).containsExactly("alert-2");
        Invariant mail = HistoryChecker.check(run.build()).stream()
                .filter(invariant -> invariant.name().contains("each e-mail alert mailed once")).findFirst().orElseThrow();
        assertThat(mail.violations()).containsExactly("alert <alert-2@homecoming> e-mailed 0 times, last delivery record: none",
                "alert <alert-3@homecoming> e-mailed 0 times, last delivery record: FAILED");
    }

    @Test
    void shouldAcceptTheNewsToAFamilyThatRegisteredTwiceOnceButReportAnAddressToldTwice() {
        // given a mother's second inquiry, whose alert of the same news was withheld: told through her first one
        Builder run = new Builder();
        run.mails.set(0, new Mail("<alert-1@homecoming>", "mother@families.example"));
        run.alerts.add(new Alert("alert-2", "inq-2", "p-1", "AT_FACILITY", "EMAIL", at("reunification.alerts", 1)));
        run.deliveries.add(new Delivery("alert-2", "SENDING", 1, at("reunification.alert-deliveries", 2)));
        run.deliveries.add(new Delivery("alert-2", "FAILED", 0, at("reunification.alert-deliveries", 3), "inq-1"));
        List<Invariant> toldOnce = HistoryChecker.check(run.build());
        assertThat(violationsOf(toldOnce, "each e-mail alert mailed once")).isEmpty();
        assertThat(violationsOf(toldOnce, "no address e-mailed the same news twice")).isEmpty();
        // and as reasons say it now, naming no inquiry: the other alert of the same news went out once
        run.deliveries.set(run.deliveries.size() - 1, new Delivery("alert-2", "FAILED", 0, at("reunification.alert-deliveries", 3),
                "another inquiry"));
        assertThat(violationsOf(HistoryChecker.check(run.build()), "each e-mail alert mailed once")).isEmpty();

        // when the second alert had gone out to her as well
        run.deliveries.set(run.deliveries.size() - 1, new Delivery("alert-2", "DELIVERED", 1, at("reunification.alert-deliveries", 3)));
        run.mails.add(new Mail("<alert-2@homecoming>", "mother@families.example"));

        // then the address told twice is reported
        assertThat(violationsOf(HistoryChecker.check(run.build()), "no address e-mailed the same news twice")).singleElement()
                .asString().contains("mother@families.example AT_FACILITY of p-1: e-mailed 2 times");
    }

    @Test
    void shouldNotAcceptAnAlertWithheldAsToldThroughAnInquiryWhoseAlertNeverWentOut() {
        // given alert-2 withheld as told through inq-1, whose alert of that news was never mailed
        Builder run = new Builder();
        run.mails.clear();
        run.alerts.add(new Alert("alert-2", "inq-2", "p-1", "AT_FACILITY", "EMAIL", at("reunification.alerts", 1)));
        run.deliveries.add(new Delivery("alert-2", "FAILED", 0, at("reunification.alert-deliveries", 3), "inq-1"));

        // when / then the family was told nothing, and both alerts are reported
        assertThat(violationsOf(HistoryChecker.check(run.build()), "each e-mail alert mailed once"))
                .anySatisfy(violation -> assertThat(violation).contains("alert <alert-2@homecoming> e-mailed 0 times"));
        // also when the reason names no inquiry
        run.deliveries.set(run.deliveries.size() - 1, new Delivery("alert-2", "FAILED", 0, at("reunification.alert-deliveries", 3),
                "another inquiry"));
        assertThat(violationsOf(HistoryChecker.check(run.build()), "each e-mail alert mailed once"))
                .anySatisfy(violation -> assertThat(violation).contains("alert <alert-2@homecoming> e-mailed 0 times"));
    }

    private static final class Builder {
        final List<ListVersion> listVersions = new ArrayList<>(List.of(new ListVersion("list-1", 1, 1, at("roster.release-lists", 0))));
        final List<Listing> listings = new ArrayList<>(List.of(new Listing("list-1", 1, "p-1", "LISTED", at("roster.listed-persons", 0))));
        final List<Movement> movements = new ArrayList<>(List.of(new Movement("bus-1", "DEPARTED", at("transport.bus-movements", 0)),
                new Movement("bus-1", "BORDER_CROSSED", at("transport.bus-movements", 1)),
                new Movement("bus-1", "ARRIVED", at("transport.bus-movements", 2)),
                new Movement("bus-1", "DEPARTED", at(PARTNER_TOPIC, 0)),
                new Movement("bus-1", "BORDER_CROSSED", at(PARTNER_TOPIC, 1)),
                new Movement("bus-1", "ARRIVED", at(PARTNER_TOPIC, 2))));
        final List<Arrival> arrivals = new ArrayList<>(List.of(new Arrival("p-1", "bus-1", at("transport.person-arrivals", 0))));
        final List<Admission> admissions = new ArrayList<>(List.of(new Admission("p-1", at("transport.facility-admissions", 0))));
        final List<Match> matches = new ArrayList<>(List.of(new Match("m-1", "inq-1", "p-1", "AUTO_MATCHED", at("reunification.matches", 0))));
        final List<Alert> alerts = new ArrayList<>(List.of(new Alert("alert-1", "inq-1", "p-1", "AT_FACILITY", "EMAIL", at("reunification.alerts", 0))));
        final List<Mail> mails = new ArrayList<>(List.of(new Mail("<alert-1@homecoming>")));
        final List<Delivery> deliveries = new ArrayList<>(List.of(new Delivery("alert-1", "SENDING", 1, at("reunification.alert-deliveries", 0)),
                new Delivery("alert-1", "DELIVERED", 1, at("reunification.alert-deliveries", 1))));
        final List<DeadLetter> deadLetters = new ArrayList<>(List.of(POISON));
        final List<Position> aborted = new ArrayList<>(List.of(at("roster.listed-persons", 99)));
        final List<String> open = new ArrayList<>();

        History build() {
            List<Position> committed = new ArrayList<>();
            listVersions.forEach(record -> committed.add(record.at()));
            listings.forEach(record -> committed.add(record.at()));
            alerts.forEach(record -> committed.add(record.at()));
            return new History(listVersions, listings, movements, arrivals, admissions, List.of("inq-1"), matches, alerts, deliveries,
                    mails, deadLetters, committed, aborted, open,
                    new Acknowledged(Set.of(new ListVersionKey("list-1", 1)), Set.of("bus-1"), Set.of("p-1"), Set.of("p-1"),
                            Set.of("inq-1")),
                    List.of(POISON));
        }
    }
}
