package org.homecoming.reunification.inquiries;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditEventRecorded;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.reunification.contactkeys.ContactKeyVault;
import org.homecoming.reunification.contactkeys.ContactSeal;
import org.homecoming.reunification.contactkeys.TestContactKeys;
import org.homecoming.reunification.inquiries.ContactDataErasures.Reason;
import org.homecoming.testkit.MovableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaOperations.OperationsCallback;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * Who the audit trail names for an erasure, with the service's own {@link AuditedErasures} and {@link AuditTrail}: the
 * erasure's entry may be owed and written later, by another operator's request or by the retention sweep, which has no
 * caller. Kafka is replaced by what was sent, as in {@link ContactDataRetentionTest}.
 */
class AuditedErasuresTest {

    final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T08:00:00Z"));
    /** The entries the trail wrote, in order. */
    final List<AuditEventRecorded> trail = new ArrayList<>();
    /** Whether the audit trail's broker is away now: an entry sent fails. */
    boolean trailAway;
    final KafkaTemplate<String, Object> kafka = kafka();
    final ContactKeyVault vault = TestContactKeys.vault(TestContactKeys.newDirectory());
    final ContactSeal seal = new ContactSeal(vault, clock);
    final InquiryBook book = new InquiryBook();
    final InquiryService inquiries = new InquiryService(kafka, book, clock, seal, mock(AuditTrail.class));
    final InquiryErasure erasure = new InquiryErasure(inquiries, vault, new StaticListableBeanFactory(Map.of("audit",
            (ContactDataErasures) new AuditedErasures(new AuditTrail(kafka, clock, "reunification-service"))))
            .getBeanProvider(ContactDataErasures.class), clock);
    final ContactDataRetention retention = new ContactDataRetention(book, inquiries, erasure, vault, clock,
            Duration.ofDays(30), Duration.ofDays(365), Duration.ofHours(1), Duration.ofMinutes(1));

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void shouldNameTheOperatorWhoAskedWhenAnotherOperatorsRequestWritesTheOwedEntry() {
        // given: hotline-1's erasure of a withdrawn inquiry, done while the audit trail was away: its entry is owed
        String inquiryId = withdrawnInquiry();
        signedIn("hotline-1");
        trailAway = true;
        assertThatThrownBy(() -> erasure.erase(inquiryId, "hotline-1", Reason.REQUESTED))
                .isInstanceOf(AuditTrail.AuditUnavailableException.class);
        trailAway = false;

        // when: hotline-2, on the family's second call, asks again, and that request writes the entry owed
        signedIn("hotline-2");
        erasure.erase(inquiryId, "hotline-2", Reason.REQUESTED);

        // then: one entry, naming hotline-1, who erased it
        assertThat(erasures()).extracting(AuditEventRecorded::getPrincipal).as("who erased the inquiry")
                .containsExactly("hotline-1");
    }

    @Test
    void shouldNameTheOperatorWhoAskedWhenTheRetentionSweepWritesTheOwedEntry() {
        // given: hotline-1's erasure whose entry is owed (the audit trail was away)
        String inquiryId = withdrawnInquiry();
        signedIn("hotline-1");
        trailAway = true;
        assertThatThrownBy(() -> erasure.erase(inquiryId, "hotline-1", Reason.REQUESTED))
                .isInstanceOf(AuditTrail.AuditUnavailableException.class);
        trailAway = false;

        // when: the retention sweep, which runs with no caller, writes it
        SecurityContextHolder.clearContext();
        retention.sweep();

        // then: the entry names hotline-1, not the service
        assertThat(erasures()).extracting(AuditEventRecorded::getPrincipal).as("who erased the inquiry")
                .containsExactly("hotline-1");
    }

    @Test
    void shouldNameTheServiceForAnErasureItsRetentionMade() {
        // given: a withdrawn inquiry whose retention period ends, while an operator is signed in on the same thread
        String inquiryId = withdrawnInquiry();
        clock.advance(Duration.ofDays(30));
        signedIn("hotline-2");

        // when: the sweep erases it
        retention.sweep();

        // then: the entry names the service, and the retention as the cause
        assertThat(vault.isErased(inquiryId)).isTrue();
        assertThat(erasures()).extracting(AuditEventRecorded::getPrincipal).containsExactly(AuditTrail.SYSTEM);
        assertThat(erasures()).extracting(AuditEventRecorded::getDetail).containsExactly("retention period ended");
    }

    String withdrawnInquiry() {
        String inquiryId = inquiries.register(null, ContactDataRetentionTest.form("Олена Петренко", "olena@example.org"))
                .inquiryId();
        inquiries.withdraw(inquiryId);
        return inquiryId;
    }

    List<AuditEventRecorded> erasures() {
        return trail.stream().filter(entry -> entry.getAction() == AuditAction.ERASED).toList();
    }

    static void signedIn(String operator) {
        SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken(operator, null, "HOTLINE_OPERATOR"));
    }

    @SuppressWarnings("unchecked")
    KafkaTemplate<String, Object> kafka() {
        KafkaTemplate<String, Object> template = mock(KafkaTemplate.class);
        KafkaOperations<String, Object> operations = mock(KafkaOperations.class);
        when(operations.send(anyString(), anyString(), any())).thenReturn(CompletableFuture.completedFuture(null));
        when(template.executeInTransaction(any())).thenAnswer(invocation ->
                invocation.<OperationsCallback<String, Object, Object>>getArgument(0).doInOperations(operations));
        // the trail's entries: the template is not transactional here, so the trail sends each and waits for it
        when(template.send(any(ProducerRecord.class))).thenAnswer(invocation -> {
            ProducerRecord<String, Object> record = invocation.getArgument(0);
            if (trailAway) {
                return CompletableFuture.failedFuture(new IllegalStateException("broker away"));
            }
            if (record.topic().equals(Topics.AUDIT_EVENTS.name())) {
                trail.add((AuditEventRecorded) record.value());
            }
            return CompletableFuture.completedFuture(null);
        });
        return template;
    }
}
