package org.homecoming.roster.lists;

import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.security.Roles;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.function.Function;

import org.homecoming.events.common.Side;
import org.homecoming.events.roster.RoundStatus;
import org.homecoming.platform.web.WebInputRules;
import org.homecoming.roster.RecordTracing;
import org.homecoming.roster.RosterApplication;
import org.homecoming.roster.rounds.ExchangeRound;
import org.homecoming.roster.rounds.ExchangeRounds;
import org.homecoming.roster.rounds.RoundTransaction;
import org.homecoming.synthetic.lists.ListCsv;
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

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The list endpoints' answers to bad input: 400 problem+json naming every problem, and nothing sent to Kafka. */
@WithMockUser(username = "list-officer-1", roles = Roles.LIST_OFFICER)
@WebMvcTest(controllers = {ReleaseListController.class, PersonController.class}, properties = RosterApplication.CONFIG_NAME)
@Import({WebInputRules.class, ReleaseListPublisher.class, ListingFence.class, ReleaseLists.class, RecordTracing.class})
class ReleaseListControllerTest {

    static final String HEADER = ListCsv.HEADER;

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
        when(rounds.find("round-unknown")).thenReturn(Optional.empty());
        when(rounds.withRoundLocked(anyString(), any())).thenAnswer(call -> call.<Function<RoundTransaction, ?>>getArgument(1)
                .apply(new RoundTransaction(kafka, audit)));
    }

    @Test
    void shouldNameEveryBadRowOfACsvList() throws Exception {
        String csv = HEADER
                + "UA-1,Петренко,Олександр,,,,,1990-13-01,SOLDIER,,,\n"
                + "UA-2,,Іван,,,,,,CIVILIAN,,,\n"
                + "UA-1,Мельник,Петро,,,,,,GENERAL,,,\n";

        mvc.perform(post("/api/v1/rounds/round-1/lists").param("listId", "list-1").contentType("text/csv")
                        .content(csv.getBytes(StandardCharsets.UTF_8)))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors", hasSize(4)))
                .andExpect(jsonPath("$.errors[*].row", containsInAnyOrder(2, 3, 4, 4)))
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("birthDate", "surname", "personId", "category")));
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldRequireTheListIdOfACsvList() throws Exception {
        mvc.perform(post("/api/v1/rounds/round-1/lists").contentType("text/csv")
                        .content((HEADER + "UA-1,Петренко,Олександр,,,,,,SOLDIER,,,\n").getBytes(StandardCharsets.UTF_8)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("listId"));
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldNameTheHeaderProblemsOfACsvList() throws Exception {
        mvc.perform(post("/api/v1/rounds/round-1/lists").param("listId", "list-1").contentType("text/csv")
                        .content("personId;surname;givenName\nUA-1;Петренко;Олександр\n".getBytes(StandardCharsets.UTF_8)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].row").value(1))
                .andExpect(jsonPath("$.errors[0].field").value("column 1"));
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldNameEntriesByTheirJsonPath() throws Exception {
        mvc.perform(post("/api/v1/rounds/round-1/lists").contentType(MediaType.APPLICATION_JSON).content("""
                        {"listId": "list-1", "entries": [
                          {"personId": "UA-1", "surname": "Петренко", "givenName": "Олександр", "category": "SOLDIER"},
                          {"personId": "UA-2", "surname": "Коваль", "givenName": "Іван", "category": "SOLDIER", "birthDate": "12/04/1990"}
                        ]}"""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].row").value(2))
                .andExpect(jsonPath("$.errors[0].field").value("entries[1].birthDate"));
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldRefuseAJsonListOfMoreThanTheMostPersonsAsOneProblem() throws Exception {
        // given: one entry more than a list may hold, each an empty object (three bytes an entry: within the body limit,
        // millions of them would each be held and answered before)
        String entries = String.join(",", java.util.Collections.nCopies(ListUpload.MAX_ROWS + 1, "{}"));

        mvc.perform(post("/api/v1/rounds/round-1/lists").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"listId\": \"list-1\", \"entries\": [" + entries + "]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors", hasSize(1)))
                .andExpect(jsonPath("$.errors[0].field").value("entries"))
                .andExpect(jsonPath("$.errors[0].reason", containsString("more than 10000 persons")))
                .andExpect(jsonPath("$.errorsNotListed").doesNotExist());
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldNameEveryProblemOfAJsonListWhoseEntriesAreNotAList() throws Exception {
        mvc.perform(post("/api/v1/rounds/round-1/lists").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"listId\": \"list-1\", \"releasingSide\": \"XX\", \"entries\": {}}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("releasingSide", "entries")));
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldNameAJsonEntryThatIsNotAnObjectByItsPosition() throws Exception {
        mvc.perform(post("/api/v1/rounds/round-1/lists").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"listId\": \"list-1\", \"entries\": [{\"personId\": \"UA-1\"}, \"UA-2\"]}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("entries[1]"));
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldRefuseACsvHeaderOfThousandsOfColumnsAsOneProblem() throws Exception {
        // given: a header line of 100,000 unknown columns (before: 100,000 "unknown column" problems, all built before
        // the first 100 were answered)
        byte[] csv = ("x,".repeat(100_000) + "personId\nUA-1\n").getBytes(StandardCharsets.UTF_8);

        mvc.perform(post("/api/v1/rounds/round-1/lists").param("listId", "list-1").contentType("text/csv").content(csv))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors", hasSize(1)))
                .andExpect(jsonPath("$.errors[0].row").value(1))
                .andExpect(jsonPath("$.errors[0].reason", containsString("more than 64 fields")))
                .andExpect(jsonPath("$.errorsNotListed").doesNotExist());
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldRefuseACsvListOfMoreThanTheMostPersonsAsOneProblem() throws Exception {
        // given: the header and one row more than a list may hold, each a bare line break's worth of text
        byte[] csv = (HEADER + "x\n".repeat(ListUpload.MAX_ROWS + 1)).getBytes(StandardCharsets.UTF_8);

        mvc.perform(post("/api/v1/rounds/round-1/lists").param("listId", "list-1").contentType("text/csv").content(csv))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors", hasSize(1)))
                .andExpect(jsonPath("$.errors[0].field").value("body"))
                .andExpect(jsonPath("$.errors[0].reason", containsString("more than 10000 persons")));
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldRefuseAListForAnUnknownRound() throws Exception {
        mvc.perform(post("/api/v1/rounds/round-unknown/lists").contentType(MediaType.APPLICATION_JSON).content("""
                        {"listId": "list-1", "entries": [
                          {"personId": "UA-1", "surname": "Петренко", "givenName": "Олександр", "category": "SOLDIER"}]}"""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("roundId"));
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldRefuseAReleasingSideThatIsNoSide() throws Exception {
        mvc.perform(post("/api/v1/rounds/round-1/lists").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"listId\": \"list-1\", \"releasingSide\": \"BY\", \"entries\": []}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("releasingSide"));
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldRefuseReadsByAnIdNoEntryCouldHaveWithoutEchoingItInTheReason() throws Exception {
        String overLong = "p".repeat(5_000);
        mvc.perform(get("/api/v1/persons/{personId}", overLong))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("personId"))
                .andExpect(jsonPath("$.detail").value(not(containsString(overLong.substring(0, 100)))))
                .andExpect(jsonPath("$.errors[0].reason").value(not(containsString(overLong.substring(0, 100)))));
        mvc.perform(get("/api/v1/rounds/{roundId}/lists/{listId}", "round-1", "list 1 (final)"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("listId"));
        mvc.perform(get("/api/v1/rounds/{roundId}/lists", "r".repeat(65)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("roundId"));

        verifyNoInteractions(audit);
    }

    @Test
    void shouldAnswer404ForAPersonNoListHeld() throws Exception {
        mvc.perform(get("/api/v1/persons/UA-404"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void shouldAnswer413ToAListOverTheListEndpointsLimit() throws Exception {
        byte[] huge = new byte[17 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) 'a');

        mvc.perform(post("/api/v1/rounds/round-1/lists").param("listId", "list-1").contentType("text/csv").content(huge))
                .andExpect(status().isPayloadTooLarge())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldReadATenThousandRowListWithinTheLimit() throws Exception {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 1; i <= 10_000; i++) {
            csv.append("UA-").append(i).append(",Петренко,Олександр,Іванович,Petrenko,Oleksandr,Ivanovych,1990-04-12,SOLDIER,")
                    .append("в/ч А0000,\"Вовчанськ, Харківська обл.\",2024-06-03\n");
        }

        // round-1 plans 270 soldiers: the whole list was read and checked, and only the total is refused
        mvc.perform(post("/api/v1/rounds/round-1/lists").param("listId", "list-1").contentType("text/csv")
                        .content(csv.toString().getBytes(StandardCharsets.UTF_8)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors", hasSize(1)))
                .andExpect(jsonPath("$.errors[0].field").value("category"));
    }

    @Test
    void shouldListTheFirstHundredErrorsAndCountTheRest() throws Exception {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 1; i <= 3_000; i++) {
            csv.append("UA-").append(i).append(",,,,,,,,,,,\n");
        }

        mvc.perform(post("/api/v1/rounds/round-1/lists").param("listId", "list-1").contentType("text/csv")
                        .content(csv.toString().getBytes(StandardCharsets.UTF_8)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors", hasSize(100)))
                .andExpect(jsonPath("$.errorsNotListed").value(3 * 3_000 - 100));
    }

    @Test
    void shouldKeepTheAnswerToAHugeHeaderSmall() throws Exception {
        String header = "x,".repeat(100_000) + "personId\n";

        String answer = mvc.perform(post("/api/v1/rounds/round-1/lists").param("listId", "list-1").contentType("text/csv")
                        .content(header.getBytes(StandardCharsets.UTF_8)))
                .andExpect(status().isBadRequest())
                .andReturn().getResponse().getContentAsString();

        org.assertj.core.api.Assertions.assertThat(answer.length()).isLessThan(64 * 1024);
    }

    @Test
    void shouldReportAnEmptyCsvAsAnEmptyCsv() throws Exception {
        mvc.perform(post("/api/v1/rounds/round-1/lists").param("listId", "list-1").contentType("text/csv"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].reason").value(org.hamcrest.Matchers.startsWith("is empty")));
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldRefuseHiddenCharactersInNamesAndNulAnywhere() throws Exception {
        mvc.perform(post("/api/v1/rounds/round-1/lists").param("listId", "list-1").contentType("text/csv")
                        .content((HEADER + "UA-1,Петренко\u202E,Олек\u200Bсандр,,,,,,SOLDIER,,,\n").getBytes(StandardCharsets.UTF_8)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("surname", "givenName")));
        mvc.perform(post("/api/v1/rounds/round-1/lists").param("listId", "list-1").contentType("text/csv")
                        .content((HEADER + "UA-1,Петренко,Олександр,,,,,,SOLDIER,\u0000,,\n").getBytes(StandardCharsets.UTF_8)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].reason").value(org.hamcrest.Matchers.containsString("NUL")));
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldRefuseAnUnknownFieldOfAJsonEntry() throws Exception {
        mvc.perform(post("/api/v1/rounds/round-1/lists").contentType(MediaType.APPLICATION_JSON).content("""
                        {"listId": "list-1", "entries": [
                          {"personId": "UA-1", "surname": "Петренко", "givenName": "Олександр", "category": "SOLDIER", "rank": "general"}]}"""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("entries[0].rank"));
        verify(kafka, never()).executeInTransaction(any());
    }
}
