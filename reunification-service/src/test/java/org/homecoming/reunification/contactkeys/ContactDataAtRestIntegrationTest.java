package org.homecoming.reunification.contactkeys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditEventRecorded;
import org.homecoming.events.common.PersonCategory;
import org.homecoming.events.common.PersonName;
import org.homecoming.events.common.Side;
import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.events.reunification.Language;
import org.homecoming.events.reunification.Relative;
import org.homecoming.events.reunification.SealedContact;
import org.homecoming.events.reunification.SoughtPerson;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.platform.security.Roles;
import org.homecoming.reunification.ReunificationApplication;
import org.homecoming.reunification.inquiries.ContactDataErasures;
import org.homecoming.reunification.inquiries.ContactDataErasures.Reason;
import org.homecoming.reunification.inquiries.ContactDataRetention;
import org.homecoming.reunification.inquiries.InquiryBook;
import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.TopicProbe;
import org.homecoming.testkit.TransactionPause;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.security.test.context.support.WithMockUser;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Relatives' contact data on the real topic: sealed, readable only through the service's keys, unreadable for good
 * once erased, and still readable by key material loaded afresh from the same keystore and vault (a restart). One
 * family's erasure stalled on the broker holds up no other family's.
 */
@ExtendWith(KafkaAndRegistry.class)
@WithMockUser(username = "hotline-3", roles = {Roles.HOTLINE_OPERATOR})
@SpringBootTest(properties = {ReunificationApplication.CONFIG_NAME, "reunification.delivery.back-off=50ms",
        "reunification.retention.first-sweep-after=PT1H"})
