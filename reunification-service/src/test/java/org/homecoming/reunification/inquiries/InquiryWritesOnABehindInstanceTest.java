package org.homecoming.reunification.inquiries;

import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.security.Roles;
import org.homecoming.platform.web.WebInputRules;
import org.homecoming.reunification.contactkeys.ContactKeysConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

import static org.hamcrest.Matchers.containsString;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * An instance whose view of the inquiries topic is behind (another instance wrote a moment ago, and this one has not
 * read it in the time a request waits) changes nothing: a write decided on that view would republish an old revision,
 * register again an inquiry withdrawn elsewhere, or destroy an inquiry's key without its tombstone.
 */
@WithMockUser(username = "hotline-3", roles = Roles.HOTLINE_OPERATOR)
@WebMvcTest({InquiryController.class, InquiryErasureController.class})
@Import({InquiryService.class, InquiryFence.class, InquiryBook.class, InquiryErasure.class, WebInputRules.class, InquiryControllerTest.FixedClock.class,
        ContactKeysConfiguration.class, InquiryWritesOnABehindInstanceTest.BehindView.class})
class InquiryWritesOnABehindInstanceTest {

    @TestConfiguration
    static class BehindView {
        /** Another instance wrote every inquiry a moment ago, and this one has not read it yet. */
        @Bean
        InquiryReads behind() {
            return inquiryId -> false;
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
    void shouldRegisterNothingAndAskTheCallerToRetry() throws Exception {
        expectRetryLater(mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON).content(InquiryControllerTest.VALID)));
    }

    @Test
    void shouldNeitherUpdateNorWithdrawNorEraseAnInquiryItMayNotHaveReadAsItIs() throws Exception {
        expectRetryLater(mvc.perform(put("/api/v1/inquiries/inq-elsewhere").contentType(MediaType.APPLICATION_JSON)
                .content(InquiryControllerTest.VALID)));
        expectRetryLater(mvc.perform(delete("/api/v1/inquiries/inq-elsewhere")));
        expectRetryLater(mvc.perform(post("/api/v1/inquiries/inq-elsewhere/erasure")));
    }

    private void expectRetryLater(ResultActions answer) throws Exception {
        answer.andExpect(status().isServiceUnavailable())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(header().string("Retry-After", InquiryNotReadYetAnswer.RETRY_AFTER_SECONDS))
                .andExpect(jsonPath("$.detail", containsString("nothing was done, try again shortly")));
        verify(kafka, never()).executeInTransaction(any());
        verify(kafka, never()).send(any(String.class), any(), any());
    }
}
