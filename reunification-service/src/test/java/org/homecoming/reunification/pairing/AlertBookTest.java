package org.homecoming.reunification.pairing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.AlertChannel;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.Language;
import org.homecoming.events.reunification.Milestone;
import org.homecoming.reunification.inquiries.InquiryBook;
import org.homecoming.reunification.matching.MatchScorer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.homecoming.reunification.pairing.Events.admitted;
import static org.homecoming.reunification.pairing.Events.handedOver;
import static org.homecoming.reunification.pairing.Events.inquiry;
import static org.homecoming.reunification.pairing.Events.listed;
import static org.homecoming.reunification.pairing.Events.manifest;
import static org.homecoming.reunification.pairing.PairingTest.BORN;
import static org.homecoming.reunification.pairing.PairingTest.alerts;
import static org.homecoming.reunification.pairing.PairingTest.decisions;

/** The alerts as the book holds them, read back with every field that REST and delivery use. */
class AlertBookTest {

    final Set<String> withdrawn = new HashSet<>();
    final Pairing engine = new Pairing(new MatchScorer(), 3.0, Clock.fixed(Instant.parse("2026-03-01T08:00:00.123456Z"), ZoneOffset.UTC),
            new InquiryBook(), withdrawn::contains, Pairing.Counters.NONE);

    List<Emitted> on(Object value) {
        if (value instanceof org.homecoming.events.reunification.InquiryRegistered inquiry) {
            return engine.on(Topics.INQUIRIES.name(), inquiry.getInquiryId(), inquiry);
        }
        return engine.on("some.topic", "key", value);
    }

    /** A matched pair whose person was listed, crossed, arrived and was admitted: four alerts, two naming a facility. */
    List<Emitted> aPairAdmittedToAFacility() {
        List<Emitted> written = new ArrayList<>(on(inquiry("inq-1", 1, "Петренко", "Олександр", BORN)));
        written.addAll(on(listed("p-1", "Петренко", "Олександр", BORN)));
        written.addAll(on(manifest("bus-1", "p-1")));
        written.addAll(on(Events.movement("bus-1", org.homecoming.events.transport.Movement.BORDER_CROSSED)));
        written.addAll(on(handedOver("p-1", true)));
        written.addAll(on(admitted("p-1", "kyiv-military-hospital")));
        return written;
    }

    @Test
    void shouldReadAnAlertBackWithEveryFieldAsIssued() {
        // given
        List<AlertIssued> issued = alerts(aPairAdmittedToAFacility());

        // when
        List<AlertIssued> read = engine.alerts().alertsOf("inq-1");

        // then
        assertThat(issued).extracting(AlertIssued::getMilestone).containsExactly(Milestone.LISTED_FOR_RELEASE,
                Milestone.CROSSED_BORDER, Milestone.ARRIVED, Milestone.AT_FACILITY);
        assertThat(read).as("alert id, inquiry, person, milestone, language, channel, facility and time")
                .containsExactlyElementsOf(issued);
        assertThat(read.get(3)).satisfies(alert -> {
            assertThat(alert.getAlertId()).isEqualTo(AlertRules.alertId("inq-1", "p-1", Milestone.AT_FACILITY));
            assertThat(alert.getFacility()).isEqualTo("kyiv-military-hospital");
            assertThat(alert.getLanguage()).isEqualTo(Language.UK);
            assertThat(alert.getChannel()).isEqualTo(AlertChannel.EMAIL);
            assertThat(alert.getIssuedAt()).isEqualTo(Instant.parse("2026-03-01T08:00:00.123Z"));
        });
    }

    @Test
    void shouldReadTheAlertsReadBackAfterARebuildAsTheyWereIssued() {
        // given
        List<Emitted> written = aPairAdmittedToAFacility();
        List<AlertIssued> issued = alerts(written);

        // when: the state is rebuilt from the topics, each alert read twice
        engine.reset();
        engine.restoreInquiry("inq-1", inquiry("inq-1", 1, "Петренко", "Олександр", BORN), true);
        decisions(written).forEach(engine::restoreDecision);
        issued.forEach(alert -> engine.restoreAlert(AlertIssued.newBuilder(alert).build()));
        issued.forEach(alert -> engine.restoreAlert(AlertIssued.newBuilder(alert).build()));
        engine.rebuilt();

        // then
        assertThat(engine.alerts().alertsOf("inq-1")).containsExactlyElementsOf(issued);
    }

    @Test
    void shouldKeepTheIdOfAnAlertReadBackUnderAnIdOfItsOwn() {
        // given: an alert whose id is not the one derived from its inquiry, person and milestone
        AlertIssued odd = AlertIssued.newBuilder()
                .setAlertId("alert-from-elsewhere")
                .setInquiryId("inq-9")
                .setPersonId("p-9")
                .setMilestone(Milestone.ARRIVED)
                .setLanguage(Language.RU)
                .setChannel(AlertChannel.SMS)
                .setFacility("chernihiv-regional-hospital")
                .setIssuedAt(Instant.parse("2026-03-01T09:15:00.042Z"))
                .build();
        AlertIssued derived = AlertIssued.newBuilder(odd).setAlertId(AlertRules.alertId("inq-9", "p-9", Milestone.ARRIVED))
                .setFacility(null).build();

        // when
        engine.restoreAlert(odd);
        engine.restoreAlert(derived);
        engine.restoreAlert(odd);

        // then: two alerts, each read once, as read
        assertThat(engine.alerts().alertsOf("inq-9")).containsExactly(odd, derived);
    }
}
