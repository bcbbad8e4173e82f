package org.homecoming.reunification.inquiries;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import com.jayway.jsonpath.JsonPath;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.security.Roles;
import org.homecoming.platform.web.WebInputRules;
import org.homecoming.reunification.contactkeys.ContactKeysConfiguration;
import org.homecoming.testkit.InlineTransactions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Every read of an inquiry (with or without the relative's contact data) and every withdrawal is on the audit trail,
 * through the service's own hook ({@link AuditedInquiryReads}), not a mocked one.
 */
@WithMockUser(username = "hotline-3", roles = Roles.HOTLINE_OPERATOR)
@WebMvcTest(InquiryController.class)
@Import({InquiryService.class, InquiryFence.class, InquiryBook.class, AuditedInquiryReads.class, WebInputRules.class,
        InquiryControllerTest.FixedClock.class, ContactKeysConfiguration.class})
class InquiryAuditTest {

    @Autowired
    MockMvc mvc;

    @MockitoBean
    KafkaTemplate<String, Object> kafka;

    @MockitoBean
    AuditTrail audit;

    /** Each test its own birth date, so its inquiry is new. */
    private static final AtomicInteger NEXT_DAY = new AtomicInteger(13);

    private InlineTransactions transactions;
    private final List<Boolean> recordedInTransaction = new ArrayList<>();

    @BeforeEach
    void givenABrokerThatCommits() {
        when(kafka.send(anyString(), anyString(), any())).thenReturn(CompletableFuture.completedFuture(null));
        // the mocked broker runs the transaction's work, and the test notes which entries were written inside it
        transactions = InlineTransactions.runOn(kafka);
        doAnswer(call -> recordedInTransaction.add(transactions.isOpen()))
                .when(audit).recorded(any(), any(), any(), any(), any());
        doAnswer(call -> recordedInTransaction.add(transactions.isOpen()))
                .when(audit).recorded(any(), any(), any(), any());
    }

    @Test
    void shouldRecordEveryReadWithAndWithoutContactData() throws Exception {
        // given an inquiry
        String id = register();

        // when the hotline reads it, and a caseworker reads it
        mvc.perform(get("/api/v1/inquiries/" + id)).andExpect(status().isOk());
        mvc.perform(get("/api/v1/inquiries/" + id).with(user("cw-7").roles(Roles.CASEWORKER))).andExpect(status().isOk());

        // then both reads are on the trail, by inquiry id
        verify(audit).recorded(AuditAction.CONTACT_DATA_READ, AuditSubject.INQUIRY, id, AuditOutcome.SUCCEEDED);
        verify(audit).recorded(eq(AuditAction.PERSONAL_DATA_READ), eq(AuditSubject.INQUIRY), eq(id),
                eq(AuditOutcome.SUCCEEDED), anyString());
    }

    @Test
    void shouldHandOutNoContactDataThatCannotBeRecorded() throws Exception {
        // given an inquiry, and an audit trail that is down
        String id = register();
        doThrow(new AuditTrail.AuditUnavailableException(AuditAction.CONTACT_DATA_READ, new IllegalStateException("down")))
                .when(audit).recorded(AuditAction.CONTACT_DATA_READ, AuditSubject.INQUIRY, id, AuditOutcome.SUCCEEDED);

        // when / then the hotline gets 503 and no contact data
        mvc.perform(get("/api/v1/inquiries/" + id))
                .andExpect(status().isServiceUnavailable())
                .andExpect(content().string(not(containsString("olena@example.org"))));
    }

    @Test
    void shouldRecordAWithdrawalInItsOwnTransaction() throws Exception {
        // given an inquiry
        String id = register();
        recordedInTransaction.clear();

        // when the hotline withdraws it
        mvc.perform(delete("/api/v1/inquiries/" + id)).andExpect(status().isNoContent());

        // then the withdrawal is on the trail, written in the transaction of the tombstone
        verify(audit).recorded(AuditAction.INQUIRY_WITHDRAWN, AuditSubject.INQUIRY, id, AuditOutcome.SUCCEEDED);
        verify(kafka).send(anyString(), eq(id), isNull());
        assertThat(recordedInTransaction).containsExactly(true);
    }

    @Test
    void shouldRecordWhoRegisteredAndWhoChangedAnInquiryInTheTransactionOfTheChange() throws Exception {
        // given an inquiry the hotline registered
        String body = InquiryControllerTest.VALID.replace("1990-04-12", "1990-04-" + NEXT_DAY.getAndIncrement());
        String id = JsonPath.read(mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString(), "$.inquiryId");

        // when the hotline changes the relative's phone, the number the next alert goes to
        mvc.perform(put("/api/v1/inquiries/" + id).contentType(MediaType.APPLICATION_JSON)
                        .content(body.replace("+380501234567", "+380509999999")))
                .andExpect(status().is2xxSuccessful());

        // then both changes are on the trail, each written in the transaction of the record it names
        verify(audit).recorded(AuditAction.INQUIRY_REGISTERED, AuditSubject.INQUIRY, id, AuditOutcome.SUCCEEDED, "revision 1");
        verify(audit).recorded(AuditAction.INQUIRY_UPDATED, AuditSubject.INQUIRY, id, AuditOutcome.SUCCEEDED, "revision 2");
        assertThat(recordedInTransaction).containsExactly(true, true);
    }

    private String register() throws Exception {
        // each test its own inquiry: the service remembers the inquiries of every test of this context
        String body = InquiryControllerTest.VALID.replace("1990-04-12", "1990-04-" + NEXT_DAY.getAndIncrement());
        return JsonPath.read(mvc.perform(post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isCreated())
                .andReturn().getResponse().getContentAsString(), "$.inquiryId");
    }
}
