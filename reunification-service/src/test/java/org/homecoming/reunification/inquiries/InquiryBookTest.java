package org.homecoming.reunification.inquiries;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.homecoming.events.common.PersonName;
import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.events.reunification.Language;
import org.homecoming.events.reunification.Relative;
import org.homecoming.events.reunification.SealedContact;
import org.homecoming.events.reunification.SoughtPerson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class InquiryBookTest {

    static final Instant AT = Instant.parse("2026-03-01T08:00:00Z");
    static final String PLAINTEXT_PHONE = "+380501234567";

    @TempDir
    Path directory;

    InquiryBook book;

    @AfterEach
    void close() {
        if (book != null) {
            book.close();
        }
    }

    @Test
    void shouldKeepSealedInquiriesOnDiskAndReadTheLatestRevisionBack() throws IOException {
        // given
        book = new InquiryBook(directory);

        // when: revision 2, then a late revision 1, of one inquiry
        book.apply("inq-1", sealed("inq-1", 2, "Петренко"));
        book.apply("inq-1", sealed("inq-1", 1, "Петрeнко-old"));
        book.apply("inq-2", sealed("inq-2", 1, "Бондаренко"));

        // then
        assertThat(book.find("inq-1")).hasValueSatisfying(inquiry -> {
            assertThat(inquiry.getRevision()).isEqualTo(2);
            assertThat(inquiry.getSought().getNames().get(0).getSurname()).isEqualTo("Петренко");
        });
        assertThat(book.find("inq-2")).hasValueSatisfying(inquiry -> assertThat(inquiry.getRevision()).isEqualTo(1));
        assertThat(book.find("inq-3")).isEmpty();
        assertThat(storeFolders()).hasSize(1);
    }

    @Test
    void shouldForgetAWithdrawnInquiryForGood() {
        // given
        book = new InquiryBook(directory);
        book.apply("inq-1", sealed("inq-1", 1, "Петренко"));

        // when: the tombstone, then the record again (an uncompacted segment read in a replay)
        book.apply("inq-1", null);
        book.apply("inq-1", sealed("inq-1", 1, "Петренко"));

        // then
        assertThat(book.find("inq-1")).isEmpty();
        assertThat(book.isWithdrawn("inq-1")).isTrue();
    }

    @Test
    void shouldNeverHandPlaintextContactDataToTheStore() {
        // given: a store that remembers everything it was given to write
        List<byte[]> written = new ArrayList<>();
        book = new InquiryBook(new HeapInquiryStore() {
            @Override
            public void put(String inquiryId, byte[] value) {
                written.add(value);
                super.put(inquiryId, value);
            }
        });

        // when: an inquiry written before contact data was sealed, and a sealed one
        book.apply("inq-old", plaintext("inq-old", 3));
        book.apply("inq-new", sealed("inq-new", 1, "Ткаченко"));

        // then: both are read back, and the phone number is in nothing written
        assertThat(book.plaintextInquiryIds()).containsExactly("inq-old");
        assertThat(book.find("inq-old")).hasValueSatisfying(inquiry -> assertThat(inquiry.getRelative().getPhone()).isEqualTo(PLAINTEXT_PHONE));
        assertThat(book.find("inq-new")).isPresent();
        assertThat(written).hasSize(1).noneMatch(bytes -> contains(bytes, PLAINTEXT_PHONE.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldReplaceAPlaintextInquiryWithItsSealedRepublication() {
        // given
        book = new InquiryBook(directory);
        book.apply("inq-old", plaintext("inq-old", 3));

        // when: retention re-published it sealed under the same revision
        book.apply("inq-old", sealed("inq-old", 3, "Ткаченко"));

        // then
        assertThat(book.plaintextInquiryIds()).isEmpty();
        assertThat(book.find("inq-old")).hasValueSatisfying(inquiry -> assertThat(inquiry.getRelative().getSealed()).isNotNull());
    }

    @Test
    void shouldStartEmptyAndDeleteTheStoreOfAProcessThatDied() throws IOException {
        // given: a store folder left by a process that is gone, and a clear
        Path dead = Files.createDirectories(directory.resolve("inquiries-" + Long.MAX_VALUE + "-left-over"));
        Files.writeString(dead.resolve("000001.sst"), "old");
        book = new InquiryBook(directory);
        book.apply("inq-1", sealed("inq-1", 1, "Петренко"));

        // when
        book.clear();

        // then
        assertThat(dead).doesNotExist();
        assertThat(book.find("inq-1")).isEmpty();
        assertThat(storeFolders()).hasSize(1);
    }

    @Test
    void shouldDeleteItsStoreWhenClosed() throws IOException {
        // given
        book = new InquiryBook(directory);
        book.apply("inq-1", sealed("inq-1", 1, "Петренко"));

        // when
        book.close();

        // then: nothing is left on disk, and a late read finds nothing rather than failing
        assertThat(storeFolders()).isEmpty();
        assertThat(book.find("inq-1")).isEmpty();
    }

    private List<Path> storeFolders() throws IOException {
        try (Stream<Path> folders = Files.list(directory)) {
            return folders.toList();
        }
    }

    private static boolean contains(byte[] bytes, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= bytes.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    static InquiryRegistered sealed(String inquiryId, int revision, String surname) {
        SealedContact contact = SealedContact.newBuilder().setKeyId("key-1")
                .setName(ByteBuffer.wrap(new byte[] {1, 2, 3})).setPhone(ByteBuffer.wrap(new byte[] {4, 5, 6})).build();
        return new InquiryRegistered(inquiryId, revision, sought(surname),
                Relative.newBuilder().setRelationship("mother").setLanguage(Language.UK).setConsentGiven(true)
                        .setSealed(contact).build(), AT, AT, null);
    }

    static InquiryRegistered plaintext(String inquiryId, int revision) {
        return new InquiryRegistered(inquiryId, revision, sought("Ткаченко"),
                Relative.newBuilder().setName("Ольга").setRelationship("mother").setLanguage(Language.RU).setConsentGiven(true)
                        .setPhone(PLAINTEXT_PHONE).build(), AT, AT, null);
    }

    private static SoughtPerson sought(String surname) {
        return SoughtPerson.newBuilder().setNames(List.of(new PersonName(surname, "Оксана", null))).build();
    }
}
