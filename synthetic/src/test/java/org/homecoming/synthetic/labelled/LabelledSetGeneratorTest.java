package org.homecoming.synthetic.labelled;

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
                .flatMap(d -> d.names().stream()).map(WrittenName::surname).toList();
        assertThat(surnames).anyMatch(s -> s.matches(".*\\p{IsCyrillic}.*"));
        assertThat(surnames).anyMatch(s -> s.matches("[A-Za-z' -]+"));
    }
}
