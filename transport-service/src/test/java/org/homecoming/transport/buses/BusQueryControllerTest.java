package org.homecoming.transport.buses;

import java.util.Optional;

import org.homecoming.platform.security.Roles;
import org.homecoming.platform.web.WebInputRules;
import org.homecoming.transport.ledger.TransportLedger;
import org.homecoming.transport.movements.Trips;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** A bus read names a bus by the same id rule its manifest was registered under. */
@WithMockUser(username = "transport-officer-1", roles = Roles.TRANSPORT_OFFICER)
@WebMvcTest(BusQueryController.class)
@Import(WebInputRules.class)
class BusQueryControllerTest {

    @Autowired
    MockMvc mvc;
    @MockitoBean
    TransportLedger ledger;
    @MockitoBean
    Trips trips;

    @Test
    void shouldRefuseABusIdNoManifestCouldHaveWithoutEchoingItInTheReason() throws Exception {
        String overLong = "b".repeat(5_000);

        mvc.perform(get("/api/v1/buses/{busId}", overLong))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].field").value("busId"))
                .andExpect(jsonPath("$.detail").value(not(containsString(overLong.substring(0, 100)))))
                .andExpect(jsonPath("$.errors[0].reason").value(not(containsString(overLong.substring(0, 100)))));
        mvc.perform(get("/api/v1/buses/{busId}", "${jndi:ldap:x}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("busId"));

        verify(ledger, never()).manifest(anyString());
    }

    @Test
    void shouldAnswer404ForAWellFormedBusWithoutAManifest() throws Exception {
        when(ledger.manifest("bus-404")).thenReturn(Optional.empty());

        mvc.perform(get("/api/v1/buses/{busId}", "bus-404"))
                .andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(containsString("bus-404")));
    }
}
