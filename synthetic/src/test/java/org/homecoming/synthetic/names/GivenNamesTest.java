package org.homecoming.synthetic.names;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GivenNamesTest {

    @Test
    void shouldBuildUkrainianAndRussianPatronymics() {
        assertThat(GivenNames.byUkrainian("Сергій").ukrainianPatronymic(false)).isEqualTo("Сергійович");
        assertThat(GivenNames.byUkrainian("Сергій").ukrainianPatronymic(true)).isEqualTo("Сергіївна");
        assertThat(GivenNames.byUkrainian("Петро").ukrainianPatronymic(false)).isEqualTo("Петрович");
        assertThat(GivenNames.byUkrainian("Петро").russianPatronymic(true)).isEqualTo("Петровна");
        assertThat(GivenNames.byUkrainian("Василь").ukrainianPatronymic(true)).isEqualTo("Василівна");
        assertThat(GivenNames.byUkrainian("Григорій").ukrainianPatronymic(false)).isEqualTo("Григорович");
        assertThat(GivenNames.byUkrainian("Сергій").russianPatronymic(false)).isEqualTo("Сергеевич");
        assertThat(GivenNames.byUkrainian("Юрій").russianPatronymic(true)).isEqualTo("Юрьевна");
        assertThat(GivenNames.byUkrainian("Микола").russianPatronymic(false)).isEqualTo("Николаевич");
        assertThat(GivenNames.byUkrainian("Артем").russianPatronymic(false)).isEqualTo("Артёмович");
    }

    @Test
    void shouldFindNamesInTheOrderAskedAndRefuseAnUnknownOne() {
        assertThat(GivenNames.byUkrainian("Олена", "Андрій")).extracting(GivenName::russian).containsExactly("Елена", "Андрей");
        assertThatThrownBy(() -> GivenNames.byUkrainian("Nobody")).isInstanceOf(IllegalArgumentException.class);
    }
}
