package org.homecoming.platform.audit;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditEventRecorded;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.platform.security.TokenClaims;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.kafka.core.KafkaOperations.OperationsCallback;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

class AuditTrailTest {

    private static final Instant NOW = Instant.parse("2026-12-05T09:30:00Z");

    @SuppressWarnings("unchecked")
    private final KafkaTemplate<String, Object> kafka = mock(KafkaTemplate.class);
    private final AuditTrail trail = new AuditTrail(kafka, Clock.fixed(NOW, ZoneOffset.UTC), "reunification-service");

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void shouldRecordWhoDidWhatToWhichSubjectAndWhenKeyedBySubject() {
        // given a hotline operator signed in with a Keycloak token, and a producer that is not transactional
        signIn("5d0f", "hotline-3");
        when(kafka.send(any(ProducerRecord.class))).thenReturn(CompletableFuture.completedFuture(null));

        // when the read of an inquiry's contact data is recorded
        trail.recorded(AuditAction.CONTACT_DATA_READ, AuditSubject.INQUIRY, "inq-7", AuditOutcome.SUCCEEDED);

        // then one entry went to audit.events, keyed by the inquiry, naming the operator, the time and the service
        ProducerRecord<String, Object> sent = sentRecord();
        assertThat(sent.topic()).isEqualTo(Topics.AUDIT_EVENTS.name());
        assertThat(sent.key()).isEqualTo("inq-7");
        AuditEventRecorded entry = (AuditEventRecorded) sent.value();
        assertThat(entry.getPrincipal()).isEqualTo("hotline-3");
        assertThat(entry.getRecordedAt()).isEqualTo(NOW);
        assertThat(entry.getService()).isEqualTo("reunification-service");
        assertThat(entry.getAction()).isEqualTo(AuditAction.CONTACT_DATA_READ);
        assertThat(entry.getSubjectKind()).isEqualTo(AuditSubject.INQUIRY);
        assertThat(entry.getSubjectId()).isEqualTo("inq-7");
        assertThat(entry.getOutcome()).isEqualTo(AuditOutcome.SUCCEEDED);
        assertThat(entry.getAuditId()).isNotBlank();
    }

    @Test
    void shouldNameTheSystemWhenNoCallerIsSignedIn() {
        // given no signed-in caller
        when(kafka.send(any(ProducerRecord.class))).thenReturn(CompletableFuture.completedFuture(null));

        // when
        trail.recorded(AuditAction.ERASED, AuditSubject.INQUIRY, "inq-8", AuditOutcome.SUCCEEDED, "retention ended");

        // then
        AuditEventRecorded entry = (AuditEventRecorded) sentRecord().value();
        assertThat(entry.getPrincipal()).isEqualTo(AuditTrail.SYSTEM);
        assertThat(entry.getDetail()).isEqualTo("retention ended");
    }

    @Test
    void shouldWriteInsideTheCallersTransactionSoItCommitsOrAbortsWithTheAction() {
        // given a transactional producer inside the caller's transaction
        when(kafka.isTransactional()).thenReturn(true);
        when(kafka.inTransaction()).thenReturn(true);

        // when
        trail.recorded(AuditAction.MATCH_CONFIRMED, AuditSubject.MATCH, "match-1", AuditOutcome.SUCCEEDED);

        // then the entry joins that transaction: no transaction of its own
        assertThat(sentRecord().key()).isEqualTo("match-1");
        verify(kafka, never()).executeInTransaction(any());
    }

    @Test
    void shouldCommitATransactionOfItsOwnOutsideOne() {
        // given a transactional producer and no transaction open
        when(kafka.isTransactional()).thenReturn(true);
        when(kafka.executeInTransaction(any())).thenAnswer(call -> call.<OperationsCallback<String, Object, ?>>getArgument(0)
                .doInOperations(kafka));

        // when
        trail.recorded(AuditAction.PERSONAL_DATA_READ, AuditSubject.PERSON, "UA-1", AuditOutcome.SUCCEEDED);

        // then it was sent in a transaction of its own, which commits before the call returns
        verify(kafka).executeInTransaction(any());
        assertThat(sentRecord().key()).isEqualTo("UA-1");
    }

    @Test
    void shouldThrowWhenTheBrokerDoesNotTakeTheEntry() {
        // given a broker that refuses the record
        when(kafka.send(any(ProducerRecord.class)))
                .thenReturn(CompletableFuture.failedFuture(new IllegalStateException("not authorised")));

        // when / then the caller learns it, so it does not hand the data out unrecorded
        assertThatThrownBy(() -> trail.recorded(AuditAction.PERSONAL_DATA_READ, AuditSubject.PERSON, "UA-1",
                AuditOutcome.SUCCEEDED)).isInstanceOf(AuditTrail.AuditUnavailableException.class);
    }

    @SuppressWarnings("unchecked")
    private ProducerRecord<String, Object> sentRecord() {
        ArgumentCaptor<ProducerRecord<String, Object>> sent = ArgumentCaptor.forClass(ProducerRecord.class);
        verify(kafka).send(sent.capture());
        return sent.getValue();
    }

    private static void signIn(String subject, String username) {
        Jwt token = Jwt.withTokenValue("t").header("alg", "none").subject(subject)
                .claims(claims -> claims.putAll(Map.of("preferred_username", username,
                        "realm_access", Map.of("roles", List.of("hotline-operator")))))
                .issuedAt(NOW).expiresAt(NOW.plusSeconds(300)).build();
        SecurityContextHolder.getContext().setAuthentication(new TokenClaims(null, null, null).convert(token));
    }
}
