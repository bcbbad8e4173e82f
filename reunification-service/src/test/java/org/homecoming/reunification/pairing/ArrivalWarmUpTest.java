package org.homecoming.reunification.pairing;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.events.reunification.Milestone;
import org.homecoming.reunification.inquiries.InquiryBook;
import org.homecoming.reunification.matching.MatchScorer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.homecoming.reunification.pairing.Events.T0;
import static org.homecoming.reunification.pairing.Events.handedOver;
import static org.homecoming.reunification.pairing.Events.inquiry;
import static org.homecoming.reunification.pairing.Events.listed;

/** The warm-up before readiness: it must run the arrival path, and leave the live state exactly as it found it. */
class ArrivalWarmUpTest {

    static final String[] SURNAMES = {"Петренко", "Коваленко", "Шевченко", "Бондаренко", "Ткаченко", "Кравченко",
            "Олійник", "Шевчук", "Поліщук", "Лисенко", "Мельник", "Савченко"};
    static final String[] GIVEN = {"Олександр", "Андрій", "Сергій", "Микола", "Іван", "Дмитро"};
    static final int INQUIRIES = SURNAMES.length;
    static final int LISTED = 8;
    static final int ARRIVED = 4;

    final InquiryBook book = new InquiryBook();
    final Pairing live = new Pairing(new MatchScorer(), 3.0, Clock.fixed(T0, ZoneOffset.UTC), book, inquiryId -> false,
            Pairing.Counters.NONE);

    @BeforeEach
    void aServiceWithInquiriesMatchesAndAlerts() {
        for (int i = 0; i < INQUIRIES; i++) {
            live.on(Topics.INQUIRIES.name(), inquiryId(i), inquiry(inquiryId(i), 1, SURNAMES[i], GIVEN[i % GIVEN.length], born(i)));
        }
        for (int i = 0; i < LISTED; i++) {
            live.on(Topics.LISTED_PERSONS.name(), personId(i), listed(personId(i), SURNAMES[i], GIVEN[i % GIVEN.length], born(i)));
        }
        for (int i = 0; i < ARRIVED; i++) {
            live.on(Topics.PERSON_ARRIVALS.name(), personId(i), handedOver(personId(i), true));
        }
    }

    @Test
    void shouldRehearseArrivalsAndAlertsWithoutChangingTheLiveState() {
        Snapshot before = snapshot();
        assertThat(before.alerts.values().stream().flatMap(List::stream).map(AlertIssued::getMilestone))
                .as("the service under test holds listed and arrived alerts").contains(Milestone.LISTED_FOR_RELEASE, Milestone.ARRIVED);

        ArrivalWarmUp warmUp = new ArrivalWarmUp(live, 3.0, true, 500, Duration.ofMinutes(1));
        warmUp.runOnce();

        ArrivalWarmUp.Result result = warmUp.result().orElseThrow();
        assertThat(result.sampled()).as("inquiries sampled from the index").isEqualTo(INQUIRIES);
        assertThat(result.arrivals()).as("arrivals rehearsed").isEqualTo(500);
        assertThat(result.alerts()).as("the rehearsed arrivals went all the way to an ARRIVED alert").isGreaterThanOrEqualTo(500);
        assertThat(result.liveScored()).as("listings scored read-only against the live index").isEqualTo(INQUIRIES);
        assertThat(result.encoded()).as("records encoded and decoded").isGreaterThan(1_000);
        assertThat(snapshot()).as("the live inquiries, pairs and alerts after the warm-up").isEqualTo(before);
    }

    @Test
    void shouldLeaveTheNextRealArrivalToAlertOnceAsWithoutTheWarmUp() {
        new ArrivalWarmUp(live, 3.0, true, 300, Duration.ofMinutes(1)).runOnce();

        List<Emitted> arrival = live.on(Topics.PERSON_ARRIVALS.name(), personId(ARRIVED), handedOver(personId(ARRIVED), true));
        List<Emitted> again = live.on(Topics.PERSON_ARRIVALS.name(), personId(0), handedOver(personId(0), true));

        assertThat(arrival).extracting(Emitted::value).singleElement().isInstanceOfSatisfying(AlertIssued.class, alert -> {
            assertThat(alert.getInquiryId()).isEqualTo(inquiryId(ARRIVED));
            assertThat(alert.getMilestone()).isEqualTo(Milestone.ARRIVED);
        });
        assertThat(again).as("a person alerted as arrived before the warm-up is not alerted again").isEmpty();
    }

    @Test
    void shouldWarmUpOnceAndNotAtAllWhenSwitchedOff() {
        ArrivalWarmUp off = new ArrivalWarmUp(live, 3.0, false, 100, Duration.ofMinutes(1));
        off.runOnce();
        assertThat(off.result()).as("switched off").isEmpty();

        ArrivalWarmUp on = new ArrivalWarmUp(live, 3.0, true, 100, Duration.ofMinutes(1));
        on.runOnce();
        Optional<ArrivalWarmUp.Result> first = on.result();
        on.runOnce();
        assertThat(first).isPresent();
        assertThat(on.result().orElseThrow()).as("a second call (a rebalance) does not warm up again").isSameAs(first.orElseThrow());
    }

    @Test
    void shouldDoNothingWithAnEmptyIndex() {
        Pairing empty = new Pairing(new MatchScorer(), 3.0, Clock.systemUTC(), new InquiryBook(), inquiryId -> false,
                Pairing.Counters.NONE);
        ArrivalWarmUp warmUp = new ArrivalWarmUp(empty, 3.0, true, 100, Duration.ofMinutes(1));

        warmUp.runOnce();

        assertThat(warmUp.result().orElseThrow().arrivals()).isZero();
        assertThat(empty.openInquiries()).isZero();
    }

    record Snapshot(int openInquiries, Map<String, Optional<InquiryRegistered>> inquiries, Map<MatchStatus, List<MatchView>> matches,
                    Map<String, List<AlertIssued>> alerts) {
    }

    Snapshot snapshot() {
        Map<String, Optional<InquiryRegistered>> inquiries = new LinkedHashMap<>();
        Map<String, List<AlertIssued>> alerts = new LinkedHashMap<>();
        for (int i = 0; i < INQUIRIES; i++) {
            inquiries.put(inquiryId(i), book.find(inquiryId(i)));
            alerts.put(inquiryId(i), new ArrayList<>(live.alerts().alertsOf(inquiryId(i))));
        }
        Map<MatchStatus, List<MatchView>> matches = new LinkedHashMap<>();
        for (MatchStatus status : MatchStatus.values()) {
            matches.put(status, live.matches().matches(status));
        }
        return new Snapshot(live.openInquiries(), inquiries, matches, alerts);
    }

    static String inquiryId(int i) {
        return "inquiry-" + i;
    }

    static String personId(int i) {
        return "person-" + i;
    }

    static LocalDate born(int i) {
        return LocalDate.of(1980 + i, 1 + i % 12, 1 + i);
    }
}
