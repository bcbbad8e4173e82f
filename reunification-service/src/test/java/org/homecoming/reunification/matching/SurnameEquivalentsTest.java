package org.homecoming.reunification.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SurnameEquivalentsTest {

    @Test
    void shouldShipTheCommonTranslatedSurnames() {
        SurnameEquivalents surnames = SurnameEquivalents.standard();

        assertThat(surnames.classCount()).isGreaterThanOrEqualTo(30);
        assertThat(surnames.classesOf(masculine("Кузнецова"))).isNotEmpty();
        assertThat(surnames.classesOf(masculine("Петренко"))).isEmpty();
    }

    @Test
    void shouldAddTheClassesOfAnExtraFileThatOpsMaintain(@TempDir Path dir) throws IOException {
        // given: a translation the shipped file does not know (Бджола, "bee", as Пчёлкин)
        Path extra = dir.resolve("extra-surnames.csv");
        Files.writeString(extra, "# added in the field\nБджола,Пчёлкин\n", StandardCharsets.UTF_8);
        PersonDescription sought = person("Бджола", "Іван", "Петрович");
        PersonDescription listed = person("Пчёлкин", "Иван", "Петрович");

        // when
        Assessment before = MatchScorer.standard().assess(sought, listed);
        Assessment after = new MatchScorer(null, extra).assess(sought, listed);

        // then
        assertThat(TransliterationTest.level(before, "surname")).isEqualTo("DISAGREE");
        assertThat(TransliterationTest.level(after, "surname")).isEqualTo("TRANSLATED");
        assertThat(after.outcome()).isEqualTo(Outcome.AUTO_MATCH);
    }

    @Test
    void shouldRefuseAnExtraFileLineWithOneFormOnly(@TempDir Path dir) throws IOException {
        Path extra = dir.resolve("broken.csv");
        Files.writeString(extra, "Бджола,Пчёлкин\nБджола\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> SurnameEquivalents.withExtraFile(extra))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2");
    }

    private static String masculine(String written) {
        return Spelling.masculineBase(Spelling.canonical(Transliteration.latinForms(written).get(0)));
    }

    private static PersonDescription person(String surname, String given, String patronymic) {
        return new PersonDescription(List.of(new Name(surname, given, patronymic)), LocalDate.of(1979, 11, 3), null, null);
    }
}
