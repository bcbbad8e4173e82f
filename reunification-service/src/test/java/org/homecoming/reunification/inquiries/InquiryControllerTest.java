package org.homecoming.reunification.inquiries;

import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.security.Roles;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;

import org.homecoming.platform.web.WebInputRules;
import org.junit.jupiter.api.Test;
import org.homecoming.reunification.contactkeys.ContactKeysConfiguration;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasItem;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WithMockUser(username = "hotline-3", roles = Roles.HOTLINE_OPERATOR)
@WebMvcTest(InquiryController.class)
// a vault of its own: its tests register the same inquiry, and one withdraws it, which the vault remembers
@TestPropertySource(properties = "reunification.contact-keys.vault=${java.io.tmpdir}/homecoming-test-vaults/${random.uuid}")
@Import({InquiryService.class, InquiryFence.class, InquiryBook.class, WebInputRules.class, InquiryControllerTest.FixedClock.class, ContactKeysConfiguration.class,
        ContactDataRetention.class, InquiryErasure.class})
class InquiryControllerTest {

    static final String VALID = """
            {"sought": {"names": [{"surname": "Петренко", "givenName": "Олександр", "patronymic": "Іванович"},
                                  {"surname": "Petrenko", "givenName": "Oleksandr"}],
                        "birthDate": "1990-04-12", "category": "SOLDIER", "unit": "72nd brigade",
                        "capturePlace": "Mariupol", "captureDate": "2024-02-01"},
             "relative": {"name": "Олена Петренко", "relationship": "wife", "language": "uk", "consentGiven": true,
                          "email": "olena@example.org", "phone": "+380501234567"}}""";

    @TestConfiguration
    static class FixedClock {
        @Bean
        Clock clock() {
            return Clock.fixed(Instant.parse("2026-03-01T08:00:00Z"), ZoneOffset.UTC);
        }
    }

    @Autowired
    MockMvc mvc;

    @MockitoBean
    ContactDataAudit audit;

    @MockitoBean
    KafkaTemplate<String, Object> kafka;

    @MockitoBean
    AuditTrail auditTrail;

