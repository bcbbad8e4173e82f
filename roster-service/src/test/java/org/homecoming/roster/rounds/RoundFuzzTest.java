package org.homecoming.roster.rounds;

import java.util.LinkedHashMap;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.security.Roles;
import org.homecoming.platform.web.WebInputRules;
import org.homecoming.roster.RecordTracing;
import org.homecoming.roster.RosterApplication;
import org.homecoming.testkit.HostileInput;
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
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/** Random and hostile rounds (jqwik generators) get 2xx or a 4xx problem+json, never a 5xx; a 4xx publishes nothing. */
@WithMockUser(username = "list-officer-1", roles = Roles.LIST_OFFICER)
@WebMvcTest(controllers = RoundController.class, properties = RosterApplication.CONFIG_NAME)
@Import({WebInputRules.class, ExchangeRounds.class, RecordTracing.class})
class RoundFuzzTest {

    @Autowired
    MockMvc mvc;
    @MockitoBean
    KafkaTemplate<String, Object> kafka;

    @MockitoBean
    AuditTrail audit;

    @Test
    void shouldAnswerEveryRandomRoundWithASuccessOrAProblemNeverAFailure() throws Exception {
        Map<String, Arbitrary<String>> fields = new LinkedHashMap<>();
        fields.put("roundId", Arbitraries.of("round-1", "round-2", "stage-3.ru_ua").map(HostileInput::quote));
        fields.put("agreementReference", Arbitraries.of("AGR-1", "Istanbul 2026").map(HostileInput::quote));
        fields.put("stage", Arbitraries.integers().between(1, 3).map(String::valueOf));
        fields.put("stageCount", Arbitraries.integers().between(1, 5).map(String::valueOf));
        fields.put("exchangeDate", Arbitraries.of("2026-12-05", "2027-01-15").map(HostileInput::quote));
        fields.put("releasingSide", Arbitraries.of("\"RU\"", "\"UA\""));
        fields.put("receivingSide", Arbitraries.of("\"UA\"", "\"RU\""));
        fields.put("plannedSoldiers", Arbitraries.integers().between(0, 500).map(String::valueOf));
        fields.put("plannedCivilians", Arbitraries.integers().between(0, 500).map(String::valueOf));

        for (String body : HostileInput.jsonObject(fields).sampleStream().limit(300).toList()) {
            Mockito.clearInvocations(kafka);
            MvcResult result = mvc.perform(post("/api/v1/rounds").contentType(MediaType.APPLICATION_JSON).content(body)).andReturn();
            assertSuccessOrProblem(body, result);
            if (result.getResponse().getStatus() >= 400) {
                verify(kafka, never()).executeInTransaction(any());
            }
        }
    }

    static void assertSuccessOrProblem(String body, MvcResult result) {
        int status = result.getResponse().getStatus();
        assertThat(status).as("the answer to %s", body).isBetween(200, 499);
        if (status >= 400) {
            assertThat(result.getResponse().getContentType()).as("the answer to %s", body).startsWith("application/problem+json");
        }
    }
}
