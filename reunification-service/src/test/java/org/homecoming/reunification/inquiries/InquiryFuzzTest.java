package org.homecoming.reunification.inquiries;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.security.Roles;
import org.homecoming.platform.web.WebInputRules;
import org.homecoming.testkit.HostileInput;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;
import org.homecoming.reunification.contactkeys.ContactKeysConfiguration;
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
import static org.mockito.Mockito.when;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/** Random and hostile inquiries (jqwik generators) get 2xx or a 4xx problem+json, never a 5xx; a 4xx publishes nothing. */
@WithMockUser(username = "hotline-3", roles = Roles.HOTLINE_OPERATOR)
@WebMvcTest(InquiryController.class)
@Import({InquiryService.class, InquiryFence.class, InquiryBook.class, WebInputRules.class, InquiryControllerTest.FixedClock.class, ContactKeysConfiguration.class})
class InquiryFuzzTest {

    @Autowired
    MockMvc mvc;
    @MockitoBean
    KafkaTemplate<String, Object> kafka;

    @MockitoBean
    AuditTrail auditTrail;

    @BeforeEach
    void givenABrokerThatTakesEveryRecord() {
        when(kafka.executeInTransaction(any())).thenReturn(CompletableFuture.completedFuture(null));
    }

    @Test
    void shouldAnswerEveryRandomInquiryWithASuccessOrAProblemNeverAFailure() throws Exception {
        Map<String, Arbitrary<String>> name = new LinkedHashMap<>();
        name.put("surname", Arbitraries.of("Петренко", "Petrenko").map(HostileInput::quote));
        name.put("givenName", Arbitraries.of("Олександр", "Oleksandr").map(HostileInput::quote));
        name.put("patronymic", Arbitraries.of("Іванович").map(HostileInput::quote));
        Map<String, Arbitrary<String>> sought = new LinkedHashMap<>();
        sought.put("names", HostileInput.jsonArray(HostileInput.jsonObject(name), 12));
        sought.put("birthDate", Arbitraries.of("1990-04-12", "1975-01-31").map(HostileInput::quote));
        sought.put("birthYear", Arbitraries.of("1990"));
        sought.put("category", Arbitraries.of("\"SOLDIER\"", "\"CIVILIAN\""));
        sought.put("captureDate", Arbitraries.of("2024-02-01").map(HostileInput::quote));
        Map<String, Arbitrary<String>> relative = new LinkedHashMap<>();
        relative.put("name", Arbitraries.of("Олена Петренко").map(HostileInput::quote));
        relative.put("relationship", Arbitraries.of("wife", "mother").map(HostileInput::quote));
        relative.put("language", Arbitraries.of("\"uk\"", "\"ru\"", "\"en\""));
        relative.put("consentGiven", Arbitraries.of("true"));
        relative.put("email", Arbitraries.of("olena@example.org").map(HostileInput::quote));
        relative.put("phone", Arbitraries.of("+380501234567").map(HostileInput::quote));
        Map<String, Arbitrary<String>> inquiry = new LinkedHashMap<>();
        inquiry.put("sought", HostileInput.jsonObject(sought));
        inquiry.put("relative", HostileInput.jsonObject(relative));

        for (String body : HostileInput.jsonObject(inquiry).sampleStream().limit(300).toList()) {
            Mockito.clearInvocations(kafka);
            MvcResult result = mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON).content(body)).andReturn();
            int status = result.getResponse().getStatus();
            assertThat(status).as("the answer to %s", body).isBetween(200, 499);
            if (status >= 400) {
                assertThat(result.getResponse().getContentType()).as("the answer to %s", body).startsWith("application/problem+json");
                verify(kafka, never()).executeInTransaction(any());
            }
        }
    }
}
