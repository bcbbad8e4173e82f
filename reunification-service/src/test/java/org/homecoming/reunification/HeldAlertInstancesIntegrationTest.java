package org.homecoming.reunification;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.reunification.AlertChannel;
import org.homecoming.events.reunification.AlertDeliveryAttempted;
import org.homecoming.events.reunification.DeliveryOutcome;
import org.homecoming.platform.security.Roles;
import org.homecoming.reunification.alerts.HeldAlertSettlementHook;
import org.homecoming.reunification.alerts.HeldAlerts;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.TopicProbe;
import org.homecoming.testkit.TransactionPause;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Two instances of the service on one broker, and one alert held for an operator: two operators settling it at the same
 * moment, one on each instance, are not both taken. The first is paused inside its transaction (after its record was
 * sent, before the commit) while the second settles the alert on the other instance.
 *
 * <p>It starts its own contexts, so it runs alone: the other integration tests close theirs after their class.
 */
@ExtendWith(KafkaAndRegistry.class)
class HeldAlertInstancesIntegrationTest {

    static final Duration TIMEOUT = Duration.ofSeconds(120);

    @Test
    void shouldSettleAHeldAlertOnceWhenTwoOperatorsMarkItDeliveredOnTwoInstancesAtTheSameMoment() throws Exception {
        // given two instances, and an alert whose delivery outcome is unknown, held on both
        ConfigurableApplicationContext first = start();
        ConfigurableApplicationContext second = start();
        TransactionPause pause = first.getBean(TransactionPause.class);
        try {
            String alertId = "alert-held-" + UUID.randomUUID();
            TopicProbe.produce(Topics.ALERT_DELIVERIES, alertId, AlertDeliveryAttempted.newBuilder().setAlertId(alertId)
                    .setInquiryId("inquiry-held-" + UUID.randomUUID()).setAttempt(1).setChannel(AlertChannel.EMAIL)
                    .setOutcome(DeliveryOutcome.UNKNOWN).setFailureReason("interrupted in a test")
                    .setAttemptedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).setMessageId("<" + alertId + "@homecoming>").build());
            for (ConfigurableApplicationContext instance : List.of(first, second)) {
                await().atMost(TIMEOUT).ignoreExceptions().alias("the alert is held on " + instance.getId()).until(() ->
                        instance.getBean(HeldAlerts.class).held().stream().anyMatch(held -> held.getAlertId().equals(alertId)));
            }

            // when an operator on the first instance marks it delivered, and while that is inside its transaction an
            // operator on the second instance marks it too
            pause.arm();
            CompletableFuture<MockHttpServletResponse> onFirst = CompletableFuture.supplyAsync(() ->
                    markDelivered(first, alertId, "operator-first"));
            assertThat(pause.awaitPaused()).as("the first settlement reached its transaction").isTrue();
            MockHttpServletResponse onSecond = markDelivered(second, alertId, "operator-second");
            pause.release();
            MockHttpServletResponse firstAnswer = onFirst.get(60, TimeUnit.SECONDS);

            // then the second operator's mark is the alert's only settlement, and the first is answered 409
            assertThat(onSecond.getStatus()).as("the second operator: " + onSecond.getContentAsString()).isEqualTo(200);
            assertThat(firstAnswer.getStatus()).as("the first operator: " + firstAnswer.getContentAsString()).isEqualTo(409);
            List<AlertDeliveryAttempted> records = TopicProbe.readAll(Topics.ALERT_DELIVERIES).stream()
                    .filter(record -> record.key().equals(alertId)).map(ConsumerRecord::value).toList();
            assertThat(records).as("the alert's delivery records").extracting(AlertDeliveryAttempted::getOutcome)
                    .containsExactly(DeliveryOutcome.UNKNOWN, DeliveryOutcome.DELIVERED);
            assertThat(records.get(1).getDecidedBy()).isEqualTo("operator-second");
            assertThat(TopicProbe.readAll(Topics.AUDIT_EVENTS).stream().map(ConsumerRecord::value)
                    .filter(event -> alertId.equals(event.getSubjectId()) && event.getAction() == AuditAction.ALERT_MARKED_DELIVERED)
                    .toList())
                    .as("one audited settlement").hasSize(1);
            await().atMost(TIMEOUT).untilAsserted(() -> {
                assertThat(first.getBean(HeldAlerts.class).held()).noneMatch(held -> held.getAlertId().equals(alertId));
                assertThat(second.getBean(HeldAlerts.class).held()).noneMatch(held -> held.getAlertId().equals(alertId));
            });
        } finally {
            pause.release();
            second.close();
            first.close();
        }
    }

    private static MockHttpServletResponse markDelivered(ConfigurableApplicationContext instance, String alertId, String operator) {
        MockMvc mvc = TwoInstancesIntegrationTest.mvc(instance);
        try {
            return mvc.perform(post("/api/v1/alerts/" + alertId + "/delivered").with(user(operator).roles(Roles.HOTLINE_OPERATOR)))
                    .andReturn().getResponse();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(ReunificationApplication.class, PauseInsideTheSettlement.class)
                .properties(ReunificationApplication.CONFIG_NAME)
                .run("--server.port=0", "--spring.jmx.enabled=false", "--reunification.retention.first-sweep-after=PT1H");
    }

    /** Registered as a source of these contexts only: the next settlement, once armed, waits inside its transaction. */
    static class PauseInsideTheSettlement {
        @Bean
        TransactionPause transactionPause() {
            return new TransactionPause();
        }

        @Bean
        HeldAlertSettlementHook pauseInsideTheSettlement(TransactionPause pause) {
            return pause::pauseIfArmed;
        }
    }
}
