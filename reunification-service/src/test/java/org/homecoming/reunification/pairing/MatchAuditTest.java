package org.homecoming.reunification.pairing;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.security.Roles;
import org.homecoming.platform.web.WebInputRules;
import org.homecoming.testkit.InlineTransactions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Every caseworker decision is on the audit trail, in the transaction that publishes it. */
@WithMockUser(username = "cw-7", roles = Roles.CASEWORKER)
@WebMvcTest(MatchController.class)
@Import({CaseworkerDecisions.class, WebInputRules.class})
class MatchAuditTest {

    @Autowired
    MockMvc mvc;

    @MockitoBean
    MatchBook engine;

    @MockitoBean
    KafkaTemplate<String, Object> kafka;

    @MockitoBean
    Clock clock;

    @MockitoBean
    AuditTrail audit;

    private InlineTransactions transactions;
    private final List<Boolean> recordedInTransaction = new ArrayList<>();

    @BeforeEach
    void givenABrokerThatCommits() {
        when(clock.instant()).thenReturn(Instant.parse("2026-03-01T09:00:00Z"));
        when(kafka.send(anyString(), anyString(), any())).thenReturn(CompletableFuture.completedFuture(null));
        // the mocked broker runs the transaction's work, and the test notes which entries were written inside it
        transactions = InlineTransactions.runOn(kafka);
        doAnswer(call -> recordedInTransaction.add(transactions.isOpen()))
                .when(audit).recorded(any(), any(), any(), any(), any());
    }

    @Test
    void shouldRecordAConfirmationAndARejectionWithTheirMatch() throws Exception {
        // given two matches in review
        when(engine.match("m-11")).thenReturn(Optional.of(inReview("m-11")));
        when(engine.match("m-12")).thenReturn(Optional.of(inReview("m-12")));

        // when a caseworker confirms one and rejects the other
        mvc.perform(post("/api/v1/matches/m-11/confirm").contentType(MediaType.APPLICATION_JSON)
                .content("{\"reason\": \"photo checked\"}")).andExpect(status().isAccepted());
        mvc.perform(post("/api/v1/matches/m-12/reject").contentType(MediaType.APPLICATION_JSON)
                .content("{\"reason\": \"unit differs\"}")).andExpect(status().isAccepted());

        // then both decisions are on the trail, by match id, each inside the transaction of its decision
        verify(audit).recorded(AuditAction.MATCH_CONFIRMED, AuditSubject.MATCH, "m-11", AuditOutcome.SUCCEEDED,
                "inquiry inq-1, person p-1");
        verify(audit).recorded(AuditAction.MATCH_REJECTED, AuditSubject.MATCH, "m-12", AuditOutcome.SUCCEEDED,
                "inquiry inq-1, person p-1");
        assertThat(recordedInTransaction).containsExactly(true, true);
    }

    private static MatchView inReview(String matchId) {
        MatchView review = MatchControllerTest.IN_REVIEW;
        return new MatchView(matchId, review.inquiryId(), review.personId(), review.status(), review.score(),
                review.evidence(), review.reason(), review.decidedBy(), review.decidedAt(), review.inquiryRevision(),
                review.personVersion(), review.competing());
    }
}
