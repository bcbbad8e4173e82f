package org.homecoming.reunification;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.Language;
import org.homecoming.events.reunification.MatchDecided;
import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.events.reunification.Milestone;
import org.homecoming.events.transport.PersonHandedOver;
import org.homecoming.events.transport.TriageLevel;
import org.homecoming.platform.deadletter.DeadLetterPolicy;
import org.homecoming.platform.holding.UnresolvedRecordException;
import org.homecoming.platform.observability.MetricNames;
import org.homecoming.reunification.pairing.AlertRules;
import org.homecoming.reunification.pairing.MatchBook;
import org.homecoming.reunification.pairing.PairingListener;
import org.homecoming.reunification.pairing.StateRebuild;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.TopicProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Records that make no sense when they are read (an arrival of a person nobody listed, a caseworker's decision about a
 * match never proposed) are held for a short window set here, processed if they come to make sense, and otherwise
 * dead-lettered with the reason; never dropped without a trace, and never acted on while they make no sense.
 */
@ExtendWith(KafkaAndRegistry.class)
@SpringBootTest(properties = {ReunificationApplication.CONFIG_NAME, "reunification.delivery.back-off=50ms",
        "homecoming.holding.window=15s", "homecoming.holding.check-every=500ms"})
@DirtiesContext // its listeners must not compete with the other test classes' contexts
class HeldRecordsIntegrationTest {

