package org.homecoming.transport.telemetry;

import org.homecoming.platform.security.Roles;
import java.time.Instant;
import java.util.List;

import org.homecoming.platform.web.WebInputRules;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WithMockUser(username = "tracker-1", roles = Roles.TRACKER)
@WebMvcTest(PositionController.class)
@Import(WebInputRules.class)
class PositionControllerTest {

    @Autowired
    MockMvc mvc;
    @MockitoBean
    PositionIntake intake;

    @Test
    void shouldHandTheReadingsOverAsTheyWereSent() throws Exception {
        Reading expected = new Reading(52.3, 31.01, null, Instant.parse("2026-11-20T06:15:00Z"));
        when(intake.accept(eq("bus-1"), any(), eq(List.of(expected)))).thenReturn(1);

        mvc.perform(post("/api/v1/buses/bus-1/positions").contentType(MediaType.APPLICATION_JSON).content("""
                        [{"latitude": 52.3, "longitude": 31.01, "recordedAt": "2026-11-20T06:15:00Z"}]"""))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.received").value(1))
                .andExpect(jsonPath("$.published").value(1));
    }

    @Test
    void shouldAnswerProblemJsonNamingAnUnreadableTimestamp() throws Exception {
        mvc.perform(post("/api/v1/buses/bus-1/positions").contentType(MediaType.APPLICATION_JSON).content("""
                        [{"latitude": 52.3, "longitude": 31.01, "recordedAt": "yesterday at noon"}]"""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("[0].recordedAt"));

        verify(intake, never()).accept(anyString(), any(), any());
    }

    @Test
    void shouldAnswerProblemJsonForABodyThatIsNotABatch() throws Exception {
        mvc.perform(post("/api/v1/buses/bus-1/positions").contentType(MediaType.APPLICATION_JSON).content("{\"latitude\": "))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors").isArray());

        verify(intake, never()).accept(anyString(), any(), any());
    }

    @Test
    void shouldRefuseABusIdThatBreaksTheEntityIdRule() throws Exception {
        mvc.perform(post("/api/v1/buses/{busId}/positions", "${jndi:ldap:x}").contentType(MediaType.APPLICATION_JSON).content("""
                        [{"latitude": 52.3, "longitude": 31.01, "recordedAt": "2026-11-20T06:15:00Z"}]"""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("busId"));
        mvc.perform(post("/api/v1/buses/{busId}/positions", "a".repeat(10_000)).contentType(MediaType.APPLICATION_JSON).content("""
                        [{"latitude": 52.3, "longitude": 31.01, "recordedAt": "2026-11-20T06:15:00Z"}]"""))
                .andExpect(status().isBadRequest());

        verify(intake, never()).accept(anyString(), any(), any());
    }

    @Test
    void shouldRefuseAnUnknownFieldOfAReading() throws Exception {
        mvc.perform(post("/api/v1/buses/bus-1/positions").contentType(MediaType.APPLICATION_JSON).content("""
                        [{"latitude": 52.3, "longitude": 31.01, "recordedAt": "2026-11-20T06:15:00Z", "altitude": 10}]"""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("[0].altitude"));

        verify(intake, never()).accept(anyString(), any(), any());
    }
}
