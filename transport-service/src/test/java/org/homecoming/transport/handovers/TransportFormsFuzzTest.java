package org.homecoming.transport.handovers;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.homecoming.events.transport.PersonAdmitted;
import org.homecoming.events.transport.PersonHandedOver;
import org.homecoming.events.transport.TriageLevel;
import org.homecoming.platform.security.Roles;
import org.homecoming.platform.web.WebInputRules;
import org.homecoming.testkit.HostileInput;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Random and hostile hand-overs and admissions (jqwik generators) get 2xx or a 4xx problem+json, never a 5xx; a 4xx
 * from the form's rules never reaches the desk that publishes. Manifests and positions have the same guard in their
 * own controller tests' refusals; their forms share these rules.
 */
@WithMockUser(username = "reception-1", roles = Roles.RECEPTION_STAFF)
@WebMvcTest(HandoverController.class)
@Import(WebInputRules.class)
class TransportFormsFuzzTest {

    @Autowired
    MockMvc mvc;
    @MockitoBean
    HandoverDesk desk;
    @MockitoBean
    ArrivalConfirmation arrivals;

    @BeforeEach
    void givenADeskThatRecordsEveryValidRequest() {
        Instant at = Instant.parse("2026-11-20T12:00:00Z");
        when(desk.handOver(anyString(), anyString(), anyBoolean(), any(), anyString())).thenReturn(new HandoverDesk.Outcome<>(
                new PersonHandedOver("p-1", "bus-1", "round-1", at, true, TriageLevel.URGENT, "Chernihiv Regional Hospital", true,
                        "chernihiv-regional-hospital"), true));
        when(desk.admit(anyString(), anyString())).thenReturn(new HandoverDesk.Outcome<>(
                new PersonAdmitted("p-1", "round-1", "Chernihiv Regional Hospital", at, "chernihiv-regional-hospital"), true));
    }

    @Test
    void shouldAnswerEveryRandomHandOverWithASuccessOrAProblemNeverAFailure() throws Exception {
        Map<String, Arbitrary<String>> fields = new LinkedHashMap<>();
        fields.put("personId", Arbitraries.of("p-1", "UA-0001").map(HostileInput::quote));
        fields.put("busId", Arbitraries.of("bus-1").map(HostileInput::quote));
        fields.put("identityVerified", Arbitraries.of("true", "false"));
        fields.put("triageLevel", Arbitraries.of("\"URGENT\"", "\"MINOR\""));
        fields.put("destinationFacility", Arbitraries.of("chernihiv-regional-hospital").map(HostileInput::quote));

        for (String body : HostileInput.jsonObject(fields).sampleStream().limit(300).toList()) {
            clearInvocations(desk);
            MvcResult result = mvc.perform(post("/api/v1/handovers").contentType(MediaType.APPLICATION_JSON).content(body)).andReturn();
            if (assertSuccessOrProblem(body, result)) {
                verify(desk, never()).handOver(anyString(), anyString(), anyBoolean(), any(), anyString());
            }
        }
    }

    @Test
    void shouldAnswerEveryRandomAdmissionWithASuccessOrAProblemNeverAFailure() throws Exception {
        Map<String, Arbitrary<String>> fields = new LinkedHashMap<>();
        fields.put("personId", Arbitraries.of("p-1").map(HostileInput::quote));
        fields.put("facility", Arbitraries.of("chernihiv-regional-hospital").map(HostileInput::quote));

        for (String body : HostileInput.jsonObject(fields).sampleStream().limit(200).toList()) {
            clearInvocations(desk);
            MvcResult result = mvc.perform(post("/api/v1/admissions").contentType(MediaType.APPLICATION_JSON).content(body)).andReturn();
            if (assertSuccessOrProblem(body, result)) {
                verify(desk, never()).admit(anyString(), anyString());
            }
        }
    }

    /** True when the answer was a 4xx. */
    private static boolean assertSuccessOrProblem(String body, MvcResult result) {
        int status = result.getResponse().getStatus();
        assertThat(status).as("the answer to %s", body).isBetween(200, 499);
        if (status >= 400) {
            assertThat(result.getResponse().getContentType()).as("the answer to %s", body).startsWith("application/problem+json");
            return true;
        }
        return false;
    }
}
