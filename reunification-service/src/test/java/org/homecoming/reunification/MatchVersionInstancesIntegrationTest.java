package org.homecoming.reunification;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.utils.Utils;
import org.homecoming.catalogue.Topics;
import org.homecoming.platform.security.Roles;
import org.homecoming.reunification.pairing.AlertRules;
import org.homecoming.reunification.pairing.PairingListener;
import org.homecoming.reunification.pairing.StateRebuild;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.TopicProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

/**
 * A match's {@code version}, which a caseworker reads and sends back with her decision, on two instances of the service
 * on one broker: the instance that owns the inquiry decides its matches, the other follows them on the matches topic.
 * A rejected match whose inquiry a correction moved to a new revision, without reopening it, has one version on both
 * instances and after the owner restarts, and a caseworker who read it on either takes her rejection back through the
 * instance that does not own it.
 *
 * <p>It starts its own contexts, so it runs alone: the other integration tests close theirs after their class.
 */
@ExtendWith(KafkaAndRegistry.class)
class MatchVersionInstancesIntegrationTest {

    static final Duration TIMEOUT = Duration.ofSeconds(120);
    /** How long the other instance is given to follow what the owner wrote: seconds, as a follower reads. */
    static final Duration FOLLOWED = Duration.ofSeconds(60);

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    @Test
    void shouldShowARejectedMatchThatACorrectionMovedAtOneVersionOnEveryInstanceAndAfterARestart() throws Exception {
        ConfigurableApplicationContext first = start();
        ConfigurableApplicationContext second = start();
        ConfigurableApplicationContext restarted = null;
        try {
            // the pairing container's transactions tell the match book of each commit and rollback: without that, a
            // decision read on a move the matcher has not committed is not held back (PairingContainerSettings)
            for (ConfigurableApplicationContext instance : List.of(first, second)) {
                var container = instance.getBean(KafkaListenerEndpointRegistry.class).getListenerContainer(PairingListener.ID);
                assertThat(container).isNotNull();
                assertThat(container.getContainerProperties().getKafkaAwareTransactionManager())
                        .as("the pairing container's transaction manager").isNotNull()
                        .extracting(manager -> manager.getClass().getSimpleName()).isEqualTo("SettledTransactions");
            }

            // given: two namesakes listed and an inquiry about that name, registered on the first instance: both in review
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            String person = "p-version-" + suffix + "-1";
            for (String listed : List.of(person, "p-version-" + suffix + "-2")) {
                RecordMetadata record = TopicProbe.produce(Topics.LISTED_PERSONS, listed,
                        ReunificationIntegrationTest.listed(listed, "Вербицький", "Тарас", LocalDate.of(1987, 5, 14)));
                TopicProbe.awaitProcessed(PairingListener.GROUP, record, TIMEOUT);
            }
            String email = "relative-version-" + suffix + "@example.org";
            MockHttpServletResponse registered = hotline(first, post("/api/v1/inquiries").contentType(MediaType.APPLICATION_JSON)
                    .content(inquiry("Вербицький", "Тарас", "1987-05-14", email)));
            assertThat(registered.getStatus()).as("the registration: " + registered.getContentAsString()).isEqualTo(201);
            String inquiryId = com.jayway.jsonpath.JsonPath.read(registered.getContentAsString(), "$.inquiryId");
            String matchId = AlertRules.matchId(inquiryId, person);
            for (ConfigurableApplicationContext instance : List.of(first, second)) {
                await().atMost(TIMEOUT).until(() -> versionOf(instance, matchId, "REVIEW") != null);
            }
            ConfigurableApplicationContext owner = settledOwner(List.of(first, second), inquiryId);
            ConfigurableApplicationContext other = owner == first ? second : first;

            // and a caseworker rejected the first namesake, which both instances show
            MockHttpServletResponse rejected = decide(owner, matchId, "reject", "caseworker-rejects", versionOf(owner, matchId, "REVIEW"));
            assertThat(rejected.getStatus()).as("the rejection: " + rejected.getContentAsString()).isEqualTo(202);
            for (ConfigurableApplicationContext instance : List.of(owner, other)) {
                await().atMost(TIMEOUT).until(() -> versionOf(instance, matchId, "REJECTED") != null);
            }
            String rejectedOn = versionOf(owner, matchId, "REJECTED");

            // when: the hotline corrects the sought man (another given name and birth year), which reopens nothing: the
            // rejected namesake does not match him either, and the rejection stands on the inquiry's new revision
            MockHttpServletResponse corrected = hotline(other, put("/api/v1/inquiries/" + inquiryId)
                    .contentType(MediaType.APPLICATION_JSON).content(inquiry("Вербицький", "Орест", "1951-02-03", email)));
            assertThat(corrected.getStatus()).as("the correction: " + corrected.getContentAsString()).isEqualTo(200);
            await().atMost(TIMEOUT).until(() -> {
                String now = versionOf(owner, matchId, "REJECTED");
                return now != null && !now.equals(rejectedOn);
            });
            String version = versionOf(owner, matchId, "REJECTED");
            assertThat(inquiryRevisionOf(owner, matchId, "REJECTED")).as("the revision the owner shows the match on").isEqualTo(2);

            // then: the other instance shows the match at the owner's version (before, it kept the revision before the
            // correction, and a decision sent with either instance's version was refused 409 on the other for good)
            await().atMost(FOLLOWED).untilAsserted(() -> assertThat(versionOf(other, matchId, "REJECTED"))
                    .as("the version of the rejected match on the instance that does not own it").isEqualTo(version));

            // when: the owner restarts (found again right before: had the group rebalanced since, closing the instance
            // picked earlier would restart the one that does not own the inquiry, and the restart would prove nothing)
            ConfigurableApplicationContext restarting = settledOwner(List.of(first, second), inquiryId);
            ConfigurableApplicationContext stayed = restarting == first ? second : first;
            restarting.close();
            restarted = start();
            List<ConfigurableApplicationContext> running = List.of(stayed, restarted);

            // then: both instances show the match at the same version as before
            for (ConfigurableApplicationContext instance : running) {
                await().atMost(TIMEOUT).untilAsserted(() -> assertThat(versionOf(instance, matchId, "REJECTED"))
                        .as("the version of the rejected match after the owner restarted").isEqualTo(version));
            }

            // when: a caseworker takes the rejection back, with the version she read, through the instance that does
            // not own the inquiry now
            await().atMost(TIMEOUT).until(() -> running.stream().filter(instance -> owns(instance, inquiryId)).count() == 1
                    && running.stream().noneMatch(instance -> instance.getBean(StateRebuild.class).rebuilding()));
            ConfigurableApplicationContext notOwning = owns(stayed, inquiryId) ? restarted : stayed;
            AtomicReference<MockHttpServletResponse> takenBack = new AtomicReference<>();
            // 503 only while that instance has not read the inquiry's partition to its end yet: nothing was decided
            await().atMost(TIMEOUT).until(() -> {
                takenBack.set(decide(notOwning, matchId, "confirm", "caseworker-takes-back", version));
                return takenBack.get().getStatus() != 503;
            });

            // then: it is taken (not 409), and both instances show the match confirmed, at one version
            assertThat(takenBack.get().getStatus()).as("the rejection taken back: " + takenBack.get().getContentAsString())
                    .isEqualTo(202);
            for (ConfigurableApplicationContext instance : running) {
                await().atMost(TIMEOUT).until(() -> versionOf(instance, matchId, "CONFIRMED") != null);
            }
            assertThat(versionOf(stayed, matchId, "CONFIRMED")).as("the confirmed match's version on both instances")
                    .isEqualTo(versionOf(restarted, matchId, "CONFIRMED"));
        } finally {
            if (restarted != null) {
                restarted.close();
            }
            second.close();
            first.close();
        }
    }

