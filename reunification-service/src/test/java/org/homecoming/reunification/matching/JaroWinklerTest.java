package org.homecoming.reunification.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class JaroWinklerTest {

    @Test
    void shouldReproduceWinklersPublishedValues() {
        assertThat(JaroWinkler.similarity("MARTHA", "MARHTA")).isCloseTo(0.961, within(0.001));
        assertThat(JaroWinkler.similarity("DWAYNE", "DUANE")).isCloseTo(0.840, within(0.001));
        assertThat(JaroWinkler.similarity("DIXON", "DICKSONX")).isCloseTo(0.813, within(0.001));
    }

    @Test
    void shouldBeOneForEqualAndZeroForDisjointOrEmptyStrings() {
        assertThat(JaroWinkler.similarity("petrenko", "petrenko")).isEqualTo(1.0);
        assertThat(JaroWinkler.similarity("abc", "xyz")).isEqualTo(0.0);
        assertThat(JaroWinkler.similarity("", "petrenko")).isEqualTo(0.0);
    }

    @Test
    void shouldBeSymmetric() {
        assertThat(JaroWinkler.similarity("kovalenko", "kovalchuk"))
                .isEqualTo(JaroWinkler.similarity("kovalchuk", "kovalenko"));
    }

    @Test
    void shouldGiveTheSameAnswerForNamesLongerThanSixtyFourCharacters() {
        String stem = "petrenko-kovalenko-shevchenko-bondarenko-tkachenko-kravchenko-";

        double shortPair = JaroWinkler.similarity("kovalenko", "kovalneko");
        double longPair = JaroWinkler.similarity(stem + "kovalenko", stem + "kovalneko");

        assertThat(shortPair).isLessThan(1.0);
        assertThat(longPair).isBetween(shortPair, 1.0).isLessThan(1.0);
        assertThat(JaroWinkler.similarity(stem + "kovalenko", stem + "kovalenko")).isEqualTo(1.0);
    }

    @Test
    void shouldCountATranspositionAsOneEdit() {
        assertThat(EditDistance.bounded("petrenko", "petrneko", 2)).isEqualTo(1);
        assertThat(EditDistance.bounded("petrenko", "ptrenk", 2)).isEqualTo(2);
        assertThat(EditDistance.bounded("petrenko", "kovalchuk", 2)).isEqualTo(3);
    }
}
