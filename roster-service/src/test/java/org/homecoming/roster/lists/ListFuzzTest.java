package org.homecoming.roster.lists;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
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
import org.homecoming.synthetic.lists.ListCsv;
import org.homecoming.testkit.HostileInput;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/** Random and hostile release lists, as JSON and CSV, get 2xx or a 4xx problem+json, never a 5xx; a 4xx publishes nothing. */
@WithMockUser(username = "list-officer-1", roles = Roles.LIST_OFFICER)
@WebMvcTest(controllers = {ReleaseListController.class, PersonController.class}, properties = RosterApplication.CONFIG_NAME)
@Import({WebInputRules.class, ReleaseListPublisher.class, ListingFence.class, ReleaseLists.class, RecordTracing.class})
class ListFuzzTest {

    @Autowired
    MockMvc mvc;
    @MockitoBean
    KafkaTemplate<String, Object> kafka;

    @MockitoBean
    AuditTrail audit;
    @MockitoBean
    ExchangeRounds rounds;

    @BeforeEach
    void givenAPlannedRound() {
        when(rounds.find("round-1")).thenReturn(Optional.of(new ExchangeRound("round-1", "AGR-1", 1, 3,
                LocalDate.of(2026, 12, 5), Side.RU, Side.UA, 270, 120, RoundStatus.PLANNED, Instant.EPOCH)));
        when(rounds.withRoundLocked(anyString(), any())).thenAnswer(call -> call.<Function<RoundTransaction, ?>>getArgument(1)
                .apply(new RoundTransaction(kafka, audit)));
    }

    @Test
    void shouldAnswerEveryRandomJsonListWithASuccessOrAProblemNeverAFailure() throws Exception {
        Map<String, Arbitrary<String>> entry = new LinkedHashMap<>();
        entry.put("personId", Arbitraries.of("UA-1", "UA-2", "RU-7").map(HostileInput::quote));
        entry.put("surname", Arbitraries.of("Петренко", "Коваль").map(HostileInput::quote));
        entry.put("givenName", Arbitraries.of("Олександр", "Іван").map(HostileInput::quote));
        entry.put("birthDate", Arbitraries.of("1990-04-12", "12.04.1990").map(HostileInput::quote));
        entry.put("category", Arbitraries.of("\"SOLDIER\"", "\"CIVILIAN\""));
        Map<String, Arbitrary<String>> list = new LinkedHashMap<>();
        list.put("listId", Arbitraries.of("list-1", "list-2").map(HostileInput::quote));
        list.put("releasingSide", Arbitraries.of("\"RU\""));
        list.put("entries", HostileInput.jsonArray(HostileInput.jsonObject(entry), 5));

        for (String body : HostileInput.jsonObject(list).sampleStream().limit(300).toList()) {
            Mockito.clearInvocations(kafka);
            MvcResult result = mvc.perform(post("/api/v1/rounds/round-1/lists").contentType(MediaType.APPLICATION_JSON)
                    .content(body)).andReturn();
            assertSuccessOrProblem(body, result);
        }
    }

    @Test
    void shouldAnswerEveryRandomCsvListWithASuccessOrAProblemNeverAFailure() throws Exception {
        Arbitrary<String> field = Arbitraries.oneOf(Arbitraries.of("UA-1", "Петренко", "Олександр", "SOLDIER", "1990-04-12", ""),
                HostileInput.hostileValue());
        Arbitrary<String> csv = field.list().ofMinSize(1).ofMaxSize(13).map(fields -> String.join(",", fields))
                .list().ofMaxSize(6).map(rows -> ListCsv.HEADER + String.join("\n", rows));

        for (String body : csv.sampleStream().limit(300).toList()) {
            Mockito.clearInvocations(kafka);
            MvcResult result = mvc.perform(post("/api/v1/rounds/round-1/lists").param("listId", "list-1").contentType("text/csv")
                    .content(body.getBytes(StandardCharsets.UTF_8))).andReturn();
            assertSuccessOrProblem(body, result);
        }
    }

    private void assertSuccessOrProblem(String body, MvcResult result) {
        int status = result.getResponse().getStatus();
        assertThat(status).as("the answer to %s", body).isBetween(200, 499);
        if (status >= 400) {
            assertThat(result.getResponse().getContentType()).as("the answer to %s", body).startsWith("application/problem+json");
            verify(kafka, never()).executeInTransaction(any());
        }
    }
}