@AutoConfigureMockMvc
@DirtiesContext // its listeners must not compete with the contexts that AlertDeliveryRestartIntegrationTest starts
class ContactDataAtRestIntegrationTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort()).withPerMethodLifecycle(false);

    @DynamicPropertySource
    static void mail(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.port", () -> greenMail.getSmtp().getPort());
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    ContactKeyVault vault;

    @Autowired
    ContactDataRetention retention;

    @Autowired
    InquiryBook book;

    @Value("${reunification.contact-keys.keystore}")
    Path keystore;

    @Value("${reunification.contact-keys.vault}")
    Path vaultDirectory;

    @Autowired
    TransactionPause erasurePause;

    @Test
    void shouldKeepNoContactDataReadableOnTheTopicAndShredAnErasedInquirysForGood() throws Exception {
        // given: two relatives' inquiries, each with a name, an e-mail address and a phone number
        String kept = register("Гаврилюк", "Степан", "1987-03-11", "Марта Гаврилюк", "marta.havryliuk@example.org", "+380671112233");
        String erased = register("Сидоренко", "Максим", "1991-08-24", "Уляна Сидоренко", "uliana.sydorenko@example.org", "+380671114455");

        // then: the topic's raw bytes hold none of it
        List<ConsumerRecord<String, byte[]>> raw = TopicProbe.readRaw(Topics.INQUIRIES.name()).stream()
                .filter(record -> record.key().equals(kept) || record.key().equals(erased)).toList();
        assertThat(raw).hasSize(2);
        assertThat(raw).extracting(record -> new String(record.value(), StandardCharsets.UTF_8))
                .allSatisfy(bytes -> assertThat(bytes).doesNotContain("Марта Гаврилюк", "marta.havryliuk", "+380671112233",
                        "Уляна Сидоренко", "uliana.sydorenko", "+380671114455", "example.org"));
        // and: the hotline still reads them
        mvc.perform(get("/api/v1/inquiries/" + kept)).andExpect(status().isOk())
                .andExpect(jsonPath("$.relative.name").value("Марта Гаврилюк"))
                .andExpect(jsonPath("$.relative.email").value("marta.havryliuk@example.org"))
                .andExpect(jsonPath("$.relative.phone").value("+380671112233"));

        // when: the second relative asks to be forgotten
        mvc.perform(post("/api/v1/inquiries/" + erased + "/erasure")).andExpect(status().isNoContent());

        // then: the service answers ERASED, and no key it holds opens that inquiry's sealed fields
        mvc.perform(get("/api/v1/inquiries/" + erased)).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("ERASED"))
                .andExpect(jsonPath("$.relative").doesNotExist());
        SealedContact sealed = sealedOf(erased);
        assertThat(vault.holdsKey(erased)).isFalse();
        assertThat(vault.entries()).as("keys the service still holds").isNotEmpty().allSatisfy(entry ->
                vault.existingKey(entry.inquiryId()).ifPresent(key -> {
                    for (var field : List.of(sealed.getName(), sealed.getEmail(), sealed.getPhone())) {
                        for (String aad : List.of(ContactSeal.associatedData(erased, "email"), ContactSeal.associatedData(entry.inquiryId(), "email"))) {
                            assertThat(AesGcm.open(key.key(), bytes(field), aad)).isEmpty();
                        }
                    }
                }));
        assertThat(TopicProbe.readRaw(Topics.INQUIRIES.name())).as("and it is withdrawn: a tombstone")
                .anyMatch(record -> record.key().equals(erased) && record.value() == null);
        mvc.perform(post("/api/v1/inquiries/" + erased + "/erasure")).andExpect(status().isNoContent());
        mvc.perform(post("/api/v1/inquiries/" + UUID.randomUUID() + "/erasure")).andExpect(status().isNotFound());

        // when: both sought persons are listed
        TopicProbe.produce(Topics.LISTED_PERSONS, "p-rest-1", listed("p-rest-1", "Гаврилюк", "Степан", LocalDate.of(1987, 3, 11)));
        TopicProbe.produce(Topics.LISTED_PERSONS, "p-rest-2", listed("p-rest-2", "Сидоренко", "Максим", LocalDate.of(1991, 8, 24)));

        // then: the kept inquiry's relative is e-mailed, the erased one's never
        await().atMost(TIMEOUT).until(() -> received("marta.havryliuk@example.org").size() == 1);
        TopicProbe.awaitProcessed(org.homecoming.reunification.pairing.PairingListener.GROUP,
                TopicProbe.produce(Topics.LISTED_PERSONS, "p-rest-3", listed("p-rest-3", "Інший", "Хтось",
                        LocalDate.of(1960, 1, 1))), TIMEOUT);
        assertThat(TopicProbe.readAll(Topics.ALERTS)).noneMatch(record -> record.key().equals(erased));
        assertThat(received("uliana.sydorenko@example.org")).isEmpty();

        // and: key material loaded afresh from the same keystore and vault (as after a restart) opens the kept inquiry
        KeyEncryptionKey reloaded = KeyEncryptionKey.load(keystore, "tests-only".toCharArray(), "contact-kek", false);
        ContactSeal restarted = new ContactSeal(new ContactKeyVault(vaultDirectory, reloaded), java.time.Clock.systemUTC());
        InquiryRegistered latest = latest(kept);
        assertThat(restarted.open(latest)).get().extracting(inquiry -> inquiry.getRelative().getEmail())
                .isEqualTo("marta.havryliuk@example.org");
        assertThat(restarted.isErased(erased)).isTrue();
    }

    @Test
    void shouldStillReadAnInquiryWrittenInPlaintextAndRepublishItSealed() throws Exception {
        // given: an inquiry as an earlier version wrote it, contact data in plaintext
        String legacy = "inq-plaintext-" + UUID.randomUUID();
        Instant then = Instant.parse("2026-01-05T10:00:00Z");
        TopicProbe.produce(Topics.INQUIRIES, legacy, new InquiryRegistered(legacy, 1,
                SoughtPerson.newBuilder().setNames(List.of(new PersonName("Мельничук", "Назар", null))).build(),
                Relative.newBuilder().setName("Ганна Мельничук").setRelationship("mother").setLanguage(Language.UK)
                        .setConsentGiven(true).setEmail("hanna.melnychuk@example.org").build(), then, then, null));
        await().atMost(TIMEOUT).until(() -> book.find(legacy).isPresent());
        mvc.perform(get("/api/v1/inquiries/" + legacy)).andExpect(status().isOk())
                .andExpect(jsonPath("$.relative.email").value("hanna.melnychuk@example.org"));

        // when: the retention sweep runs
        assertThat(retention.sweep().sealed()).isGreaterThanOrEqualTo(1);

        // then: its latest record is sealed, and the hotline reads it as before
        await().atMost(TIMEOUT).until(() -> latest(legacy).getRelative().getSealed() != null);
        ConsumerRecord<String, byte[]> raw = TopicProbe.readRaw(Topics.INQUIRIES.name()).stream()
                .filter(record -> record.key().equals(legacy)).reduce((first, second) -> second).orElseThrow();
        assertThat(new String(raw.value(), StandardCharsets.UTF_8)).doesNotContain("hanna.melnychuk", "Ганна Мельничук");
        mvc.perform(get("/api/v1/inquiries/" + legacy)).andExpect(status().isOk())
                .andExpect(jsonPath("$.relative.name").value("Ганна Мельничук"))
                .andExpect(jsonPath("$.relative.email").value("hanna.melnychuk@example.org"));
    }

    @Test
    void shouldEraseOtherFamiliesInquiriesWhileOneInquirysErasureCommitIsHeldOpen() throws Exception {
        // given: three families' inquiries, each on a partition of its own (a transaction held open holds every
        // read_committed read of its partition, and a write that waits for one fences it once abandoned-after passes),
        // the third withdrawn by its family
        List<String> families = new java.util.ArrayList<>();
        java.util.Set<Integer> partitions = new java.util.HashSet<>();
        for (int tries = 0; families.size() < 3 && tries < 30; tries++) {
            String inquiryId = register("Коваль", "Тарас", "1985-02-0" + (1 + tries % 9), "Ніна Коваль",
                    "nina.koval." + UUID.randomUUID() + "@example.org", "+38067" + (1_000_000 + tries));
            if (partitions.add(org.homecoming.reunification.pairing.InquiryPartitions.of(inquiryId))) {
                families.add(inquiryId);
            }
        }
        assertThat(families).as("inquiries on three partitions of their own").hasSize(3);
        String held = families.get(0);
        String open = families.get(1);
        String withdrawn = families.get(2);
        mvc.perform(delete("/api/v1/inquiries/" + withdrawn)).andExpect(status().isNoContent());
        ExecutorService hotline = Executors.newFixedThreadPool(3);
        try {
            // when: the first family's erasure stalls inside its transaction (its tombstone and audit entry sent, not
            // committed), as a commit does while a broker fails over
            erasurePause.arm();
            Future<Integer> first = hotline.submit(() -> erase(held));
            assertThat(erasurePause.awaitPaused()).as("the first erasure reached its transaction").isTrue();

            // then: the other families' erasures, of an open and of a withdrawn inquiry, are done meanwhile
            Future<Integer> second = hotline.submit(() -> erase(open));
            Future<Integer> third = hotline.submit(() -> erase(withdrawn));
            assertThat(second).as("the open inquiry's erasure, while another inquiry's erasure is held (before, it waited "
                    + "for that commit)").succeedsWithin(Duration.ofSeconds(30)).isEqualTo(204);
            assertThat(third).as("the withdrawn inquiry's erasure, while another inquiry's erasure is held")
                    .succeedsWithin(Duration.ofSeconds(30)).isEqualTo(204);
            assertThat(first).as("the first erasure, still held in its transaction").isNotDone();
            assertThat(vault.isErased(open)).isTrue();
            assertThat(vault.isErased(withdrawn)).isTrue();

            // and once its commit goes through, the first is done too
            erasurePause.release();
            assertThat(first).succeedsWithin(TIMEOUT).isEqualTo(204);
        } finally {
            erasurePause.release();
            hotline.shutdownNow();
        }
        // and each erasure is on the audit trail once, and each open inquiry withdrawn by a tombstone
        List<AuditEventRecorded> erasures = TopicProbe.readAll(Topics.AUDIT_EVENTS).stream().map(ConsumerRecord::value)
                .filter(entry -> entry.getAction() == AuditAction.ERASED && families.contains(entry.getSubjectId())).toList();
        assertThat(erasures).extracting(AuditEventRecorded::getSubjectId).as("the erasures on the audit trail")
                .containsExactlyInAnyOrder(held, open, withdrawn);
        assertThat(erasures).extracting(AuditEventRecorded::getPrincipal).containsOnly("hotline-3");
        assertThat(TopicProbe.readRaw(Topics.INQUIRIES.name()).stream()
                .filter(record -> record.value() == null && families.contains(record.key())).map(ConsumerRecord::key))
                .as("tombstones").contains(held, open);
    }

    /** The hotline's request to forget the inquiry, from a thread of its own; answers the status. */
    int erase(String inquiryId) throws Exception {
        return mvc.perform(post("/api/v1/inquiries/" + inquiryId + "/erasure")
                        .with(SecurityMockMvcRequestPostProcessors.user("hotline-3").roles(Roles.HOTLINE_OPERATOR)))
                .andReturn().getResponse().getStatus();
    }

    /**
     * Holds an erasure inside its transaction when armed: the service's own audit of erasures, which writes the entry
     * in the tombstone's transaction, then waits there (its records flushed, not committed) until released.
     */
    @TestConfiguration
    static class HeldErasures {

        @Bean
        TransactionPause erasurePause() {
            return new TransactionPause();
        }

        @Bean
        static BeanPostProcessor pausingErasures(ObjectProvider<TransactionPause> pause) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String beanName) {
                    if (!(bean instanceof ContactDataErasures audit)) {
                        return bean;
                    }
                    return new ContactDataErasures() {
                        @Override
                        public void contactDataErased(String inquiryId, String erasedBy, Reason reason) {
                            audit.contactDataErased(inquiryId, erasedBy, reason);
                        }

                        @Override
                        public void contactDataErased(String inquiryId, String erasedBy, Reason reason,
                                                      KafkaTemplate<String, Object> template) {
                            audit.contactDataErased(inquiryId, erasedBy, reason, template);
                            pause.getObject().pauseIfArmed(template);
                        }
                    };
                }
            };
        }
    }

    String register(String surname, String givenName, String birthDate, String name, String email, String phone) throws Exception {
        String response = mvc.perform(post("/api/v1/inquiries").header("Idempotency-Key", UUID.randomUUID().toString())
                        .contentType(MediaType.APPLICATION_JSON).content("""
                        {"sought": {"names": [{"surname": "%s", "givenName": "%s"}], "birthDate": "%s", "category": "SOLDIER"},
                         "relative": {"name": "%s", "relationship": "wife", "language": "en",
                                      "consentGiven": true, "email": "%s", "phone": "%s"}}""".formatted(surname, givenName, birthDate, name, email, phone)))
                .andExpect(status().isCreated())
                .andReturn().getResponse().getContentAsString();
        return com.jayway.jsonpath.JsonPath.read(response, "$.inquiryId");
    }

    static PersonListingChanged listed(String personId, String surname, String givenName, LocalDate birthDate) {
        return PersonListingChanged.newBuilder()
                .setPersonId(personId).setChange(ListingChange.LISTED).setRoundId("round-rest").setListId("list-rest")
                .setListVersion(1).setReleasingSide(Side.RU).setNativeName(new PersonName(surname, givenName, null))
                .setBirthDate(birthDate).setCategory(PersonCategory.SOLDIER).setChangedAt(Instant.now()).build();
    }

    static InquiryRegistered latest(String inquiryId) {
        return TopicProbe.readAll(Topics.INQUIRIES).stream().filter(record -> record.key().equals(inquiryId) && record.value() != null)
                .map(ConsumerRecord::value).reduce((first, second) -> second).orElseThrow();
    }

    static SealedContact sealedOf(String inquiryId) {
        SealedContact sealed = latest(inquiryId).getRelative().getSealed();
        assertThat(sealed).as("the inquiry's record carries sealed contact data").isNotNull();
        return sealed;
    }

    static byte[] bytes(java.nio.ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    static List<MimeMessage> received(String recipient) {
        return List.of(greenMail.getReceivedMessagesForDomain(recipient));
    }
}
