package org.homecoming.synthetic.names;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TransliterationTest {

    @Test
    void shouldWriteUkrainianNamesAsUkrainianPassportsDo() {
        assertThat(Transliteration.UKRAINIAN.latin("Олександр")).isEqualTo("Oleksandr");
        assertThat(Transliteration.UKRAINIAN.latin("Юрій")).isEqualTo("Yurii");
        assertThat(Transliteration.UKRAINIAN.latin("Євген")).isEqualTo("Yevhen");
        assertThat(Transliteration.UKRAINIAN.latin("Згурський")).as("зг is zgh").isEqualTo("Zghurskyi");
        assertThat(Transliteration.UKRAINIAN.latin("Дзюб’як")).isEqualTo("Dziubiak");
        assertThat(Transliteration.UKRAINIAN.latin("Щербак")).isEqualTo("Shcherbak");
    }

    @Test
    void shouldWriteRussianNamesAsRussianPassportsDo() {
        assertThat(Transliteration.RUSSIAN.latin("Александр")).isEqualTo("Aleksandr");
        assertThat(Transliteration.RUSSIAN.latin("Дмитрий")).isEqualTo("Dmitrii");
        assertThat(Transliteration.RUSSIAN.latin("Сергей")).isEqualTo("Sergei");
        assertThat(Transliteration.RUSSIAN.latin("Артём")).isEqualTo("Artem");
        assertThat(Transliteration.RUSSIAN.latin("Юрьевич")).isEqualTo("Iurevich");
    }
}
