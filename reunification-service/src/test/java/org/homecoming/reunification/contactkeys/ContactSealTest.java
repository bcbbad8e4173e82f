package org.homecoming.reunification.contactkeys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.homecoming.events.common.PersonName;
import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.events.reunification.Language;
import org.homecoming.events.reunification.Relative;
import org.homecoming.events.reunification.SoughtPerson;
import org.homecoming.platform.state.Durable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContactSealTest {

    static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final Path directory = TestContactKeys.newDirectory();
    final ContactKeyVault vault = TestContactKeys.vault(directory);
    final ContactSeal seal = new ContactSeal(vault, clock);

    static InquiryRegistered inquiry(String inquiryId, String name, String email, String phone) {
        return new InquiryRegistered(inquiryId, 1, SoughtPerson.newBuilder().setNames(List.of(new PersonName("Ткаченко", "Оксана", null))).build(),
                Relative.newBuilder().setName(name).setRelationship("mother").setLanguage(Language.RU).setConsentGiven(true)
                        .setEmail(email).setPhone(phone).build(), NOW, NOW, null);
    }

    @Test
    void shouldNameAnInquiryTheSameWayWithTheSameKeyAndSoThatNoOneWithoutItCanCheckAGuess() {
        String seed = "content|Петренко Олександр 1990-04-12|Олена Петренко olena@example.org";

        // the same seed, under the same KEK (another instance, a restart), gives the same id: a re-sent request finds it
        assertThat(seal.inquiryId(seed)).isEqualTo(new ContactSeal(TestContactKeys.vault(directory), clock).inquiryId(seed))
                .isNotEqualTo(seal.inquiryId(seed + " "));
        // under another KEK, and by a plain name-based hash of the seed (as ids were made before), it is another id:
        // whoever reads inquiry ids cannot test a guess of a family's data against them
        assertThat(seal.inquiryId(seed)).isNotEqualTo(TestContactKeys.seal(clock).inquiryId(seed))
                .isNotEqualTo(java.util.UUID.nameUUIDFromBytes(("inquiry|" + seed).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString());
        assertThat(java.util.UUID.fromString(seal.inquiryId(seed)).version()).isEqualTo(8);
    }

    @Test
    void shouldSealEachFieldAndOpenItAgain() throws Exception {
        InquiryRegistered plain = inquiry("inq-1", "Ольга Ткаченко", "olha@example.org", "+380501234567");

        InquiryRegistered sealed = seal.seal(plain);

        Relative relative = sealed.getRelative();
        assertThat(relative.getName()).isNull();
        assertThat(relative.getEmail()).isNull();
        assertThat(relative.getPhone()).isNull();
        assertThat(relative.getLanguage()).isEqualTo(Language.RU);
        assertThat(new String(sealed.toByteBuffer().array(), StandardCharsets.UTF_8))
                .doesNotContain("Ольга", "olha@example.org", "+380501234567");
        assertThat(seal.open(sealed)).contains(plain);
        assertThat(seal.seal(plain).getRelative().getSealed().getEmail()).as("a fresh nonce every time")
                .isNotEqualTo(relative.getSealed().getEmail());
    }

    @Test
    void shouldRefuseCiphertextMovedToAnotherFieldOrInquiry() {
        InquiryRegistered first = seal.seal(inquiry("inq-1", "Ольга", "olha@example.org", "+380501234567"));
        InquiryRegistered second = seal.seal(inquiry("inq-2", "Петро", "petro@example.org", null));
        var fields = first.getRelative().getSealed();

        InquiryRegistered swappedFields = InquiryRegistered.newBuilder(first).setRelative(Relative.newBuilder(first.getRelative())
                .setSealed(org.homecoming.events.reunification.SealedContact.newBuilder(fields).setName(fields.getEmail()).build()).build()).build();
        InquiryRegistered movedToAnother = InquiryRegistered.newBuilder(second).setRelative(Relative.newBuilder(second.getRelative())
                .setSealed(org.homecoming.events.reunification.SealedContact.newBuilder(second.getRelative().getSealed())
                        .setEmail(fields.getEmail()).build()).build()).build();

        assertThatThrownBy(() -> seal.open(swappedFields)).isInstanceOf(ContactSeal.ContactKeyUnavailableException.class);
        assertThatThrownBy(() -> seal.open(movedToAnother)).isInstanceOf(ContactSeal.ContactKeyUnavailableException.class);
    }

    @Test
    void shouldNeverOpenAnErasedInquiryAgainNorMakeItANewKey() {
        InquiryRegistered sealed = seal.seal(inquiry("inq-1", "Ольга", "olha@example.org", null));

        assertThat(vault.destroy("inq-1", NOW)).isTrue();

        assertThat(seal.open(sealed)).isEmpty();
        assertThat(TestContactKeys.vault(directory).isErased("inq-1")).as("durable").isTrue();
        assertThat(new ContactSeal(TestContactKeys.vault(directory), clock).open(sealed)).as("after a restart").isEmpty();
        assertThatThrownBy(() -> seal.seal(inquiry("inq-1", "Ольга", "olha@example.org", null)))
                .isInstanceOf(ContactKeyVault.ErasedException.class);
        assertThat(vault.destroy("inq-1", NOW)).as("erasing again").isFalse();
    }

    @Test
    void shouldOpenWithKeysLoadedAfreshFromTheSameKeystoreAndVault() throws Exception {
        InquiryRegistered sealed = seal.seal(inquiry("inq-1", "Ольга", "olha@example.org", null));

        ContactSeal restarted = new ContactSeal(TestContactKeys.vault(directory), clock);

        assertThat(restarted.open(sealed)).get().extracting(inquiry -> inquiry.getRelative().getEmail()).isEqualTo("olha@example.org");
        assertThat(Files.getPosixFilePermissions(directory.resolve("kek.p12"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void shouldRefuseToTakeALostVaultForAnErasure() throws Exception {
        InquiryRegistered sealed = seal.seal(inquiry("inq-1", "Ольга", "olha@example.org", null));

        // another KEK and an empty vault: the folder was lost, or the service points at another one
        ContactSeal elsewhere = new ContactSeal(TestContactKeys.vault(TestContactKeys.newDirectory()), clock);

        assertThatThrownBy(() -> elsewhere.open(sealed)).isInstanceOf(ContactSeal.ContactKeyUnavailableException.class)
                .hasMessageContaining("inq-1").hasMessageNotContaining("olha");
        assertThat(elsewhere.isErased("inq-1")).as("not erased: the data is there, the key is not").isFalse();
    }

    @Test
    void shouldShareOneKeyPerInquiryBetweenInstancesOnTheSameVault() {
        // given: two instances opened the same vault folder before either made a key
        ContactSeal other = new ContactSeal(TestContactKeys.vault(directory), clock);

        // when: one seals the registration, the other a later revision of the same inquiry
        InquiryRegistered first = seal.seal(inquiry("inq-shared", "Ольга", "olha@example.org", null));
        InquiryRegistered revised = other.seal(inquiry("inq-shared", "Ольга", "olha.new@example.org", null));

        // then: each opens what the other sealed, so neither overwrote the other's key
        assertThat(other.open(first)).get().extracting(inquiry -> inquiry.getRelative().getEmail()).isEqualTo("olha@example.org");
        assertThat(seal.open(revised)).get().extracting(inquiry -> inquiry.getRelative().getEmail()).isEqualTo("olha.new@example.org");
    }

    @Test
    void shouldKeepTheFileWrittenFirstWhenTwoInstancesWriteANewKeyAtOnce() throws Exception {
        Path file = directory.resolve("vault").resolve("race.key");

        boolean first = Durable.writeNew(file, "first".getBytes(StandardCharsets.UTF_8));
        boolean second = Durable.writeNew(file, "second".getBytes(StandardCharsets.UTF_8));

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        assertThat(Files.readString(file)).isEqualTo("first");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void shouldOpenARecordWrittenInPlaintextAsItIs() {
        InquiryRegistered plain = inquiry("inq-old", "Ольга", "olha@example.org", null);

        assertThat(seal.open(plain)).contains(plain);
    }
}
