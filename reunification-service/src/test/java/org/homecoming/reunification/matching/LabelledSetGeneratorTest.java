package org.homecoming.reunification.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class LabelledSetGeneratorTest {

    @Test
    void shouldGenerateTheSamePairsForTheSameSeed() {
        assertThat(new LabelledSetGenerator(5).pairs(20)).isEqualTo(new LabelledSetGenerator(5).pairs(20));
        assertThat(new LabelledSetGenerator(5).pairs(20)).isNotEqualTo(new LabelledSetGenerator(6).pairs(20));
    }

    @Test
    void shouldCoverEveryVariationKindWithTheRightLabel() {
        List<LabelledPair> pairs = new LabelledSetGenerator(1).pairs(10);

        assertThat(pairs).hasSize(10 * VariationKind.values().length);
        for (VariationKind kind : VariationKind.values()) {
            assertThat(pairs).filteredOn(p -> p.kind() == kind).hasSize(10)
                    .allMatch(p -> p.samePerson() == kind.samePerson());
        }
    }

    @Test
    void shouldWriteNamesInCyrillicAndLatin() {
        List<LabelledPair> pairs = new LabelledSetGenerator(1).pairs(10);

        List<String> surnames = pairs.stream().flatMap(p -> List.of(p.sought(), p.listed()).stream())
                .flatMap(d -> d.names().stream()).map(Name::surname).toList();
        assertThat(surnames).anyMatch(Transliteration::hasCyrillic);
        assertThat(surnames).anyMatch(s -> !Transliteration.hasCyrillic(s));
    }

    @Test
    void shouldBuildUkrainianAndRussianPatronymics() {
        assertThat(LabelledSetGenerator.ukrainianPatronymic("Сергій", false)).isEqualTo("Сергійович");
        assertThat(LabelledSetGenerator.ukrainianPatronymic("Сергій", true)).isEqualTo("Сергіївна");
        assertThat(LabelledSetGenerator.ukrainianPatronymic("Петро", false)).isEqualTo("Петрович");
        assertThat(LabelledSetGenerator.ukrainianPatronymic("Василь", true)).isEqualTo("Василівна");
        assertThat(LabelledSetGenerator.russianPatronymic("Сергей", false)).isEqualTo("Сергеевич");
        assertThat(LabelledSetGenerator.russianPatronymic("Юрий", true)).isEqualTo("Юрьевна");
        assertThat(LabelledSetGenerator.russianPatronymic("Николай", false)).isEqualTo("Николаевич");
    }
}
