package org.homecoming.reunification.pairing;

import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.security.Roles;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.platform.web.WebInputRules;
import org.homecoming.reunification.matching.Evidence;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WithMockUser(username = "cw-7", roles = Roles.CASEWORKER)
@WebMvcTest(MatchController.class)
@Import({CaseworkerDecisions.class, WebInputRules.class})
class MatchControllerTest {

    static final MatchView IN_REVIEW = new MatchView("m-1", "inq-1", "p-1", MatchStatus.REVIEW_REQUESTED, 14.5,
            List.of(new Evidence("surname", "EXACT", 7.0), new Evidence("birthDate", "YEAR_OFF_BY_ONE", 2.5)),
            "two strong candidates", "matcher", Instant.parse("2026-03-01T08:00:00Z"), 1, 1_772_352_000_000L,
            List.of(new MatchView.Competitor("m-2", "p-2", MatchStatus.REVIEW_REQUESTED, 13.9,
                    List.of(new Evidence("surname", "EXACT", 7.0), new Evidence("birthDate", "DISAGREE", -5.0)))));

    @Autowired
    MockMvc mvc;

    @MockitoBean
    MatchBook engine;

    @MockitoBean
    KafkaTemplate<String, Object> kafka;

    @MockitoBean
    AuditTrail audit;

    @MockitoBean
    Clock clock;

