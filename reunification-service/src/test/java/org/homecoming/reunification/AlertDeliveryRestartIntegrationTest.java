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
import org.homecoming.reunification.alerts.AlertDelivery;
import org.homecoming.reunification.alerts.HeldAlerts;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Kills the delivering consumer in the middle of a batch and restarts the service: no relative ever gets an alert twice.
 * The first run sends one email and dies at the second send, either before the message reaches the mail server or
 * right after (the mail sender throws something that is not a mail failure: the process is as good as dead between
 * the send and its outcome); its context is closed; the delivery group's offsets are then rewound to the beginning,
 * as if the crash had lost every commit. The second run, with a working mail server, rebuilds the ledger from
 * reunification.alert-deliveries: the two delivered alerts are not sent again, and the interrupted one, whose outcome
 * nobody knows, is held for an operator and not sent again either. The operator then resends it (exactly one mail)
 * or marks it delivered (no mail).
 *
 * <p>It starts its own contexts, so it runs alone: ReunificationIntegrationTest closes its context after its class.
 */
@ExtendWith(KafkaAndRegistry.class)
class AlertDeliveryRestartIntegrationTest {

    static final Duration TIMEOUT = Duration.ofSeconds(90);

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    @Test
    void shouldHoldAnAlertInterruptedMidSendAndEmailItOnceWhenAnOperatorResendsIt() throws Exception {
        // given: alerts due; the first run sends one and dies at its second send, before the mail server has the message
        Run run = new Run("before",
                new String[][]{{"Левченко", "Богдан", "1988-05-21"}, {"Ткаченко", "Оксана", "1972-10-02"}, {"Гончар", "Віктор", "1995-01-14"}});
        run.given();
        run.firstRunDies(false);
        assertThat(run.messages()).as("the first run sent exactly one email before it died").hasSize(1);
        // the broker may still count the closed consumer as a member for a moment (on a loaded machine its leave was
        // seen to come late), and a group's offsets can only be changed while it has none
        await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> rewind(run.group));