    /**
     * The one instance that owns the inquiry once the group has settled (exactly one owns it, and none is rebuilding):
     * asked right after a start, the second instance's join may still be moving partitions.
     */
    private static ConfigurableApplicationContext settledOwner(List<ConfigurableApplicationContext> instances, String inquiryId) {
        await().atMost(TIMEOUT).until(() -> instances.stream().filter(instance -> owns(instance, inquiryId)).count() == 1
                && instances.stream().noneMatch(instance -> instance.getBean(StateRebuild.class).rebuilding()));
        return instances.stream().filter(instance -> owns(instance, inquiryId)).findFirst().orElseThrow();
    }

    /** Whether the instance's pairing owns the inquiry's partition (the matches topic is keyed by inquiry). */
    private static boolean owns(ConfigurableApplicationContext instance, String inquiryId) {
        int partition = Utils.toPositive(Utils.murmur2(inquiryId.getBytes(StandardCharsets.UTF_8))) % Topics.MATCHES.partitions();
        return instance.getBean(StateRebuild.class).owned().contains(partition);
    }

    /** The match's version as the instance lists it among the matches with that status; null when it is not among them. */
    private static String versionOf(ConfigurableApplicationContext instance, String matchId, String status) {
        List<String> versions = com.jayway.jsonpath.JsonPath.read(matches(instance, status), "$[?(@.matchId == '" + matchId + "')].version");
        return versions.isEmpty() ? null : versions.get(0);
    }

