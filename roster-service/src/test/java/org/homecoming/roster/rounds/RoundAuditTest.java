package org.homecoming.roster.rounds;

import java.util.ArrayList;
import java.util.List;

import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.security.Roles;
import org.homecoming.platform.web.WebInputRules;
import org.homecoming.roster.RecordTracing;
import org.homecoming.testkit.InlineTransactions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;
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
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Every round created, moved on or cancelled is on the audit trail, in the round's own transaction. */
@WithMockUser(username = "list-officer-1", roles = Roles.LIST_OFFICER)
@WebMvcTest(controllers = RoundController.class)
@Import({WebInputRules.class, ExchangeRounds.class, RecordTracing.class})
class RoundAuditTest {

    @Autowired
    MockMvc mvc;

    @MockitoBean
    KafkaTemplate<String, Object> kafka;

    @MockitoBean
    AuditTrail audit;

    private InlineTransactions transactions;
    private final List<Boolean> recordedInTransaction = new ArrayList<>();

    @BeforeEach
    void givenABrokerThatCommits() {
        // the mocked broker runs the transaction's work, and the test notes which entries were written inside it
        transactions = InlineTransactions.runOn(kafka);
        doAnswer(call -> recordedInTransaction.add(transactions.isOpen()))
                .when(audit).recorded(any(), any(), any(), any(), any());
    }

    @Test
    void shouldRecordTheCreationAndTheCancellationOfARound() throws Exception {
        // when a round is created and cancelled
        mvc.perform(post("/api/v1/rounds").contentType(MediaType.APPLICATION_JSON).content("""
                        {"roundId": "round-7", "agreementReference": "AGR-1", "stage": 1, "stageCount": 3,
                         "exchangeDate": "2026-12-05", "releasingSide": "RU", "receivingSide": "UA",
                         "plannedSoldiers": 270, "plannedCivilians": 120}"""))
                .andExpect(status().isCreated());
        changeStatus("CANCELLED");

        // then each change is on the trail, written inside the transaction that published it
        InOrder order = inOrder(audit);
        order.verify(audit).recorded(AuditAction.ROUND_CREATED, AuditSubject.EXCHANGE_ROUND, "round-7",
                AuditOutcome.SUCCEEDED, "PLANNED");
        order.verify(audit).recorded(AuditAction.ROUND_CANCELLED, AuditSubject.EXCHANGE_ROUND, "round-7",
                AuditOutcome.SUCCEEDED, "CANCELLED");
        assertThat(recordedInTransaction).containsExactly(true, true);
    }

    private void changeStatus(String status) throws Exception {
        mvc.perform(post("/api/v1/rounds/round-7/status").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"status\": \"" + status + "\"}"))
                .andExpect(status().isOk());
    }
}