    static final Duration TIMEOUT = Duration.ofSeconds(90);

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.port", () -> greenMail.getSmtp().getPort());
    }

    @Autowired
    MeterRegistry meters;
    @Autowired
    StateRebuild rebuild;
    @Autowired
    MatchBook matches;
    @Autowired
    KafkaListenerEndpointRegistry listeners;

    @Test
    void shouldProcessAnArrivalReadBeforeItsListingOnceTheListingIsRead() {
        // given: an inquiry, and the person's arrival read before the roster's listing of that person
        TopicProbe.produce(Topics.INQUIRIES, "inq-held-1", AlertDeliveryRestartIntegrationTest.inquiry("inq-held-1",
                new String[] {"Мельничук", "Остап", "1987-06-30"}, Language.UK, "relative-held-1@example.org"));
        RecordMetadata arrival = TopicProbe.produce(Topics.PERSON_ARRIVALS, "p-held-1", arrived("p-held-1"));
        TopicProbe.awaitProcessed(PairingListener.GROUP, arrival, TIMEOUT);
        assertThat(held()).as("the arrival of a person nobody listed is held, not dropped").isEqualTo(1);

        // when: the listing is read within the window
        TopicProbe.produce(Topics.LISTED_PERSONS, "p-held-1",
                ReunificationIntegrationTest.listed("p-held-1", "Мельничук", "Остап", LocalDate.of(1987, 6, 30)));

        // then: the arrival is processed as if it had come in order, and alerts once
        List<ConsumerRecord<String, AlertIssued>> alerts = TopicProbe.awaitRecords(Topics.ALERTS, TIMEOUT, records ->
                records.stream().anyMatch(record -> record.key().equals("inq-held-1") && record.value().getMilestone() == Milestone.ARRIVED));
        assertThat(alerts).filteredOn(record -> record.key().equals("inq-held-1"))
                .extracting(record -> record.value().getMilestone())
                .as("one alert per milestone").containsExactlyInAnyOrder(Milestone.LISTED_FOR_RELEASE, Milestone.ARRIVED);
        await().atMost(TIMEOUT).until(() -> held() == 0);
        assertThat(TopicProbe.readRaw(Topics.PERSON_ARRIVALS.deadLetterTopic()))
                .as("an arrival that came to make sense is not dead-lettered").noneMatch(record -> "p-held-1".equals(record.key()));
    }

    @Test
    void shouldDeadLetterAnArrivalWhosePersonIsNeverListedWithTheReasonAndPublishNothingElse() {
        // given
        double before = deadLetters(Topics.PERSON_ARRIVALS.name());

        // when: the arrival of a person whom no list ever names
        TopicProbe.produce(Topics.PERSON_ARRIVALS, "p-held-never", arrived("p-held-never"));

        // then: after the window it is in the dead-letter topic with the reason, counted, and nothing else came of it
        ConsumerRecord<String, byte[]> letter = awaitDeadLetter(Topics.PERSON_ARRIVALS.deadLetterTopic(), "p-held-never");
        assertThat(ReunificationIntegrationTest.header(letter, DeadLetterPolicy.REASON_HEADER))
                .startsWith(UnresolvedRecordException.class.getName())
                .contains("arrival of person p-held-never, who was never listed");
        assertThat(deadLetters(Topics.PERSON_ARRIVALS.name())).as("the dead-letter counter").isEqualTo(before + 1);
        assertThat(TopicProbe.readAll(Topics.MATCHES)).noneMatch(record -> record.value().getPersonId().equals("p-held-never"));
        assertThat(TopicProbe.readAll(Topics.ALERTS)).noneMatch(record -> record.value().getPersonId().equals("p-held-never"));
        assertThat(TopicProbe.readRaw(Topics.PERSON_ARRIVALS.deadLetterTopic()))
                .as("dead-lettered once").filteredOn(record -> "p-held-never".equals(record.key())).hasSize(1);
    }

    @Test
    void shouldTellTheFamilyOfAnArrivalWhosePersonWasListedOnlyAfterItsDeadLetter() {
        // given: an inquiry, and the arrival of a person the roster office had not listed yet, dead-lettered
        TopicProbe.produce(Topics.INQUIRIES, "inq-late-1", AlertDeliveryRestartIntegrationTest.inquiry("inq-late-1",
                new String[] {"Гнатюк", "Богдан", "1979-02-11"}, Language.UK, "relative-late-1@example.org"));
        TopicProbe.produce(Topics.PERSON_ARRIVALS, "p-late-1", arrived("p-late-1"));
        ConsumerRecord<String, byte[]> letter = awaitDeadLetter(Topics.PERSON_ARRIVALS.deadLetterTopic(), "p-late-1");
        assertThat(ReunificationIntegrationTest.header(letter, DeadLetterPolicy.REASON_HEADER))
                .as("the operator reads that listing the person is still enough")
                .contains("arrival of person p-late-1, who was never listed")
                .contains("it is still watched, and processed if what explains it is read later");
        double lateBefore = late();

        // when: the amended list names the person, after the window
        TopicProbe.produce(Topics.LISTED_PERSONS, "p-late-1",
                ReunificationIntegrationTest.listed("p-late-1", "Гнатюк", "Богдан", LocalDate.of(1979, 2, 11)));

        // then: the family hears of the arrival, once, and the delay is counted
        TopicProbe.awaitRecords(Topics.ALERTS, TIMEOUT, records -> records.stream().anyMatch(record ->
                record.key().equals("inq-late-1") && record.value().getMilestone() == Milestone.ARRIVED));
        await().atMost(TIMEOUT).until(() -> late() == lateBefore + 1);
        // and a rebuild, which reads the amended list before the arrivals, comes to the same state: nothing is held,
        // dead-lettered or alerted a second time
        restart(() -> assertThat(matches.match(AlertRules.matchId("inq-late-1", "p-late-1"))).isPresent());
        RecordMetadata marker = TopicProbe.produce(Topics.LISTED_PERSONS, "p-late-marker",
                ReunificationIntegrationTest.listed("p-late-marker", "Гнатюк", "Тарас", LocalDate.of(1990, 5, 1)));
        TopicProbe.awaitProcessed(PairingListener.GROUP, marker, TIMEOUT);
        assertThat(TopicProbe.readAll(Topics.ALERTS)).filteredOn(record -> record.key().equals("inq-late-1"))
                .extracting(record -> record.value().getMilestone())
                .as("one alert per milestone").containsOnlyOnce(Milestone.ARRIVED).doesNotHaveDuplicates();
        assertThat(TopicProbe.readRaw(Topics.PERSON_ARRIVALS.deadLetterTopic()))
                .as("dead-lettered once").filteredOn(record -> "p-late-1".equals(record.key())).hasSize(1);
    }

    @Test
    void shouldDeadLetterAForgedDecisionAboutAnUnknownMatchAndNeverMakeItAPairAfterARebuild() {
        // given: a caseworker's confirmation of a match that the matcher never proposed, with the id it would have
        String matchId = AlertRules.matchId("inq-forged-1", "p-forged-1");
        MatchDecided forged = MatchDecided.newBuilder().setMatchId(matchId).setInquiryId("inq-forged-1")
                .setPersonId("p-forged-1").setStatus(MatchStatus.CONFIRMED).setScore(30.0).setEvidence(List.of())
                .setDecidedBy("cw-intruder").setDecidedAt(Instant.now()).build();

        // when
        RecordMetadata decision = TopicProbe.produce(Topics.MATCHES, "inq-forged-1", forged);

        // then: it is dead-lettered with the reason, once its offset is committed ...
        TopicProbe.awaitProcessed(PairingListener.GROUP, decision, TIMEOUT);
        ConsumerRecord<String, byte[]> letter = awaitDeadLetter(Topics.MATCHES.deadLetterTopic(), "inq-forged-1");
        assertThat(ReunificationIntegrationTest.header(letter, DeadLetterPolicy.REASON_HEADER))
                .contains("about match " + matchId + ", which was never proposed");
        // ... and a rebuild from the topics (as after a restart) does not make it a pair, nor holds it again
        restart(() -> {
            assertThat(matches.match(matchId).isPresent()).as("the forged match is a pair after a rebuild").isFalse();
            assertThat(held()).as("a dead-lettered record is not held again").isZero();
        });
        assertThat(TopicProbe.readAll(Topics.ALERTS)).noneMatch(record -> record.value().getPersonId().equals("p-forged-1"));
    }

    @Test
    void shouldHoldAgainAfterARestartARecordWhoseOffsetWasCommittedWhileItWasHeld() {
        // given: an arrival held, its offset committed
        RecordMetadata arrival = TopicProbe.produce(Topics.PERSON_ARRIVALS, "p-held-crash", arrived("p-held-crash"));
        TopicProbe.awaitProcessed(PairingListener.GROUP, arrival, TIMEOUT);

        // when: the service's memory is lost and rebuilt from the topics, as after a crash
        restart(() -> assertThat(held()).as("the arrival is held again, not lost").isGreaterThanOrEqualTo(1));

        // then: it still reaches its dead-letter topic, once
        awaitDeadLetter(Topics.PERSON_ARRIVALS.deadLetterTopic(), "p-held-crash");
        assertThat(TopicProbe.readRaw(Topics.PERSON_ARRIVALS.deadLetterTopic()))
                .filteredOn(record -> "p-held-crash".equals(record.key())).hasSize(1);
    }

    /** Stops the pairing listener, rebuilds the state from the topics as a restarted service does, checks, starts it. */
    void restart(Runnable check) {
        MessageListenerContainer container = listeners.getListenerContainer(PairingListener.ID);
        container.stop();
        try {
            rebuild.run();
            check.run();
        } finally {
            container.start();
        }
    }

    static PersonHandedOver arrived(String personId) {
        return new PersonHandedOver(personId, "bus-held", "round-int", Instant.now(), true, TriageLevel.DELAYED,
                "Chernihiv Regional Hospital", true, "chernihiv-regional-hospital");
    }

    static ConsumerRecord<String, byte[]> awaitDeadLetter(String topic, String key) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500))
                .until(() -> TopicProbe.readRaw(topic).stream().anyMatch(record -> key.equals(record.key())));
        return TopicProbe.readRaw(topic).stream().filter(record -> key.equals(record.key())).findFirst().orElseThrow();
    }

    double held() {
        Gauge gauge = meters.find(MetricNames.HELD_RECORDS).tag("holder", "reunification-pairing").gauge();
        return gauge == null ? -1 : gauge.value();
    }

    double late() {
        var counter = meters.find(MetricNames.LATE_RECORDS).tag("holder", "reunification-pairing").counter();
        return counter == null ? 0 : counter.count();
    }

    double deadLetters(String topic) {
        var counter = meters.find(MetricNames.DEAD_LETTERS).tag("topic", topic).counter();
        return counter == null ? 0 : counter.count();
    }
}
