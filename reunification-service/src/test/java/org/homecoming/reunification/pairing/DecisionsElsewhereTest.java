package org.homecoming.reunification.pairing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.reunification.alerts.MatchStandings.Standing;
import org.homecoming.reunification.inquiries.InquiryBook;
import org.homecoming.reunification.matching.MatchScorer;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/** What an instance says of a match another instance decides, when it cannot tell whether it has read the latest. */
class DecisionsElsewhereTest {

    private static final Instant T0 = Instant.parse("2026-12-06T08:00:00Z");

    @Test
    void shouldNotSayAMatchStandsWhileItCannotTellWhetherItHasReadTheMatchesTopicToItsEnd() {
        // given an instance that followed another instance's auto-match, and a broker it cannot reach to learn whether a
        // caseworker rejected the pair since
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of("127.0.0.1:1"));
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        Facts facts = new Facts(new MatchScorer(), new InquiryBook(), inquiryId -> false);
        MatchBook own = new MatchBook(0.0, clock, facts);
        DecisionsElsewhere elsewhere = new DecisionsElsewhere(kafka, mock(StateRebuild.class), own,
                new AlertBook(facts, new InquiryBook(), own, clock, AlertBook.Counter.NONE), clock);
        try {
            elsewhere.take(MatchBookTest.matcherDecision("inq-1", "p-1", MatchStatus.AUTO_MATCHED, T0));

            // then delivery is told it is not known yet (and holds the alert), never that the match stands
            assertThat(elsewhere.of("inq-1", "p-1")).isEqualTo(Standing.UNKNOWN);
        } finally {
            elsewhere.stop();
        }
    }
}
