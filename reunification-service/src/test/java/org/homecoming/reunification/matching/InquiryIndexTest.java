package org.homecoming.reunification.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.homecoming.synthetic.labelled.LabelledSetGenerator;
import org.junit.jupiter.api.Test;

class InquiryIndexTest {

    private static final LocalDate BORN = LocalDate.of(1981, 10, 4);

    private final InquiryIndex index = new InquiryIndex(MatchScorer.standard());

    @Test
    void shouldFindTheInquiryAboutAListedPersonWrittenInAnotherScript() {
        // given
        index.put("inq-1", person("Петренко", "Олександр", BORN));
        index.put("inq-2", person("Бондаренко", "Олена", BORN));

        // when
        List<Candidate> candidates = index.candidatesFor(person("Petrenko", "Aleksandr", BORN));

        // then
        assertThat(candidates).extracting(Candidate::inquiryId).containsExactly("inq-1");
        assertThat(candidates.get(0).assessment().outcome()).isEqualTo(Outcome.AUTO_MATCH);
    }

    @Test
    void shouldGiveEveryIdBackAsItWasPutWithItsRevision() {
        // given: a service-made UUID, one in capitals and a non-UUID id
        String made = "5d0f2c4e-9a1b-3c2d-8e7f-0a1b2c3d4e5f";
        String capitals = "6E1F2C4E-9A1B-3C2D-8E7F-0A1B2C3D4E5F";
        index.put(made, 2, person("Петренко", "Олександр", BORN));
        index.put(capitals, 1, person("Петренко", "Олександр", BORN));
        index.put("inq-3", 5, person("Петренко", "Олександр", BORN));

        // when
        List<Candidate> candidates = index.candidatesFor(person("Petrenko", "Aleksandr", BORN));

        // then
        assertThat(candidates).extracting(Candidate::inquiryId).containsExactlyInAnyOrder(made, capitals, "inq-3");
        assertThat(index.revision(made)).hasValue(2);
        assertThat(index.revision(capitals)).hasValue(1);
        assertThat(index.revision("inq-3")).hasValue(5);
        assertThat(index.revision(made.toUpperCase())).isEmpty();
        assertThat(index.assess(made, person("Petrenko", "Aleksandr", BORN)))
                .hasValueSatisfying(assessment -> assertThat(assessment.outcome()).isEqualTo(Outcome.AUTO_MATCH));
    }

    @Test
    void shouldFindASurnameTypoThroughGivenNameAndBirthYear() {
        // given: the typo changes the surname's phonetic key, so only the given-name block can find it
        index.put("inq-1", person("Шевченко", "Тарас", BORN));

        // when
        List<Candidate> candidates = index.candidatesFor(person("Шевбенко", "Тарас", BORN));

        // then
        assertThat(candidates).extracting(Candidate::inquiryId).containsExactly("inq-1");
    }

    @Test
    void shouldFindAGivenNameInAnotherLanguageThroughTheSurname() {
        index.put("inq-1", person("Коваленко", "Микола", null));

        List<Candidate> candidates = index.candidatesFor(person("Kovalenko", "Nikolai", BORN));

        assertThat(candidates).extracting(Candidate::inquiryId).containsExactly("inq-1");
        assertThat(candidates.get(0).assessment().outcome()).isEqualTo(Outcome.REVIEW);
    }

    @Test
    void shouldFindAnInquiryWrittenInSwappedOrder() {
        index.put("inq-1", person("Олександр", "Петренко", BORN));

        assertThat(index.candidatesFor(person("Петренко", "Олександр", BORN)))
                .extracting(Candidate::inquiryId).containsExactly("inq-1");
    }

    @Test
    void shouldFindTheMasculineFormOfAFeminineSurname() {
        index.put("inq-1", person("Іванова", "Олег", BORN));

        assertThat(index.candidatesFor(person("Ivanov", "Oleg", BORN)))
                .extracting(Candidate::inquiryId).containsExactly("inq-1");
    }

    @Test
    void shouldNotReturnNonMatches() {
        index.put("inq-1", person("Петренко", "Олександр", BORN));

        assertThat(index.candidatesFor(person("Петренко", "Ірина", LocalDate.of(1999, 1, 1)))).isEmpty();
    }