    @Test
    void shouldListTheReviewQueueWithEvidence() throws Exception {
        when(engine.matches(MatchStatus.REVIEW_REQUESTED, MatchController.DEFAULT_LIMIT)).thenReturn(List.of(IN_REVIEW));

        mvc.perform(get("/api/v1/matches").param("status", "REVIEW"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].matchId").value("m-1"))
                .andExpect(jsonPath("$[0].reason").value("two strong candidates"))
                .andExpect(jsonPath("$[0].evidence[*].field", containsInAnyOrder("surname", "birthDate")))
                .andExpect(jsonPath("$[0].competing[0].personId").value("p-2"))
                .andExpect(jsonPath("$[0].competing[0].evidence[*].level", containsInAnyOrder("EXACT", "DISAGREE")));
    }

    @Test
    void shouldAnswerAtMostTheLimitAskedFor() throws Exception {
        when(engine.matches(MatchStatus.REVIEW_REQUESTED, 1)).thenReturn(List.of(IN_REVIEW));

        mvc.perform(get("/api/v1/matches").param("status", "REVIEW").param("limit", "1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(1));
    }

    @Test
    void shouldRefuseALimitOutOfRangeAndAnUnknownStatusInOneAnswer() throws Exception {
        mvc.perform(get("/api/v1/matches").param("status", "MAYBE").param("limit", "1000000"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("status", "limit")));
        mvc.perform(get("/api/v1/matches").param("limit", "all"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("limit"));
    }

    @Test
    void shouldRefuseAnUnknownStatus() throws Exception {
        mvc.perform(get("/api/v1/matches").param("status", "MAYBE"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("status"));
    }

    @Test
    void shouldRequireAReasonToRejectAndPublishNothing() throws Exception {
        when(engine.match("m-1")).thenReturn(Optional.of(IN_REVIEW));

        mvc.perform(post("/api/v1/matches/m-1/reject").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("reason")));

        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldLetACaseworkerTakeBackARejectionOnlyWithAReason() throws Exception {
        // given a match a caseworker rejected (an id of its own: the decisions of other tests are remembered)
        MatchView rejected = new MatchView("m-9", "inq-1", "p-1", MatchStatus.REJECTED, IN_REVIEW.score(), IN_REVIEW.evidence(),
                "different unit", "cw-2", Instant.parse("2026-03-01T08:30:00Z"), 1, 1_772_352_000_000L, List.of());
        when(engine.match("m-9")).thenReturn(Optional.of(rejected));
        when(clock.instant()).thenReturn(Instant.parse("2026-03-01T09:00:00Z"));
        when(kafka.executeInTransaction(any())).thenReturn(CompletableFuture.completedFuture(null));

        // when she confirms it without saying why nor the version she read, then both are asked and nothing is published
        mvc.perform(post("/api/v1/matches/m-9/confirm").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("reason", "version")));
        verify(kafka, never()).executeInTransaction(any());

        // and with a reason and the rejection's version as she read it, the match is confirmed
        mvc.perform(post("/api/v1/matches/m-9/confirm").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"reason\": \"the unit was mistyped in the first list\", \"version\": \"" + rejected.version() + "\"}"))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.status").value("CONFIRMED"));
    }

    @Test
    void shouldNotLetACaseworkerTakeBackARejectionSheNeverSaw() throws Exception {
        // given a match in review on two caseworkers' screens, which the first rejected a minute ago
        MatchView inReview = new MatchView("m-10", "inq-10", "p-1", MatchStatus.REVIEW_REQUESTED, IN_REVIEW.score(),
                IN_REVIEW.evidence(), "two strong candidates", "matcher", IN_REVIEW.decidedAt(), 1, 1_772_352_000_000L, List.of());
        MatchView rejected = new MatchView("m-10", "inq-10", "p-1", MatchStatus.REJECTED, IN_REVIEW.score(),
                IN_REVIEW.evidence(), "different unit", "cw-2", Instant.parse("2026-03-01T08:30:00Z"), 1, 1_772_352_000_000L, List.of());
        when(engine.match("m-10")).thenReturn(Optional.of(rejected));
        when(clock.instant()).thenReturn(Instant.parse("2026-03-01T08:31:00Z"));
        when(kafka.executeInTransaction(any())).thenReturn(CompletableFuture.completedFuture(null));

        // when the second confirms it, with a reason, from a screen that still shows it in review, her client sending
        // no version: then the rejection is not taken back (before, a reason was all it took)
        mvc.perform(post("/api/v1/matches/m-10/confirm").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"reason\": \"photo checked\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("version")));
        // and sending the version she read, she is told it changed, not to send the same again
        mvc.perform(post("/api/v1/matches/m-10/confirm").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"reason\": \"photo checked\", \"version\": \"" + inReview.version() + "\"}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("is REJECTED since")))
                .andExpect(jsonPath("$.retryable").doesNotExist());
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldRefuseARejectionOfAMatchConfirmedSinceTheCaseworkerReadIt() throws Exception {
        // given a match a caseworker read in review, which another caseworker has confirmed since
        MatchView inReview = new MatchView("m-11", "inq-11", "p-1", MatchStatus.REVIEW_REQUESTED, IN_REVIEW.score(),
                IN_REVIEW.evidence(), "two strong candidates", "matcher", IN_REVIEW.decidedAt(), 1, 1_772_352_000_000L, List.of());
        MatchView confirmed = new MatchView("m-11", "inq-11", "p-1", MatchStatus.CONFIRMED, IN_REVIEW.score(),
                IN_REVIEW.evidence(), "photo checked", "cw-2", Instant.parse("2026-03-01T08:30:00Z"), 1, 1_772_352_000_000L, List.of());
        when(engine.match("m-11")).thenReturn(Optional.of(confirmed));
        when(kafka.executeInTransaction(any())).thenReturn(CompletableFuture.completedFuture(null));

        // when she rejects it without a version, or with the version she read, then it is refused and nothing is published
        mvc.perform(post("/api/v1/matches/m-11/reject").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"reason\": \"unit differs\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("version")));
        mvc.perform(post("/api/v1/matches/m-11/reject").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"reason\": \"unit differs\", \"version\": \"" + inReview.version() + "\"}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.retryable").doesNotExist());
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldWriteACaseworkersReversalOfADecisionTakenAfterOneMadeOnThisInstance() throws Exception {
        // given a match in review that a caseworker confirmed through this instance
        MatchView inReview = new MatchView("m-12", "inq-12", "p-1", MatchStatus.REVIEW_REQUESTED, IN_REVIEW.score(),
                IN_REVIEW.evidence(), "two strong candidates", "matcher", IN_REVIEW.decidedAt(), 1, 1_772_352_000_000L, List.of());
        when(engine.match("m-12")).thenReturn(Optional.of(inReview));
        when(clock.instant()).thenReturn(Instant.parse("2026-03-01T09:00:00Z"));
        when(kafka.executeInTransaction(any())).thenReturn(CompletableFuture.completedFuture(null));
        mvc.perform(post("/api/v1/matches/m-12/confirm").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"reason\": \"photo checked\"}"))
                .andExpect(status().isAccepted());
        // and, once that confirmation was read back, rejected by another caseworker through the other instance
        MatchView rejected = new MatchView("m-12", "inq-12", "p-1", MatchStatus.REJECTED, IN_REVIEW.score(),
                IN_REVIEW.evidence(), "unit differs", "cw-2", Instant.parse("2026-03-01T09:10:00Z"), 1, 1_772_352_000_000L, List.of());
        when(engine.match("m-12")).thenReturn(Optional.of(rejected));

        // when a third caseworker takes that rejection back here, with the version she read and a reason
        mvc.perform(post("/api/v1/matches/m-12/confirm").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"reason\": \"the unit was mistyped\", \"version\": \"" + rejected.version() + "\"}"))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.status").value("CONFIRMED"));

        // then her confirmation is written, not taken for the first one sent again (before: 202, and nothing written)
        verify(kafka, times(2)).executeInTransaction(any());
    }

    @Test
    void shouldListTheVersionACaseworkerDecidesOn() throws Exception {
        when(engine.matches(MatchStatus.REVIEW_REQUESTED, MatchController.DEFAULT_LIMIT)).thenReturn(List.of(IN_REVIEW));

        mvc.perform(get("/api/v1/matches").param("status", "REVIEW"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0].version").value(IN_REVIEW.version()));
    }

    @Test
    void shouldNotTakeBackARejectionWhileTheInquiryStandsMatchedToAnotherMan() throws Exception {
        // given a rejected match whose inquiry has since been confirmed with another man
        MatchView rejected = new MatchView("m-8", "inq-1", "p-1", MatchStatus.REJECTED, IN_REVIEW.score(), IN_REVIEW.evidence(),
                "different unit", "cw-2", Instant.parse("2026-03-01T08:30:00Z"), 1, 1_772_352_000_000L,
                List.of(new MatchView.Competitor("m-2", "p-2", MatchStatus.CONFIRMED, 13.9, IN_REVIEW.evidence())));
        when(engine.match("m-8")).thenReturn(Optional.of(rejected));
        when(clock.instant()).thenReturn(Instant.parse("2026-03-01T09:00:00Z"));

        // when a caseworker takes the rejection back, then it is refused and nothing is published
        mvc.perform(post("/api/v1/matches/m-8/confirm").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"reason\": \"looked again\", \"version\": \"" + rejected.version() + "\"}"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("stands matched to another person (match m-2")));
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldPublishAConfirmationOnceEvenWhenItIsSentTwice() throws Exception {
        when(engine.match("m-1")).thenReturn(Optional.of(IN_REVIEW));
        when(clock.instant()).thenReturn(Instant.parse("2026-03-01T09:00:00Z"));
        when(kafka.executeInTransaction(any())).thenReturn(CompletableFuture.completedFuture(null));
        String body = "{\"reason\": \"photo and unit checked\"}";

        mvc.perform(post("/api/v1/matches/m-1/confirm").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.status").value("CONFIRMED"));
        mvc.perform(post("/api/v1/matches/m-1/confirm").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isAccepted());
        mvc.perform(post("/api/v1/matches/m-1/reject").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"caseworker\": \"cw-8\", \"reason\": \"changed my mind\"}"))
                .andExpect(status().isConflict());

        verify(kafka, times(1)).executeInTransaction(any());
    }

    @Test
    void shouldLetTheCaseworkerConfirmAgainWhenACorrectionOvertookTheFirstConfirmation() throws Exception {
        // a match of its own: the decisions bean remembers what other tests of this context submitted
        MatchView seen = new MatchView("m-3", "inq-3", "p-3", MatchStatus.REVIEW_REQUESTED, 14.5, IN_REVIEW.evidence(),
                "two strong candidates", "matcher", IN_REVIEW.decidedAt(), 1, 1_772_352_000_000L, List.of());
        when(engine.match("m-3")).thenReturn(Optional.of(seen));
        when(clock.instant()).thenReturn(Instant.parse("2026-03-01T09:00:00Z"));
        when(kafka.executeInTransaction(any())).thenReturn(CompletableFuture.completedFuture(null));
        String body = "{\"reason\": \"photo checked\"}";
        mvc.perform(post("/api/v1/matches/m-3/confirm").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isAccepted());

        // when: the inquiry was corrected (revision 2) before the confirmation was read back, so it was not applied
        MatchView corrected = new MatchView("m-3", "inq-3", "p-3", MatchStatus.REVIEW_REQUESTED, 14.5, IN_REVIEW.evidence(),
                "corrected after confirmation", "matcher", IN_REVIEW.decidedAt(), 2, 1_772_352_000_000L, List.of());
        when(engine.match("m-3")).thenReturn(Optional.of(corrected));

        // then: confirming again, on revision 2, is published, not taken for the first confirmation re-sent
        mvc.perform(post("/api/v1/matches/m-3/confirm").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.status").value("CONFIRMED"))
                .andExpect(jsonPath("$.inquiryRevision").value(2));
        verify(kafka, times(2)).executeInTransaction(any());
    }

    @Test
    void shouldRecordTheCaseworkerOfTheTokenAndIgnoreOneNamedInTheBody() throws Exception {
        // a match of its own: the decisions bean remembers what other tests of this context submitted
        when(engine.match("m-2")).thenReturn(Optional.of(IN_REVIEW));
        when(clock.instant()).thenReturn(Instant.parse("2026-03-01T09:00:00Z"));
        when(kafka.executeInTransaction(any())).thenReturn(CompletableFuture.completedFuture(null));

        mvc.perform(post("/api/v1/matches/m-2/reject").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"caseworker\": \"someone-else\", \"reason\": \"unit differs\"}"))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.decidedBy").value("cw-7"));
    }

    @Test
    void shouldRefuseAnUnknownFieldOtherThanTheIgnoredCaseworker() throws Exception {
        // given a match in review
        when(engine.match("m-3")).thenReturn(Optional.of(IN_REVIEW));

        // when a decision carries a field the form does not have, then it is refused and nothing is published
        mvc.perform(post("/api/v1/matches/m-3/confirm").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"reason\": \"checked\", \"decidedBy\": \"someone-else\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("decidedBy"));
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldAnswerNotFoundForAnUnknownMatch() throws Exception {
        when(engine.match("nope")).thenReturn(Optional.empty());

        mvc.perform(post("/api/v1/matches/nope/confirm").contentType(MediaType.APPLICATION_JSON).content("{\"caseworker\": \"cw-7\"}"))
                .andExpect(status().isNotFound());
    }
}
