package org.homecoming.roster.rounds;

import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.security.Roles;
import org.homecoming.platform.web.WebInputRules;
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
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
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
@Import({WebInputRules.class, ExchangeRounds.class, RecordTracing.class})
class RoundControllerTest {

    @Autowired
    MockMvc mvc;

    @MockitoBean
    KafkaTemplate<String, Object> kafka;

    @MockitoBean
    AuditTrail audit;

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
    void shouldRefuseARoundReadByAnIdNoRoundCouldHave() throws Exception {
        mvc.perform(get("/api/v1/rounds/{roundId}", "r".repeat(5_000)))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("roundId"));
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

    @Test
    void shouldRefuseAbsurdDatesStagesAndCounts() throws Exception {
        mvc.perform(post("/api/v1/rounds").contentType(MediaType.APPLICATION_JSON).content("""
                        {"roundId": "round-9", "agreementReference": "AGR-1", "stage": 2147483647, "stageCount": 2147483647,
                         "exchangeDate": "+999999999-12-31", "releasingSide": "RU", "receivingSide": "UA",
                         "plannedSoldiers": 2147483647, "plannedCivilians": 120}"""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("stageCount", "exchangeDate", "plannedSoldiers")));
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldRefuseAnOverlongOrDisguisedAgreementReference() throws Exception {
        mvc.perform(post("/api/v1/rounds").contentType(MediaType.APPLICATION_JSON).content(round("round-10",
                        "A".repeat(1_000_000))))
                .andExpect(status().isPayloadTooLarge())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(post("/api/v1/rounds").contentType(MediaType.APPLICATION_JSON).content(round("round-10",
                        "A".repeat(101))))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("agreementReference"));
        mvc.perform(post("/api/v1/rounds").contentType(MediaType.APPLICATION_JSON).content(round("round-10",
                        "AGR-\\u202E1")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("agreementReference"));
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldRefuseUnknownFieldsAndPathLikeIds() throws Exception {
        mvc.perform(post("/api/v1/rounds").contentType(MediaType.APPLICATION_JSON).content(
                        round("round-11", "AGR-1").replace("{", "{\"approvedBy\": \"me\", ")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("approvedBy"));
        mvc.perform(post("/api/v1/rounds").contentType(MediaType.APPLICATION_JSON).content(round("../../etc/passwd", "AGR-1")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("roundId"));
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldNameEveryValueThatCannotBeReadNotOnlyTheFirst() throws Exception {
        // a date in the format the release lists also accept, a side that is none, and a count written out
        mvc.perform(post("/api/v1/rounds").contentType(MediaType.APPLICATION_JSON).content(round("round-12", "AGR-1")
                        .replace("\"2026-12-05\"", "\"05.12.2026\"").replace("\"UA\"", "\"BY\"")
                        .replace("\"plannedCivilians\": 120", "\"plannedCivilians\": \"many\"")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field").value(contains("exchangeDate", "receivingSide", "plannedCivilians")))
                .andExpect(jsonPath("$.errors[1].reason").value(containsString("one of UA, RU")));
        verify(kafka, never()).executeInTransaction(any());
    }

    private static String round(String roundId, String reference) {
        return """
                {"roundId": "%s", "agreementReference": "%s", "stage": 1, "stageCount": 3, "exchangeDate": "2026-12-05",
                 "releasingSide": "RU", "receivingSide": "UA", "plannedSoldiers": 270, "plannedCivilians": 120}"""
                .formatted(roundId, reference);
    }
}