    @Test
    void shouldOrderCandidatesBestFirst() {
        // given
        index.put("namesake", person("Петренко", "Олександр", LocalDate.of(1981, 1, 1)));
        index.put("exact", person("Петренко", "Олександр", BORN));
        index.put("no-date", person("Петренко", "Олександр", null));

        // when
        List<Candidate> candidates = index.candidatesFor(person("Petrenko", "Oleksandr", BORN));

        // then
        assertThat(candidates).extracting(Candidate::inquiryId).startsWith("exact");
        assertThat(candidates).extracting(c -> c.assessment().score()).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }

    @Test
    void shouldForgetARemovedInquiry() {
        // given
        index.put("inq-1", person("Петренко", "Олександр", BORN));
        index.put("inq-2", person("Петренко", "Олександр", BORN));

        // when
        index.remove("inq-1");
        index.remove("never-added");

        // then
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.candidatesFor(person("Петренко", "Олександр", BORN)))
                .extracting(Candidate::inquiryId).containsExactly("inq-2");
    }

    @Test
    void shouldReplaceACorrectedInquiry() {
        // given
        index.put("inq-1", person("Петренко", "Олександр", BORN));

        // when: the relative corrects the surname
        index.put("inq-1", person("Бойко", "Олександр", BORN));

        // then
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.candidatesFor(person("Петренко", "Олександр", LocalDate.of(1950, 2, 2)))).isEmpty();
        assertThat(index.candidatesFor(person("Boiko", "Oleksandr", BORN)))
                .extracting(Candidate::inquiryId).containsExactly("inq-1");
    }

    @Test
    void shouldReuseTheSlotOfARemovedInquiry() {
        index.put("inq-1", person("Петренко", "Олександр", BORN));
        index.remove("inq-1");
        index.put("inq-2", person("Бойко", "Ірина", BORN));

        assertThat(index.candidatesFor(person("Петренко", "Олександр", BORN))).isEmpty();
        assertThat(index.candidatesFor(person("Бойко", "Ірина", BORN)))
                .extracting(Candidate::inquiryId).containsExactly("inq-2");
    }

    @Test
    void shouldScoreOnlyASmallShareOfTheInquiries() {
        // given
        LabelledSetGenerator generator = new LabelledSetGenerator(42);
        for (int i = 0; i < 20_000; i++) {
            index.put("inq-" + i, SyntheticDescriptions.of(generator.inquiryAbout(generator.nextPerson())));
        }
        LabelledSetGenerator.SyntheticPerson arriving = generator.nextPerson();

        // when
        int scored = index.candidateCount(SyntheticDescriptions.of(generator.listingOf(arriving)));

        // then
        assertThat(index.size()).isEqualTo(20_000);
        assertThat(scored).as("inquiries scored for one arrival").isLessThan(20_000 / 20);
    }

    @Test
    void shouldKeepFindingAnInquiryWhileAnotherThreadAddsAndRemovesOthersInItsBlocks() throws Exception {
        // given
        index.put("stable", person("Петренко", "Олександр", BORN));
        PersonDescription arriving = person("Petrenko", "Oleksandr", BORN);
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService readers = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> misses = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                misses.add(readers.submit(() -> {
                    int missed = 0;
                    while (writing.get()) {
                        boolean found = index.candidatesFor(arriving).stream()
                                .anyMatch(c -> c.inquiryId().equals("stable"));
                        missed += found ? 0 : 1;
                    }
                    return missed;
                }));
            }

            // when: one writer fills and thins the same blocks
            for (int i = 0; i < 3_000; i++) {
                index.put("other-" + i, person("Петренко", "Олександр", BORN.minusDays(1 + i % 300)));
                if (i % 3 == 2) {
                    index.remove("other-" + (i - 1));
                }
            }
            writing.set(false);

            // then
            for (Future<Integer> missed : misses) {
                assertThat(missed.get(30, TimeUnit.SECONDS)).as("reads that missed the stable inquiry").isZero();
            }
            assertThat(index.size()).isEqualTo(1 + 3_000 - 1_000);
        } finally {
            readers.shutdownNow();
        }
    }

    private static PersonDescription person(String surname, String given, LocalDate born) {
        return new PersonDescription(List.of(new Name(surname, given, null)), born, null, null);
    }
}