    @Test
    void shouldListEveryProblemOfAnInquiryAndPublishNothing() throws Exception {
        mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON).content("""
                        {"sought": {"names": [{"surname": " ", "givenName": "Олександр"}], "birthDate": "12.04.1990",
                                    "birthYear": 1800, "category": "GENERAL", "captureDate": "2099-01-01"},
                         "relative": {"name": "", "relationship": "wife", "language": "de", "consentGiven": false,
                                      "email": "olena@", "phone": "0501234567"}}"""))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder(
                        "sought.names[0].surname", "sought.birthDate", "sought.birthYear", "sought.category",
                        "sought.captureDate", "relative.name", "relative.language", "relative.consentGiven",
                        "relative.email", "relative.phone")));

        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldRenewAnInquiryForAnotherRetentionPeriodFromNow() throws Exception {
        // given an inquiry the hotline registered today (a family of its own: other tests withdraw theirs)
        when(kafka.executeInTransaction(any())).thenReturn(CompletableFuture.completedFuture(null));
        String id = com.jayway.jsonpath.JsonPath.read(mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON)
                .content(VALID.replace("olena@example.org", "renewal@example.org"))).andExpect(status().isCreated()).andReturn().getResponse().getContentAsString(), "$.inquiryId");

        // when the family says it still searches, then the inquiry is kept a year from now, under the same revision
        mvc.perform(post("/api/v1/inquiries/" + id + "/renewal"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.revision").value(1))
                .andExpect(jsonPath("$.keptUntil").value("2027-03-01T08:00:00Z"));
        // and it is not due for renewal for a long while
        mvc.perform(get("/api/v1/inquiry-renewals")).andExpect(status().isOk()).andExpect(jsonPath("$").isEmpty());
        // and an unknown inquiry cannot be renewed
        mvc.perform(post("/api/v1/inquiries/no-such-inquiry/renewal")).andExpect(status().isNotFound());
    }

    @Test
    void shouldRequireConsentAndAtLeastOneWayToReachTheRelative() throws Exception {
        mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON).content("""
                        {"sought": {"names": [{"surname": "Петренко", "givenName": "Олександр"}]},
                         "relative": {"name": "Олена", "relationship": "wife", "language": "uk"}}"""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("relative.consentGiven", "relative")));
    }

    @Test
    void shouldRequireTheSoughtPersonAndANameAndAcceptOnlyE164Phones() throws Exception {
        mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON).content("""
                        {"relative": {"name": "Olena", "relationship": "wife", "language": "en", "consentGiven": true,
                                      "phone": "+38 050 123 45 67"}}"""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("sought", "relative.phone")));
        mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON).content("""
                        {"sought": {"names": []}, "relative": {"name": "Olena", "relationship": "wife", "language": "en",
                                    "consentGiven": true, "phone": "+380501234567"}}"""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("sought.names")));
    }

    @Test
    void shouldTakeTheWholeNameAsOneStringWithTheSexInsteadOfSplitNames() throws Exception {
        // given: the hotline typed what it heard
        when(kafka.executeInTransaction(any())).thenReturn(CompletableFuture.completedFuture(null));
        String heard = """
                {"sought": {"fullName": "Петренко Олександра Іванівна", "sex": "FEMALE", "age": 35},
                 "relative": {"name": "Іван Петренко", "relationship": "father", "language": "uk", "consentGiven": true,
                              "phone": "+380501234567"}}""";

        // when
        String id = com.jayway.jsonpath.JsonPath.read(mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON).content(heard))
                .andExpect(status().isCreated())
                .andReturn().getResponse().getContentAsString(), "$.inquiryId");

        // then
        mvc.perform(get("/api/v1/inquiries/" + id))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.sought.fullName").value("Петренко Олександра Іванівна"))
                .andExpect(jsonPath("$.sought.sex").value("FEMALE"))
                .andExpect(jsonPath("$.sought.names").isEmpty());
    }

    @Test
    void shouldRefuseAnUnknownSexAndAFullNameWithoutLetters() throws Exception {
        mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON).content("""
                        {"sought": {"fullName": "1990 ---", "sex": "X"},
                         "relative": {"name": "Olena", "relationship": "wife", "language": "en", "consentGiven": true,
                                      "email": "olena@example.org"}}"""))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("sought.fullName", "sought.sex")));
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldAnswerUnreadableJsonWithAProblem() throws Exception {
        mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON).content("{\"sought\": "))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors").isArray());
    }

    @Test
    void shouldCreateAnInquiryOnceWhenTheSameRequestIsSentTwice() throws Exception {
        when(kafka.executeInTransaction(any())).thenReturn(CompletableFuture.completedFuture(null));

        String id = com.jayway.jsonpath.JsonPath.read(mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON).content(VALID))
                .andExpect(status().isCreated())
                .andExpect(header().exists("Location"))
                .andReturn().getResponse().getContentAsString(), "$.inquiryId");
        mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON).content(VALID))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.inquiryId").value(id))
                .andExpect(jsonPath("$.revision").value(1));
        mvc.perform(post("/api/v1/inquiries").header("Idempotency-Key", "hotline-call-881").contentType(MediaType.APPLICATION_JSON).content(VALID))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/v1/inquiries").header("Idempotency-Key", "hotline-call-881").contentType(MediaType.APPLICATION_JSON).content(VALID))
                .andExpect(status().isOk());

        verify(kafka, times(2)).executeInTransaction(any());
        mvc.perform(get("/api/v1/inquiries/" + id))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("OPEN"))
                .andExpect(jsonPath("$.sought.names[*].givenName", hasItem("Олександр")))
                .andExpect(jsonPath("$.relative.phone").value("+380501234567"));
    }

    @Test
    void shouldRaiseTheRevisionOnUpdateAndRefuseChangesAfterWithdrawal() throws Exception {
        when(kafka.executeInTransaction(any())).thenReturn(CompletableFuture.completedFuture(null));
        String id = com.jayway.jsonpath.JsonPath.read(mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON).content(VALID))
                .andReturn().getResponse().getContentAsString(), "$.inquiryId");

        mvc.perform(put("/api/v1/inquiries/" + id).contentType(MediaType.APPLICATION_JSON).content(VALID.replace("1990-04-12", "1990-04-13")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.revision").value(2));
        mvc.perform(delete("/api/v1/inquiries/" + id)).andExpect(status().isNoContent());

        mvc.perform(get("/api/v1/inquiries/" + id)).andExpect(jsonPath("$.status").value("WITHDRAWN"))
                .andExpect(jsonPath("$.relative").doesNotExist());
        mvc.perform(put("/api/v1/inquiries/" + id).contentType(MediaType.APPLICATION_JSON).content(VALID))
                .andExpect(status().isConflict());
        mvc.perform(get("/api/v1/inquiries/unknown")).andExpect(status().isNotFound());
    }

    @Test
    void shouldShowContactDataOnlyToTheHotlineAndRecordEachSuchRead() throws Exception {
        // given an inquiry the hotline registered
        when(kafka.executeInTransaction(any())).thenReturn(CompletableFuture.completedFuture(null));
        String id = com.jayway.jsonpath.JsonPath.read(mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON).content(VALID))
                .andReturn().getResponse().getContentAsString(), "$.inquiryId");

        // when a caseworker reads it, then the relative's name, e-mail and phone are withheld and no read is recorded
        mvc.perform(get("/api/v1/inquiries/" + id).with(user("cw-7").roles(Roles.CASEWORKER)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.sought.names[0].surname").value("Петренко"))
                .andExpect(jsonPath("$.relative.relationship").value("wife"))
                .andExpect(jsonPath("$.relative.name").doesNotExist())
                .andExpect(jsonPath("$.relative.email").doesNotExist())
                .andExpect(jsonPath("$.relative.phone").doesNotExist());
        verify(audit, never()).contactDataRead(any(), any());
        verify(audit).inquiryRead(id, "cw-7");

        // when the hotline reads it, then it sees them, and the read is recorded with who read
        mvc.perform(get("/api/v1/inquiries/" + id).with(user("hotline-3").roles(Roles.HOTLINE_OPERATOR)))
                .andExpect(jsonPath("$.relative.email").value("olena@example.org"));
        verify(audit).contactDataRead(id, "hotline-3");
    }

    @Test
    void shouldRefuseMoreThanTenNamesOfTheSoughtPerson() throws Exception {
        String name = "{\"surname\": \"Петренко\", \"givenName\": \"Олександр\"}";
        for (int count : new int[]{11, 3_000}) {
            mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON)
                            .content(VALID.replaceFirst("\"names\": \\[", "\"names\": [" + (name + ",").repeat(count - 1))))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("sought.names")));
        }
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldRefuseAddressesNoMailOrPhoneCanReach() throws Exception {
        for (String email : new String[]{"a,b@example.invalid", "Olena <olena@example.org>", "olena@localhost", "olena@@example.org",
                "\\\"o l\\\"@example.org"}) {
            mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON)
                            .content(VALID.replace("olena@example.org", email)))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("relative.email")));
        }
        for (String phone : new String[]{"+380001234567", "+999123456789", "+38050123456789"}) {
            mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON)
                            .content(VALID.replace("+380501234567", phone)))
                    .andExpect(status().isBadRequest())
                    .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("relative.phone")));
        }
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldRefuseHiddenCharactersUnknownFieldsAndAbsurdDates() throws Exception {
        mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON)
                        .content(VALID.replace("\"Петренко\", \"givenName\": \"Олександр\", \"patronymic\"",
                                "\"Петренко\\u202E\", \"givenName\": \"Олек\\u200Dсандр\", \"patronymic\"")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("sought.names[0].surname", "sought.names[0].givenName")));
        mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON)
                        .content(VALID.replace("\"Олена Петренко\"", "\"Олена\\u0000\"")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("relative.name"));
        mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON)
                        .content(VALID.replace("\"wife\",", "\"wife\", \"isAdmin\": true,")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("relative.isAdmin"));
        mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON)
                        .content(VALID.replace("2024-02-01", "-999999999-01-01").replace("1990-04-12", "+999999999-12-31")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[*].field", containsInAnyOrder("sought.birthDate", "sought.captureDate")));
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldAnswer413ToAnInquiryOverTheBodyLimitAnd400ToABadId() throws Exception {
        mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON)
                        .content(VALID.replace("72nd brigade", "x".repeat(1_100_000))))
                .andExpect(status().isPayloadTooLarge())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(get("/api/v1/inquiries/{id}", "${jndi:ldap:evil.example}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].field").value("inquiryId"));
        verify(kafka, never()).executeInTransaction(any());
    }
}