    private static Integer inquiryRevisionOf(ConfigurableApplicationContext instance, String matchId, String status) {
        List<Integer> revisions = com.jayway.jsonpath.JsonPath.read(matches(instance, status),
                "$[?(@.matchId == '" + matchId + "')].inquiryRevision");
        return revisions.isEmpty() ? null : revisions.get(0);
    }

    private static String matches(ConfigurableApplicationContext instance, String status) {
        try {
            return perform(instance, get("/api/v1/matches").param("status", status).param("limit", "1000")
                    .with(user("caseworker-reads").roles(Roles.CASEWORKER))).getContentAsString();
        } catch (java.io.UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MockHttpServletResponse decide(ConfigurableApplicationContext instance, String matchId, String decision,
                                                  String caseworker, String version) {
        return perform(instance, post("/api/v1/matches/" + matchId + "/" + decision)
                .with(user(caseworker).roles(Roles.CASEWORKER)).contentType(MediaType.APPLICATION_JSON)
                .content("{\"reason\": \"unit and capture place checked with the family\", \"version\": \"" + version + "\"}"));
    }

    private static MockHttpServletResponse hotline(ConfigurableApplicationContext instance, MockHttpServletRequestBuilder request) {
        return perform(instance, request.with(user("hotline-version").roles(Roles.HOTLINE_OPERATOR)));
    }

    private static MockHttpServletResponse perform(ConfigurableApplicationContext instance, MockHttpServletRequestBuilder request) {
        try {
            return TwoInstancesIntegrationTest.mvc(instance).perform(request).andReturn().getResponse();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String inquiry(String surname, String givenName, String born, String email) {
        return """
                {"sought": {"names": [{"surname": "%s", "givenName": "%s"}], "birthDate": "%s", "category": "SOLDIER"},
                 "relative": {"name": "Synthetic relative", "relationship": "wife", "language": "en",
                              "consentGiven": true, "email": "%s"}}""".formatted(surname, givenName, born, email);
    }

    private static ConfigurableApplicationContext start() {
        // Arguments, not builder properties: those are only defaults, and reunification.yml would override them.
        return new SpringApplicationBuilder(ReunificationApplication.class)
                .properties(ReunificationApplication.CONFIG_NAME)
                .run("--server.port=0",
                        "--spring.jmx.enabled=false",
                        "--spring.mail.port=" + greenMail.getSmtp().getPort(),
                        "--reunification.retention.first-sweep-after=PT1H");
    }
}
