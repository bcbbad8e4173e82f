package org.homecoming.reunification.inquiries;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.reunification.contactkeys.TestContactKeys;
import org.homecoming.reunification.inquiries.InquiryForm.NameForm;
import org.homecoming.reunification.inquiries.InquiryForm.RelativeForm;
import org.homecoming.reunification.inquiries.InquiryService.Registration;
import org.homecoming.testkit.MovableClock;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaOperations.OperationsCallback;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** A sought person known only by an age: the same form is the same inquiry, whatever the year it is sent in. */
class InquiryAgeTest {

    final MovableClock clock = new MovableClock(Instant.parse("2026-12-31T20:00:00Z"));
    final List<InquiryRegistered> sent = new ArrayList<>();
    final InquiryService inquiries = new InquiryService(kafka(), new InquiryBook(), clock, TestContactKeys.seal(clock),
            mock(AuditTrail.class));

    @Test
    void shouldTakeTheSameFormWithAnAgeForTheSameInquiryAfterNewYear() {
        // given a mother who said her son is 34, on New Year's Eve
        Registration first = inquiries.register(null, form(34));

        // when the hotline's tool sends the same form again two days later, and then as an update
        clock.advance(Duration.ofDays(2));
        Registration again = inquiries.register(null, form(34));
        Registration updated = inquiries.update(first.inquiryId(), form(34));

        // then it is the inquiry she registered, unchanged: no second inquiry, and no correction of the sought person
        // (a correction would reopen a pair a caseworker rejected)
        assertThat(again.inquiryId()).isEqualTo(first.inquiryId());
        assertThat(again.changed()).isFalse();
        assertThat(updated.changed()).isFalse();
        assertThat(sent).singleElement().satisfies(inquiry -> assertThat(inquiry.getSought().getBirthYear()).isEqualTo(1992));
    }

    static InquiryForm form(int age) {
        return new InquiryForm(new InquiryForm.Sought(List.of(new NameForm("Петренко", "Олександр", null)),
                null, null, age, "SOLDIER", null, null, null),
                new RelativeForm("Олена Петренко", "mother", "uk", true, "olena@example.org", null));
    }

    @SuppressWarnings("unchecked")
    KafkaTemplate<String, Object> kafka() {
        KafkaTemplate<String, Object> kafka = mock(KafkaTemplate.class);
        KafkaOperations<String, Object> operations = mock(KafkaOperations.class);
        when(operations.send(anyString(), anyString(), any())).thenAnswer(invocation -> {
            sent.add(invocation.getArgument(2));
            return CompletableFuture.completedFuture(null);
        });
        when(kafka.executeInTransaction(any())).thenAnswer(invocation ->
                invocation.<OperationsCallback<String, Object, Object>>getArgument(0).doInOperations(operations));
        return kafka;
    }
}
