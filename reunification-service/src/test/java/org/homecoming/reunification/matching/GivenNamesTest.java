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

class GivenNamesTest {

    @Test
    void shouldShipAtLeastSixtyEquivalenceClasses() {
        assertThat(GivenNames.standard().classCount()).isGreaterThanOrEqualTo(60);
    }

    @Test
    void shouldKnowUkrainianRussianLatinAndEnglishFormsAsOneName() {
        GivenNames names = GivenNames.standard();

        assertThat(names.areEquivalent("Олександр", "Sasha")).isTrue();
        assertThat(names.areEquivalent("Микола", "Nicholas")).isTrue();
        assertThat(names.areEquivalent("Николай", "Mykola")).isTrue();
        assertThat(names.areEquivalent("Сергій", "Sergey")).isTrue();
        assertThat(names.areEquivalent("Serhiy", "Сергей")).isTrue();
        assertThat(names.areEquivalent("Наталья", "Nataliia")).isTrue();
        assertThat(names.areEquivalent("Ганна", "Anna")).isTrue();
    }

    @Test
    void shouldKeepDifferentNamesApartEvenWhenTheyShareADiminutive() {
        GivenNames names = GivenNames.standard();

        assertThat(names.areEquivalent("Oleksandr", "Oleksandra")).isFalse();
        assertThat(names.areEquivalent("Sasha", "Oleksandra")).isTrue();
        assertThat(names.areEquivalent("Mykola", "Mykhailo")).isFalse();
    }

    @Test
    void shouldAddTheClassesOfAnExtraFileThatOpsMaintain(@TempDir Path dir) throws IOException {
        // given
        Path extra = dir.resolve("extra-given-names.csv");
        Files.writeString(extra, "# added in the field\nОстап,Остап,Ostap,Eustachy\n\n", StandardCharsets.UTF_8);
        PersonDescription sought = person("Eustachy");
        PersonDescription listed = person("Остап");

        // when
        GivenNames extended = GivenNames.withExtraFile(extra);
        Assessment before = MatchScorer.standard().assess(sought, listed);
        Assessment after = new MatchScorer(extra).assess(sought, listed);

        // then
        assertThat(extended.classCount()).isEqualTo(GivenNames.standard().classCount() + 1);
        assertThat(extended.areEquivalent("Остап", "Eustachy")).isTrue();
        assertThat(TransliterationTest.level(before, "givenName")).isEqualTo("DISAGREE");
        assertThat(TransliterationTest.level(after, "givenName")).isEqualTo("EQUIVALENT");
        assertThat(after.outcome()).isEqualTo(Outcome.AUTO_MATCH);
    }

    @Test
    void shouldRefuseAnExtraFileLineWithoutAnyNameForm(@TempDir Path dir) throws IOException {
        Path extra = dir.resolve("broken.csv");
        Files.writeString(extra, "Остап\n , ,\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> GivenNames.withExtraFile(extra))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("line 2");
    }

    private static PersonDescription person(String given) {
        return new PersonDescription(List.of(new Name("Бойко", given, null)), LocalDate.of(1979, 11, 3), null, null);
    }
}
