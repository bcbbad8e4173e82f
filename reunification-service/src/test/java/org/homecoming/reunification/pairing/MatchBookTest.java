package org.homecoming.reunification.pairing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.MatchDecided;
import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.reunification.inquiries.InquiryBook;
import org.homecoming.reunification.matching.MatchScorer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.homecoming.reunification.pairing.Events.T0;
import static org.homecoming.reunification.pairing.Events.inquiry;
import static org.homecoming.reunification.pairing.Events.listed;

/** The book's pairs as the compact form holds them: found by match id, read back as their records carry them. */
class MatchBookTest {

    final MatchBook book = new MatchBook(3.0, Clock.fixed(T0, ZoneOffset.UTC),
            new Facts(new MatchScorer(), new InquiryBook(), inquiryId -> false));

    static MatchDecided matcherDecision(String inquiryId, String personId, MatchStatus status, Instant decidedAt) {
        return MatchDecided.newBuilder()
                .setMatchId(AlertRules.matchId(inquiryId, personId))
                .setInquiryId(inquiryId)
                .setPersonId(personId)
                .setStatus(status)
                .setScore(12.5)
                .setEvidence(List.of())
                .setDecidedBy(new String(MatchBook.MATCHER)) // as read from the topic: a string of its own
                .setReason(status == MatchStatus.RETRACTED ? new String(CandidateRule.NO_LONGER) : null)
                .setDecidedAt(decidedAt)
                .setInquiryRevision(3)
                .setPersonChangedAt(T0.minusSeconds(60))
                .build();
    }

    @Test
    void shouldFindEveryPairByItsMatchIdAfterManyPairs() {
        // given: 20,000 pairs, most inquiries with one person and some with two, as a rebuild reads them back
        List<MatchDecided> decisions = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            decisions.add(matcherDecision("inq-" + (i / 3 * 2 + i % 3 / 2), "p-" + (i % 700), MatchStatus.AUTO_MATCHED,
                    T0.plusMillis(i)));
        }

        // when
        decisions.forEach(book::restore);

        // then: each match id names its own pair, and nothing else answers
        for (MatchDecided decision : decisions) {
            assertThat(book.match(decision.getMatchId())).as("match %s", decision.getMatchId()).get()
                    .satisfies(view -> {
                        assertThat(view.inquiryId()).isEqualTo(decision.getInquiryId());
                        assertThat(view.personId()).isEqualTo(decision.getPersonId());
                        assertThat(view.decidedAt()).isEqualTo(decision.getDecidedAt());
                    });
        }
        assertThat(book.matches(null)).hasSize(decisions.size()).extracting(MatchView::matchId)
                .doesNotHaveDuplicates()
                .as("oldest decision first").containsExactlyElementsOf(decisions.stream().map(MatchDecided::getMatchId).toList());
        assertThat(book.matches(null, 5)).extracting(MatchView::matchId)
                .as("a page: the five oldest").containsExactlyElementsOf(decisions.stream().limit(5).map(MatchDecided::getMatchId).toList());
        assertThat(book.match(AlertRules.matchId("inq-unknown", "p-1"))).isEmpty();
        assertThat(book.match(decisions.get(7).getMatchId().toUpperCase(Locale.ROOT)))
                .as("a match id only in its canonical form").isEmpty();
        assertThat(book.match("not-a-match-id")).isEmpty();
    }

    @Test
    void shouldReadADecisionTimeBackExactlyAsTheEventCarriesIt() {
        // given: a decision read back, made at a millisecond before the epoch of the next second
        MatchDecided decision = matcherDecision("inq-1", "p-1", MatchStatus.RETRACTED, Instant.parse("2026-03-01T08:00:00.999Z"));

        // when
        book.restore(decision);

        // then
        MatchView view = book.match(decision.getMatchId()).orElseThrow();
        assertThat(view.decidedAt()).isEqualTo(decision.getDecidedAt());
        assertThat(view.decidedBy()).isEqualTo(MatchBook.MATCHER);
        assertThat(view.reason()).isEqualTo(CandidateRule.NO_LONGER);
        assertThat(view.status()).isEqualTo(MatchStatus.RETRACTED);
        assertThat(view.score()).isEqualTo(12.5);
        assertThat(view.inquiryRevision()).isEqualTo(3);
        assertThat(view.personVersion()).isEqualTo(T0.minusSeconds(60).toEpochMilli());
    }

    @Test
    void shouldShowTheDecisionTimeTheWrittenEventCarries() {
        // given: a clock finer than a millisecond, as the system clock is
        Instant now = Instant.parse("2026-03-01T08:00:00.123456789Z");
        Pairing engine = new Pairing(new MatchScorer(), 3.0, Clock.fixed(now, ZoneOffset.UTC), new InquiryBook(),
                inquiryId -> false, Pairing.Counters.NONE);
        engine.on(Topics.INQUIRIES.name(), "inq-1", inquiry("inq-1", 1, "Петренко", "Олександр", PairingTest.BORN));

        // when
        List<Emitted> emitted = engine.on("some.topic", "key", listed("p-1", "Петренко", "Олександр", PairingTest.BORN));

        // then: the REST view and the event agree, to the millisecond the event carries
        MatchDecided decision = PairingTest.decisions(emitted).get(0);
        assertThat(decision.getDecidedAt()).isEqualTo(Instant.parse("2026-03-01T08:00:00.123Z"));
        assertThat(engine.matches().match(decision.getMatchId())).get().extracting(MatchView::decidedAt)
                .isEqualTo(decision.getDecidedAt());
    }

    @Test
    void shouldShareOneIdAmongTheInquirysPairsAndThePersonsPairs() {
        // given: ids read from the topic, each a string of its own
        book.restore(matcherDecision(new String("inq-1"), new String("p-1"), MatchStatus.REVIEW_REQUESTED, T0));
        book.restore(matcherDecision(new String("inq-1"), new String("p-2"), MatchStatus.REVIEW_REQUESTED, T0));
        book.restore(matcherDecision(new String("inq-2"), new String("p-1"), MatchStatus.REVIEW_REQUESTED, T0));

        // when
        List<Pair> ofFirst = book.pairsOf("p-1");
        List<Pair> ofSecond = book.pairsOf("p-2");

        // then
        assertThat(ofSecond.get(0).inquiryId).isSameAs(ofFirst.get(0).inquiryId);
        assertThat(ofFirst.get(1).personId).isSameAs(ofFirst.get(0).personId);
        assertThat(ofFirst.get(0).decidedBy).isSameAs(MatchBook.MATCHER);
        assertThat(book.sharedInquiryId(new String("inq-2"))).isSameAs(ofFirst.get(1).inquiryId);
    }
}
