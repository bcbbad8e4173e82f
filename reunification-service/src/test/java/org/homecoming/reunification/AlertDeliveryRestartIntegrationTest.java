package org.homecoming.reunification;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.common.PersonCategory;
import org.homecoming.events.common.PersonName;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.DeliveryOutcome;
import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.events.reunification.Language;
import org.homecoming.events.reunification.Relative;
import org.homecoming.events.reunification.SoughtPerson;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.events.transport.Movement;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.TopicProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mail.javamail.JavaMailSender;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kills the delivering consumer in the middle of a batch and restarts the service: every relative still gets exactly
 * one email per alert. The first run dies at its third send (the mail sender throws something that is not a mail
 * failure, so nothing about that alert is recorded) and its context is closed; the delivery group's offsets are then
 * rewound to the beginning, as if the crash had lost every commit; a second run with a working mail server must send
 * only what the first did not, using the delivered set it rebuilds from reunification.alert-deliveries.
 *
 * <p>It starts its own contexts, so it runs alone: ReunificationIntegrationTest closes its context after its class.
 */
@ExtendWith(KafkaAndRegistry.class)
class AlertDeliveryRestartIntegrationTest {

    static final Duration TIMEOUT = Duration.ofSeconds(90);
    static final String GROUP = "reunification-delivery-restart-test";
    static final List<String> INQUIRIES = List.of("inq-restart-1", "inq-restart-2", "inq-restart-3");

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    @Test
    void shouldEmailEachAlertExactlyOnceWhenDeliveryCrashesMidBatchAndRestarts() throws Exception {
        // given: three inquiries whose persons are listed and on a bus that crossed the border, before the service runs
        createTopics();
        String[][] people = {{"Левченко", "Богдан", "1988-05-21"}, {"Ткаченко", "Оксана", "1972-10-02"}, {"Гончар", "Віктор", "1995-01-14"}};
        Language[] languages = {Language.UK, Language.RU, Language.EN};
        for (int i = 0; i < 3; i++) {
            TopicProbe.produce(Topics.INQUIRIES, INQUIRIES.get(i), inquiry(INQUIRIES.get(i), people[i], languages[i], email(i)));
            TopicProbe.produce(Topics.LISTED_PERSONS, "p-restart-" + i, ReunificationIntegrationTest.listed("p-restart-" + i,
                    people[i][0], people[i][1], LocalDate.parse(people[i][2])));
        }
        TopicProbe.produce(Topics.BUS_MANIFESTS, "bus-restart", new BusManifestRegistered("bus-restart", "round-int",
                List.of("p-restart-0", "p-restart-1", "p-restart-2"), "Kursk", "Chernihiv", Instant.now()));
        TopicProbe.produce(Topics.BUS_MOVEMENTS, "bus-restart", BusMovementDetected.newBuilder().setBusId("bus-restart")
                .setRoundId("round-int").setMovement(Movement.BORDER_CROSSED).setOccurredAt(Instant.now()).build());

        // when: the first run sends two emails and dies at the third
        try (ConfigurableApplicationContext first = start(2)) {
            CrashSwitch crash = first.getBean(CrashSwitch.class);
            assertThat(crash.crashed.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the first run reached its third send").isTrue();
        }
        assertThat(ourMessages()).as("the first run sent exactly two emails before it died").hasSize(2);
        // the broker may still count the closed consumer as a member for a moment (on a loaded machine its leave was
        // seen to come late), and a group's offsets can only be changed while it has none
        await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> rewind(GROUP));

        // then: the second run sends the rest, and nothing twice
        try (ConfigurableApplicationContext second = start(Integer.MAX_VALUE)) {
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> {
                Set<String> issued = issuedAlertIds();
                Set<String> delivered = deliveredAlertIds();
                return issued.size() >= 3 && delivered.containsAll(issued) && ourMessages().size() >= issued.size();
            });
            Set<String> issued = issuedAlertIds();
            List<MimeMessage> messages = ourMessages();
            Map<String, Long> byMessageId = messages.stream().collect(Collectors.groupingBy(AlertDeliveryRestartIntegrationTest::messageId,
                    Collectors.counting()));
            assertThat(byMessageId.keySet()).as("one email for each alert issued")
                    .isEqualTo(issued.stream().map(id -> "<" + id + "@homecoming>").collect(Collectors.toSet()));
            assertThat(byMessageId.values()).as("no alert emailed twice").containsOnly(1L);
            Map<String, Long> byRecipientAndSubject = messages.stream().collect(Collectors.groupingBy(
                    message -> recipient(message) + " | " + subject(message), Collectors.counting()));
            assertThat(byRecipientAndSubject.values()).as("each relative got each milestone once: %s", byRecipientAndSubject).containsOnly(1L);
            assertThat(TopicProbe.readAll(Topics.ALERT_DELIVERIES).stream()
                    .filter(record -> issued.contains(record.key()) && record.value().getOutcome() == DeliveryOutcome.DELIVERED)
                    .count()).as("one DELIVERED record per alert").isEqualTo(issued.size());
        }
    }

    static ConfigurableApplicationContext start(int crashAfterSends) {
        // Arguments, not builder properties: those are only defaults, and reunification.yml would override them.
        return new SpringApplicationBuilder(ReunificationApplication.class, CrashingMail.class)
                .properties(ReunificationApplication.CONFIG_NAME)
                .run("--server.port=0",
                        "--spring.jmx.enabled=false",
                        "--management.health.mail.enabled=false", // the crashing proxy hides the sender's type
                        "--spring.mail.port=" + greenMail.getSmtp().getPort(),
                        "--reunification.delivery.group-id=" + GROUP,
                        "--reunification.delivery.back-off=50ms",
                        "--test.crash-after-sends=" + crashAfterSends);
    }

    /** Simulates the process dying: the delivering thread stops at the (n+1)th send, before anything is sent or recorded. */
    @Configuration(proxyBeanMethods = false)
    static class CrashingMail {

        @Bean
        CrashSwitch crashSwitch(org.springframework.core.env.Environment environment) {
            return new CrashSwitch(environment.getRequiredProperty("test.crash-after-sends", Integer.class));
        }

        @Bean
        static BeanPostProcessor crashingMailSender(org.springframework.beans.factory.ObjectProvider<CrashSwitch> crash) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (!(bean instanceof JavaMailSender sender)) {
                        return bean;
                    }
                    return Proxy.newProxyInstance(JavaMailSender.class.getClassLoader(), new Class<?>[]{JavaMailSender.class},
                            (proxy, method, args) -> {
                                if (method.getName().equals("send")) {
                                    crash.getObject().beforeSend();
                                }
                                try {
                                    return method.invoke(sender, args);
                                } catch (InvocationTargetException e) {
                                    throw e.getCause();
                                }
                            });
                }
            };
        }
    }

    static final class CrashSwitch {
        final int sendsBeforeCrash;
        final AtomicInteger sends = new AtomicInteger();
        final CountDownLatch crashed = new CountDownLatch(1);

        CrashSwitch(int sendsBeforeCrash) {
            this.sendsBeforeCrash = sendsBeforeCrash;
        }

        void beforeSend() {
            if (sends.incrementAndGet() > sendsBeforeCrash) {
                crashed.countDown();
                throw new IllegalStateException("simulated crash of the delivering process");
            }
        }
    }

    /** As the service would at start-up; here the records go on the topics before it starts. */
    static void createTopics() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<org.apache.kafka.clients.admin.NewTopic> missing = Topics.ALL.stream()
                    .filter(topic -> !existing.contains(topic.name()))
                    .map(org.homecoming.platform.kafka.TopicProvisioning::declare).toList();
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        }
    }

    static void rewind(String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> beginning = new HashMap<>();
            for (int partition = 0; partition < Topics.ALERTS.partitions(); partition++) {
                beginning.put(new TopicPartition(Topics.ALERTS.name(), partition), new OffsetAndMetadata(0));
            }
            admin.alterConsumerGroupOffsets(group, beginning).all().get(30, TimeUnit.SECONDS);
        }
    }

    static Set<String> issuedAlertIds() {
        return TopicProbe.readAll(Topics.ALERTS).stream().filter(record -> INQUIRIES.contains(record.key()))
                .map(record -> record.value().getAlertId()).collect(Collectors.toSet());
    }

    static Set<String> deliveredAlertIds() {
        return TopicProbe.readAll(Topics.ALERT_DELIVERIES).stream()
                .filter(record -> record.value().getOutcome() == DeliveryOutcome.DELIVERED)
                .map(record -> record.key()).collect(Collectors.toSet());
    }

    static List<MimeMessage> ourMessages() {
        return Arrays.stream(greenMail.getReceivedMessages())
                .filter(message -> recipient(message).startsWith("relative-restart-")).toList();
    }

    static String email(int i) {
        return "relative-restart-" + i + "@example.org";
    }

    static InquiryRegistered inquiry(String inquiryId, String[] person, Language language, String email) {
        Instant now = Instant.now();
        return new InquiryRegistered(inquiryId, 1,
                SoughtPerson.newBuilder().setNames(List.of(new PersonName(person[0], person[1], null)))
                        .setBirthDate(LocalDate.parse(person[2])).setCategory(PersonCategory.SOLDIER).build(),
                Relative.newBuilder().setName("Synthetic relative").setRelationship("mother").setLanguage(language)
                        .setConsentGiven(true).setEmail(email).build(),
                now, now);
    }

    static String messageId(MimeMessage message) {
        return unchecked(MimeMessage::getMessageID).apply(message);
    }

    static String subject(MimeMessage message) {
        return unchecked(MimeMessage::getSubject).apply(message);
    }

    static String recipient(MimeMessage message) {
        return unchecked((MimeMessage m) -> m.getAllRecipients()[0].toString()).apply(message);
    }

    interface MessageField {
        String read(MimeMessage message) throws MessagingException;
    }

    static Function<MimeMessage, String> unchecked(MessageField field) {
        return message -> {
            try {
                return field.read(message);
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        };
    }
}