        try (ConfigurableApplicationContext second = start(run, Integer.MAX_VALUE, false)) {
            // when: the second run has read every alert again
            HeldAlerts held = second.getBean(HeldAlerts.class);
            Set<String> interrupted = run.awaitSettled(held);

            // then: nothing sent twice, nothing sent for an interrupted alert, and each is on record as UNKNOWN
            assertThat(interrupted).as("the interrupted alert is held").isNotEmpty();
            assertThat(run.byMessageId()).as("every other alert once, the interrupted ones not at all")
                    .isEqualTo(onceEach(run.issued().stream().filter(id -> !interrupted.contains(id))));
            interrupted.forEach(id -> assertThat(run.outcomes(id)).as("the records of interrupted alert %s", id)
                    .endsWith(DeliveryOutcome.SENDING, DeliveryOutcome.UNKNOWN));
            // every alert held in the ledger, this run's and those other classes on the same broker left held
            assertThat(second.getBean(io.micrometer.core.instrument.MeterRegistry.class).get("reunification.alerts.held").gauge().value())
                    .as("held alerts are counted").isEqualTo(held.held().size()).isGreaterThanOrEqualTo(interrupted.size());

            // when: an operator resends them
            interrupted.forEach(id -> held.resend(id, "test-operator"));

            // then: exactly one email for each alert, the resent ones among them, under their own Message-IDs
            await().atMost(TIMEOUT).until(() -> run.messages().size() >= run.issued().size());
            assertThat(run.byMessageId()).as("one email per alert").isEqualTo(onceEach(run.issued().stream()));
            interrupted.forEach(id -> assertThat(run.outcomes(id)).endsWith(DeliveryOutcome.SENDING, DeliveryOutcome.DELIVERED));
            assertThat(run.held(held)).as("nothing held any more").isEmpty();
            String first = interrupted.iterator().next();
            assertThatThrownBy(() -> held.resend(first, "test-operator")).as("a delivered alert is not resent")
                    .isInstanceOf(HeldAlerts.NotHeldException.class);
            assertThat(run.messages()).hasSameSizeAs(run.issued());
        }
    }

    @Test
    void shouldNeverEmailAnAlertTwiceWhenTheServiceDiesBetweenTheSendAndItsOutcome() throws Exception {
        // given: alerts due; the first run sends one and dies at its second send, right after the mail server took it
        Run run = new Run("after",
                new String[][]{{"Коваленко", "Андрій", "1979-03-11"}, {"Шевчук", "Ірина", "1983-07-30"}, {"Мельник", "Петро", "1966-12-05"}});
        run.given();
        run.firstRunDies(true);
        assertThat(run.messages().size()).as("the first run's emails, the last sent just before it died").isGreaterThanOrEqualTo(2);
        // the broker may still count the closed consumer as a member for a moment (on a loaded machine its leave was
        // seen to come late), and a group's offsets can only be changed while it has none
        await().atMost(TIMEOUT).pollInterval(Duration.ofSeconds(1)).ignoreExceptions().untilAsserted(() -> rewind(run.group));

        try (ConfigurableApplicationContext second = start(run, Integer.MAX_VALUE, false)) {
            // when: the second run has read every alert again
            HeldAlerts held = second.getBean(HeldAlerts.class);
            Set<String> interrupted = run.awaitSettled(held);

            // then: still one email per alert (the old code sent the interrupted ones again), and those are held
            assertThat(run.byMessageId()).as("one email per alert, none twice").isEqualTo(onceEach(run.issued().stream()));
            assertThat(interrupted).as("the interrupted alert is held").isNotEmpty();
            interrupted.forEach(id -> assertThat(run.outcomes(id)).endsWith(DeliveryOutcome.SENDING, DeliveryOutcome.UNKNOWN));

            // when: the operator learns from the family that they arrived, and marks them delivered
            interrupted.forEach(id -> held.markDelivered(id, "test-operator"));

            // then
            interrupted.forEach(id -> assertThat(run.outcomes(id)).endsWith(DeliveryOutcome.UNKNOWN, DeliveryOutcome.DELIVERED));
            assertThat(run.held(held)).isEmpty();
            assertThat(run.messages()).as("marking sends nothing").hasSameSizeAs(run.issued());
        }
    }

    static Map<String, Long> onceEach(java.util.stream.Stream<String> alertIds) {
        return alertIds.collect(Collectors.toMap(id -> "<" + id + "@homecoming>", id -> 1L));
    }

    /** One scenario's ids, so the two tests share the broker without meeting. */
    static final class Run {
        final String prefix;
        final String group;
        final List<String> inquiries;

        final String[][] people;

        /** Each run has people of its own: namesakes across runs would send their matches to review instead. */
        Run(String name, String[][] people) {
            this.people = people;
            this.prefix = "restart-" + name;
            this.group = "reunification-delivery-" + prefix;
            this.inquiries = List.of("inq-" + prefix + "-1", "inq-" + prefix + "-2", "inq-" + prefix + "-3");
        }

        /** Three inquiries whose persons are listed and on a bus that crossed the border, before the service runs. */
        void given() throws Exception {
            createTopics();
            Language[] languages = {Language.UK, Language.RU, Language.EN};
            List<String> persons = new java.util.ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String person = "p-" + prefix + "-" + i;
                persons.add(person);
                TopicProbe.produce(Topics.INQUIRIES, inquiries.get(i), inquiry(inquiries.get(i), people[i], languages[i], email(i)));
                TopicProbe.produce(Topics.LISTED_PERSONS, person, ReunificationIntegrationTest.listed(person,
                        people[i][0], people[i][1], LocalDate.parse(people[i][2])));
            }
            String bus = "bus-" + prefix;
            TopicProbe.produce(Topics.BUS_MANIFESTS, bus, new BusManifestRegistered(bus, "round-int", persons, "Kursk", "Chernihiv", Instant.now(), null, null));
            TopicProbe.produce(Topics.BUS_MOVEMENTS, bus, BusMovementDetected.newBuilder().setBusId(bus)
                    .setRoundId("round-int").setMovement(Movement.BORDER_CROSSED).setOccurredAt(Instant.now()).build());
        }

        /** The first run sends one email and dies at the second (before or after handing it to the mail server). */
        void firstRunDies(boolean afterTheSend) throws Exception {
            try (ConfigurableApplicationContext first = start(this, 1, afterTheSend)) {
                CrashSwitch crash = first.getBean(CrashSwitch.class);
                assertThat(crash.crashed.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("the first run reached its second send").isTrue();
            }
        }

        /**
         * Waits until the restarted delivery has read every alert again, then names the alerts held: the one the crash
         * interrupted, and any the dead first run began after it (a dead process would have sent nothing more).
         */
        Set<String> awaitSettled(HeldAlerts held) {
            await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).until(() -> issued().size() >= 3 && caughtUp());
            return held(held);
        }

        Set<String> held(HeldAlerts held) {
            return held.held().stream().filter(attempt -> inquiries.contains(attempt.getInquiryId()))
                    .map(attempt -> attempt.getAlertId()).collect(Collectors.toSet());
        }

        /** Whether the delivery group has committed past every alert of this run (handled each once more). */
        boolean caughtUp() throws Exception {
            var alerts = TopicProbe.readAll(Topics.ALERTS).stream().filter(record -> inquiries.contains(record.key())).toList();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers()))) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS);
                return alerts.stream().allMatch(alert -> {
                    OffsetAndMetadata position = committed.get(new TopicPartition(alert.topic(), alert.partition()));
                    return position != null && position.offset() > alert.offset();
                });
            }
        }

        Set<String> issued() {
            return TopicProbe.readAll(Topics.ALERTS).stream().filter(record -> inquiries.contains(record.key()))
                    .map(record -> record.value().getAlertId()).collect(Collectors.toSet());
        }

        List<DeliveryOutcome> outcomes(String alertId) {
            return TopicProbe.readAll(Topics.ALERT_DELIVERIES).stream().filter(record -> alertId.equals(record.key()))
                    .map(record -> record.value().getOutcome()).toList();
        }

        List<MimeMessage> messages() {
            return Arrays.stream(greenMail.getReceivedMessages()).filter(message -> recipient(message).startsWith(prefix + "-")).toList();
        }

        Map<String, Long> byMessageId() {
            return messages().stream().collect(Collectors.groupingBy(AlertDeliveryRestartIntegrationTest::messageId, Collectors.counting()));
        }

        String email(int i) {
            return prefix + "-" + i + "@example.org";
        }
    }

    @Test
    void shouldStartTheSmsLaneWhereTheOneDeliveryGroupWasWhenLanesComeToARunningDeployment() throws Exception {
        // given: a deployment from before delivery had lanes: its one group read every alert, an SMS alert among them
        // (its inquiry withdrawn since), and committed past them all
        String group = "lanes-" + java.util.UUID.randomUUID();
        String inquiry = "inq-lanes-" + group;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers()))) {
            // the catalogue's topics, as a deployment has them (a test before this one may have made them already)
            admin.createTopics(org.homecoming.platform.kafka.TopicProvisioning.declareAll(-1, 0)).values().values().forEach(created -> {
                try {
                    created.get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    assertThat(e).hasCauseInstanceOf(org.apache.kafka.common.errors.TopicExistsException.class);
                }
            });
        }
        TopicProbe.produceRaw(Topics.INQUIRIES.name(), inquiry, null);
        AlertIssued handled = smsAlert(inquiry, "alert-before-lanes-" + group);
        TopicProbe.produce(Topics.ALERTS, inquiry, handled);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers()))) {
            List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.ALERTS.name())).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(Topics.ALERTS.name()).partitions().stream().map(info -> new TopicPartition(Topics.ALERTS.name(), info.partition())).toList();
            Map<TopicPartition, OffsetAndMetadata> ends = new HashMap<>();
            admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(),
                            partition -> org.apache.kafka.clients.admin.OffsetSpec.latest()))).all().get(30, TimeUnit.SECONDS)
                    .forEach((partition, end) -> ends.put(partition, new OffsetAndMetadata(end.offset())));
            admin.alterConsumerGroupOffsets(group, ends).all().get(30, TimeUnit.SECONDS);
        }

        // when: this version starts on it, and another SMS alert of the same inquiry comes (same partition, after it)
        try (ConfigurableApplicationContext lanes = start(group)) {
            AlertIssued fresh = smsAlert(inquiry, "alert-after-lanes-" + group);
            var written = TopicProbe.produce(Topics.ALERTS, inquiry, fresh);

            // then: the SMS lane delivers what came after (here: withholds it, its inquiry is withdrawn) ...
            TopicProbe.awaitProcessed(group + AlertDelivery.SMS_GROUP_SUFFIX, written, TIMEOUT);
            assertThat(outcomesOf(fresh.getAlertId())).containsExactly(DeliveryOutcome.FAILED);
            // ... and, having passed it, did not take up again on its own what the one group had handled
            assertThat(outcomesOf(handled.getAlertId())).as("the alert handled before lanes").isEmpty();
        }
    }

    @Test
    void shouldGiveANewSmsLaneAPositionOnEveryPartitionSoThatARestartNeverMovesItPastAWaitingAlert() throws Exception {
        // given: a deployment whose delivery groups have never read anything
        String group = "lanes-new-" + java.util.UUID.randomUUID();

        // when: it starts
        try (ConfigurableApplicationContext lanes = start(group);
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaAndRegistry.bootstrapServers()))) {

            // then: the SMS lane has a position on every partition of the alerts topic, at its beginning, before it read
            // an alert (a partition whose first SMS alert waits for the gateway is not left without one, which the next
            // start would take for a lane new to a running deployment and move past that alert)
            Map<TopicPartition, Long> firsts = new HashMap<>();
            List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.ALERTS.name())).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(Topics.ALERTS.name()).partitions().stream().map(info -> new TopicPartition(Topics.ALERTS.name(), info.partition())).toList();
            admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(),
                            partition -> org.apache.kafka.clients.admin.OffsetSpec.earliest()))).all().get(30, TimeUnit.SECONDS)
                    .forEach((partition, first) -> firsts.put(partition, first.offset()));
            Map<TopicPartition, Long> positions = new HashMap<>();
            admin.listConsumerGroupOffsets(group + AlertDelivery.SMS_GROUP_SUFFIX).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .forEach((partition, position) -> positions.put(partition, position.offset()));
            assertThat(positions).as("the SMS lane's positions").containsOnlyKeys(partitions);
            positions.forEach((partition, position) -> assertThat(position).as("position on %s", partition)
                    .isBetween(firsts.get(partition), Long.MAX_VALUE));
        }
    }

    private static AlertIssued smsAlert(String inquiryId, String alertId) {
        return AlertIssued.newBuilder().setAlertId(alertId).setInquiryId(inquiryId).setPersonId("p-lanes")
                .setMilestone(org.homecoming.events.reunification.Milestone.LISTED_FOR_RELEASE).setLanguage(Language.UK)
                .setChannel(org.homecoming.events.reunification.AlertChannel.SMS).setIssuedAt(Instant.now()).build();
    }

    private static List<DeliveryOutcome> outcomesOf(String alertId) {
        return TopicProbe.readAll(Topics.ALERT_DELIVERIES).stream().filter(record -> alertId.equals(record.key()))
                .map(record -> record.value().getOutcome()).toList();
    }

    static ConfigurableApplicationContext start(String group) {
        return new SpringApplicationBuilder(ReunificationApplication.class)
                .properties(ReunificationApplication.CONFIG_NAME)
                .run("--server.port=0", "--spring.jmx.enabled=false", "--spring.mail.port=" + greenMail.getSmtp().getPort(),
                        "--reunification.delivery.group-id=" + group, "--reunification.delivery.back-off=50ms");
    }

    static ConfigurableApplicationContext start(Run run, int crashAfterSends, boolean afterTheSend) {
        // Arguments, not builder properties: those are only defaults, and reunification.yml would override them.
        return new SpringApplicationBuilder(ReunificationApplication.class, CrashingMail.class)
                .properties(ReunificationApplication.CONFIG_NAME)
                .run("--server.port=0",
                        "--spring.jmx.enabled=false",
                        "--management.health.mail.enabled=false", // the crashing proxy hides the sender's type
                        "--spring.mail.port=" + greenMail.getSmtp().getPort(),
                        "--reunification.delivery.group-id=" + run.group,
                        "--reunification.delivery.back-off=50ms",
                        "--test.crash-after-sends=" + crashAfterSends,
                        "--test.crash-after-the-send=" + afterTheSend);
    }

    /** Simulates the process dying: the delivering thread stops at the (n+1)th send, before or after the mail server has it. */
    @Configuration(proxyBeanMethods = false)
    static class CrashingMail {

        @Bean
        CrashSwitch crashSwitch(org.springframework.core.env.Environment environment) {
            return new CrashSwitch(environment.getRequiredProperty("test.crash-after-sends", Integer.class),
                    environment.getRequiredProperty("test.crash-after-the-send", Boolean.class));
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
                                boolean send = method.getName().equals("send");
                                if (send && !crash.getObject().afterTheSend) {
                                    crash.getObject().beforeSend();
                                }
                                Object result;
                                try {
                                    result = method.invoke(sender, args);
                                } catch (InvocationTargetException e) {
                                    throw e.getCause();
                                }
                                if (send && crash.getObject().afterTheSend) {
                                    crash.getObject().beforeSend();
                                }
                                return result;
                            });
                }
            };
        }
    }

    static final class CrashSwitch {
        final int sendsBeforeCrash;
        final boolean afterTheSend;
        final AtomicInteger sends = new AtomicInteger();
        final CountDownLatch crashed = new CountDownLatch(1);

        CrashSwitch(int sendsBeforeCrash, boolean afterTheSend) {
            this.sendsBeforeCrash = sendsBeforeCrash;
            this.afterTheSend = afterTheSend;
        }

        /** Counts a send; the (n+1)th and later "kill" the delivering thread (before or after that send, as configured). */
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
            // The dead run's consumer may still be a member until its session times out: offsets change only then.
            await().atMost(TIMEOUT).ignoreExceptions().pollInterval(Duration.ofSeconds(1))
                    .until(() -> admin.alterConsumerGroupOffsets(group, beginning).all().get(30, TimeUnit.SECONDS) == null);
        }
    }





    static InquiryRegistered inquiry(String inquiryId, String[] person, Language language, String email) {
        Instant now = Instant.now();
        return new InquiryRegistered(inquiryId, 1,
                SoughtPerson.newBuilder().setNames(List.of(new PersonName(person[0], person[1], null)))
                        .setBirthDate(LocalDate.parse(person[2])).setCategory(PersonCategory.SOLDIER).build(),
                Relative.newBuilder().setName("Synthetic relative").setRelationship("mother").setLanguage(language)
                        .setConsentGiven(true).setEmail(email).build(),
                now, now, null);
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
