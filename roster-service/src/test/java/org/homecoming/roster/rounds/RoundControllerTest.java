package org.homecoming.roster.rounds;

import org.homecoming.platform.security.Roles;
import org.homecoming.platform.web.ProblemResponses;
import org.homecoming.roster.RecordTracing;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The round endpoints' answers to bad input (400), unknown rounds (404) and illegal changes (409). */
@WithMockUser(username = "list-officer-1", roles = Roles.LIST_OFFICER)
@WebMvcTest(controllers = RoundController.class)
@Import({ProblemResponses.class, ExchangeRounds.class, RecordTracing.class})
class RoundControllerTest {

    @Autowired
    MockMvc mvc;

    @MockitoBean
    KafkaTemplate<String, Object> kafka;

    @Test
    void shouldNameEveryProblemOfARoundAndPublishNothing() throws Exception {
        mvc.perform(post("/api/v1/rounds").contentType(MediaType.APPLICATION_JSON).content("""
                        {"roundId": "round 1", "stage": 4, "stageCount": 3, "releasingSide": "RU", "receivingSide": "RU",
                         "plannedSoldiers": -1, "plannedCivilians": 120}"""))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("roundId", "agreementReference", "stage",
                        "exchangeDate", "receivingSide", "plannedSoldiers")));
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldRefuseADateThatIsNoDate() throws Exception {
        mvc.perform(post("/api/v1/rounds").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"roundId\": \"round-1\", \"exchangeDate\": \"05.12.2026\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("exchangeDate"));
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldRefuseAnIllegalStatusChangeWith409AndTheReason() throws Exception {
        record("round-2").andExpect(status().isCreated());

        mvc.perform(post("/api/v1/rounds/round-2/status").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"status\": \"COMPLETED\"}"))
                .andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(
                        "Round round-2 is PLANNED and cannot become COMPLETED; allowed next: [IN_PROGRESS, CANCELLED]"));
    }

    @Test
    void shouldRequireAStatus() throws Exception {
        record("round-3").andExpect(status().isCreated());

        mvc.perform(post("/api/v1/rounds/round-3/status").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("status"));
    }

    @Test
    void shouldAnswer404ForAnUnknownRound() throws Exception {
        mvc.perform(get("/api/v1/rounds/round-404")).andExpect(status().isNotFound());
        mvc.perform(post("/api/v1/rounds/round-404/status").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"status\": \"IN_PROGRESS\"}"))
                .andExpect(status().isNotFound());
    }

    private ResultActions record(String roundId) throws Exception {
        return mvc.perform(post("/api/v1/rounds").contentType(MediaType.APPLICATION_JSON).content("""
                {"roundId": "%s", "agreementReference": "AGR-1", "stage": 1, "stageCount": 3,
                 "exchangeDate": "2026-12-05", "releasingSide": "RU", "receivingSide": "UA",
                 "plannedSoldiers": 270, "plannedCivilians": 120}""".formatted(roundId)));
    }
}
