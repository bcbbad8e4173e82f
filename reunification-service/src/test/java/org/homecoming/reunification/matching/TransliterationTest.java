package org.homecoming.reunification.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;

import org.homecoming.reunification.matching.MatchWeights.GivenNameLevel;
import org.homecoming.reunification.matching.MatchWeights.SurnameLevel;
import org.homecoming.reunification.matching.Transliteration.Reading;
import org.junit.jupiter.api.Test;

class TransliterationTest {

    private final MatchScorer scorer = MatchScorer.standard();

    @Test
    void shouldMatchOleksandrPetrenkoAcrossScriptsAndSpellings() {
        // given
        LocalDate born = LocalDate.of(1984, 5, 17);
        PersonDescription cyrillic = person("Петренко", "Олександр", born);
        PersonDescription russianSpelling = person("Petrenko", "Aleksandr", born);
        PersonDescription ukrainianSpelling = person("Petrenko", "Oleksandr", born);
        PersonDescription english = person("Petrenko", "Alexander", born);

        // when
        Assessment toRussianSpelling = scorer.assess(cyrillic, russianSpelling);
        Assessment toUkrainianSpelling = scorer.assess(cyrillic, ukrainianSpelling);
        Assessment toEnglish = scorer.assess(cyrillic, english);

        // then
        assertThat(List.of(toRussianSpelling, toUkrainianSpelling, toEnglish))
                .extracting(Assessment::outcome)
                .containsOnly(Outcome.AUTO_MATCH);
        assertThat(level(toUkrainianSpelling, "givenName")).isEqualTo(GivenNameLevel.EXACT.name());
        assertThat(level(toRussianSpelling, "givenName")).isEqualTo(GivenNameLevel.EQUIVALENT.name());
        assertThat(level(toRussianSpelling, "surname")).isEqualTo(SurnameLevel.EXACT.name());
    }

    @Test
    void shouldTreatRussianAleksandrAndUkrainianOleksandrAsOneNameButNotTheSameSpelling() {
        // given
        PersonDescription russian = person("Петренко", "Александр", LocalDate.of(1990, 1, 2));
        PersonDescription ukrainian = person("Петренко", "Олександр", LocalDate.of(1990, 1, 2));

        // when
        Assessment assessment = scorer.assess(ukrainian, russian);

        // then
        assertThat(level(assessment, "givenName")).isEqualTo(GivenNameLevel.EQUIVALENT.name());
        assertThat(assessment.outcome()).isEqualTo(Outcome.AUTO_MATCH);
    }

    @Test
    void shouldReadCyrillicAsUkrainianOrRussianByTheLettersOnlyOneLanguageHas() {
        assertThat(Transliteration.readings("Сергій Іваненко")).containsExactly(Reading.UKRAINIAN);
        assertThat(Transliteration.readings("Фёдор Лыков")).containsExactly(Reading.RUSSIAN);
        assertThat(Transliteration.readings("Николай Петренко")).containsExactly(Reading.UKRAINIAN, Reading.RUSSIAN);
        assertThat(Transliteration.readings("Nikolai Petrenko")).containsExactly(Reading.LATIN);
    }

    @Test
    void shouldGiveBothReadingsOfAmbiguousCyrillic() {
        assertThat(Transliteration.latinForms("Николай")).containsExactly("nykolay", "nikolay");
        assertThat(Transliteration.latinForms("Гнатюк")).containsExactly("hnatyuk", "gnatyuk");
    }

    @Test
    void shouldDropSoftSignsApostrophesAndDiacritics() {
        assertThat(Transliteration.latinForms("Ковальчук")).containsExactly("kovalchuk");
        assertThat(Transliteration.latinForms("Лук'яненко")).containsExactly("lukyanenko");
        assertThat(Transliteration.latinForms("Фёдор")).containsExactly("fedor");
        assertThat(Transliteration.latinForms("Ševčenko")).containsExactly("sevcenko");
        assertThat(Transliteration.latinForms("Petrenko–Koval")).containsExactly("petrenko-koval");
    }

    @Test
    void shouldGiveOneCanonicalSpellingForDifferentRomanisations() {
        assertThat(List.of("Serhiy", "Serhii", "Sergii").stream().map(TransliterationTest::canonical).distinct()).hasSize(1);
        assertThat(List.of("Yurii", "Iurii", "Yuriy").stream().map(TransliterationTest::canonical).distinct()).hasSize(1);
        assertThat(List.of("Hnatyuk", "Gnatiuk", "Hnatiuk").stream().map(TransliterationTest::canonical).distinct()).hasSize(1);
        assertThat(canonical("Ivanov")).isNotEqualTo(canonical("Ivanova"));
    }

    @Test
    void shouldGiveOnePhoneticKeyToSpellingsThatSoundAlike() {
        // given
        List<String> spellings = List.of("oleksandr", "aleksandr", "alexander");

        // when
        List<String> keys = spellings.stream().map(s -> Spelling.phoneticKey(Spelling.canonical(s))).distinct().toList();

        // then
        assertThat(keys).containsExactly("lksndr");
        assertThat(Spelling.phoneticKey(Spelling.canonical("kharchenko")))
                .isEqualTo(Spelling.phoneticKey(Spelling.canonical("harchenko")))
                .isEqualTo(Spelling.phoneticKey(Spelling.canonical("garchenko")));
        assertThat(Spelling.phoneticKey(Spelling.canonical("tsybulya")))
                .isEqualTo(Spelling.phoneticKey(Spelling.canonical("cibulja")));
    }

    private static String canonical(String latin) {
        return Spelling.canonical(Transliteration.fold(latin));
    }

    private static PersonDescription person(String surname, String given, LocalDate born) {
        return new PersonDescription(List.of(new Name(surname, given, null)), born, null, null);
    }

    static String level(Assessment assessment, String field) {
        return assessment.evidence().stream().filter(e -> e.field().equals(field)).findFirst()
                .orElseThrow(() -> new AssertionError("no evidence for " + field + " in " + assessment)).level();
    }
}
