package org.homecoming.roster.lists;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.events.common.Side;
import org.homecoming.events.roster.RoundStatus;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.security.Roles;
import org.homecoming.platform.web.WebInputRules;
import org.homecoming.roster.RecordTracing;
import org.homecoming.roster.RosterApplication;
import org.homecoming.roster.rounds.ExchangeRound;
import org.homecoming.roster.rounds.ExchangeRounds;
import org.homecoming.roster.rounds.RoundTransaction;
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
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Every list upload or amendment and every read of a detainee's data is on the audit trail. */
@WithMockUser(username = "list-officer-1", roles = Roles.LIST_OFFICER)
@WebMvcTest(controllers = {ReleaseListController.class, PersonController.class}, properties = RosterApplication.CONFIG_NAME)
@Import({WebInputRules.class, ReleaseListPublisher.class, ListingFence.class, ReleaseLists.class, RecordTracing.class})
class ListAuditTest {

    @Autowired
    MockMvc mvc;

    @MockitoBean
    KafkaTemplate<String, Object> kafka;

    @MockitoBean
    AuditTrail audit;

    private InlineTransactions transactions;
    private final List<Boolean> recordedInTransaction = new ArrayList<>();

    @MockitoBean
    ExchangeRounds rounds;

    @BeforeEach
    void givenAPlannedRoundAndABrokerThatCommits() {
        when(rounds.find("round-1")).thenReturn(Optional.of(new ExchangeRound("round-1", "AGR-1", 1, 3,
                LocalDate.of(2026, 12, 5), Side.RU, Side.UA, 270, 120, RoundStatus.PLANNED, Instant.EPOCH)));
        when(rounds.withRoundLocked(anyString(), any())).thenAnswer(call -> call.<Function<RoundTransaction, ?>>getArgument(1)
                .apply(new RoundTransaction(kafka, audit)));
        // the mocked broker runs the transaction's work, and the test notes which entries were written inside it
        transactions = InlineTransactions.runOn(kafka);
        doAnswer(call -> recordedInTransaction.add(transactions.isOpen()))
                .when(audit).recorded(any(), any(), any(), any(), any());
    }

    @Test
    void shouldRecordAPublicationAndAnAmendmentInTheListsTransaction() throws Exception {
        // when a list is published, then amended
        upload("list-pub", """
                [{"personId": "UA-11", "surname": "Петренко", "givenName": "Олександр", "category": "SOLDIER"}]""")
                .andExpect(status().isCreated());
        upload("list-pub", """
                [{"personId": "UA-11", "surname": "Петренко", "givenName": "Олександр", "category": "SOLDIER"},
                 {"personId": "UA-12", "surname": "Коваль", "givenName": "Іван", "category": "SOLDIER"}]""")
                .andExpect(status().isCreated());

        // then each is on the trail, by list id, written inside the transaction that published the list
        InOrder order = inOrder(audit);
        order.verify(audit).recorded(eq(AuditAction.LIST_PUBLISHED), eq(AuditSubject.RELEASE_LIST), eq("list-pub"),
                eq(AuditOutcome.SUCCEEDED), contains("version 1"));
        order.verify(audit).recorded(eq(AuditAction.LIST_AMENDED), eq(AuditSubject.RELEASE_LIST), eq("list-pub"),
                eq(AuditOutcome.SUCCEEDED), contains("version 2"));
        assertThat(recordedInTransaction).containsExactly(true, true);
    }

    @Test
    void shouldRecordARefusedUploadByItsRound() throws Exception {
        // when a list with a bad row is uploaded
        upload("list-refused", """
                [{"personId": "UA-41", "surname": "", "givenName": "Олександр", "category": "SOLDIER"}]""")
                .andExpect(status().isBadRequest());

        // then the refusal is on the trail, named by the round
        verify(audit).recorded(eq(AuditAction.LIST_PUBLISHED), eq(AuditSubject.EXCHANGE_ROUND), eq("round-1"),
                eq(AuditOutcome.REFUSED), contains("problem"));
    }

    @Test
    void shouldRecordEveryReadOfAPersonAndOfAListsEntries() throws Exception {
        // given a published list
        upload("list-read", """
                [{"personId": "UA-21", "surname": "Петренко", "givenName": "Олександр", "category": "SOLDIER"}]""")
                .andExpect(status().isCreated());

        // when a person and the list's entries are read
        mvc.perform(get("/api/v1/persons/UA-21")).andExpect(status().isOk());
        mvc.perform(get("/api/v1/rounds/round-1/lists/list-read")).andExpect(status().isOk());

        // then both reads are on the trail
        verify(audit).recorded(AuditAction.PERSONAL_DATA_READ, AuditSubject.PERSON, "UA-21", AuditOutcome.SUCCEEDED);
        verify(audit).recorded(eq(AuditAction.PERSONAL_DATA_READ), eq(AuditSubject.RELEASE_LIST), eq("list-read"),
                eq(AuditOutcome.SUCCEEDED), anyString());
    }

    @Test
    void shouldHandOutNoPersonalDataThatCannotBeRecorded() throws Exception {
        // given a published list, and an audit trail that is down
        upload("list-down", """
                [{"personId": "UA-31", "surname": "Петренко", "givenName": "Олександр", "category": "SOLDIER"}]""")
                .andExpect(status().isCreated());
        doThrow(new AuditTrail.AuditUnavailableException(AuditAction.PERSONAL_DATA_READ,
                new IllegalStateException("audit.events is unavailable"))).when(audit)
                .recorded(AuditAction.PERSONAL_DATA_READ, AuditSubject.PERSON, "UA-31", AuditOutcome.SUCCEEDED);

        // when / then the person is not handed out: 503, and the answer holds no name
        mvc.perform(get("/api/v1/persons/UA-31"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(content().string(not(containsString("Петренко"))));
    }

    private org.springframework.test.web.servlet.ResultActions upload(String listId, String entries) throws Exception {
        // each test its own list and persons: the lists' view is shared by the tests of this context
        return mvc.perform(post("/api/v1/rounds/round-1/lists").contentType(MediaType.APPLICATION_JSON)
                .content("{\"listId\": \"" + listId + "\", \"entries\": " + entries + "}"));
    }
}
