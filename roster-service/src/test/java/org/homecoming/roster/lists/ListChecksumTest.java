package org.homecoming.roster.lists;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.List;

import org.homecoming.events.common.PersonCategory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ListChecksumTest {

    static final ListEntry PETRENKO = new ListEntry("UA-1", "Петренко", "Олександр", "Іванович", "Petrenko",
            "Oleksandr", "Ivanovych", LocalDate.of(1990, 4, 12), PersonCategory.SOLDIER, "в/ч А0000",
            "Вовчанськ, Харківська обл.", LocalDate.of(2024, 6, 3));
    static final ListEntry KOVAL = new ListEntry("UA-2", "Коваль", "Іванна", null, null, null, null, null,
            PersonCategory.CIVILIAN, null, null, null);

    @Test
    void shouldHashTheSortedCanonicalEntriesAsTheReadmeDescribesThem() throws Exception {
        String canonical = "UA-1\u001FПетренко\u001FОлександр\u001FІванович\u001FPetrenko\u001FOleksandr\u001FIvanovych"
                + "\u001F1990-04-12\u001FSOLDIER\u001Fв/ч А0000\u001FВовчанськ, Харківська обл.\u001F2024-06-03\n"
                + "UA-2\u001FКоваль\u001FІванна\u001F\u001F\u001F\u001F\u001F\u001FCIVILIAN\u001F\u001F\u001F\n";
        String expected = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));

        assertThat(ListChecksum.of(List.of(KOVAL, PETRENKO))).isEqualTo(expected).hasSize(64);
    }

    @Test
    void shouldNotDependOnTheOrderOfRows() {
        assertThat(ListChecksum.of(List.of(PETRENKO, KOVAL))).isEqualTo(ListChecksum.of(List.of(KOVAL, PETRENKO)));
    }

    @Test
    void shouldChangeWhenAnyValueChanges() {
        ListEntry corrected = new ListEntry("UA-2", "Коваль", "Іванна", null, null, null, null,
                LocalDate.of(1971, 1, 1), PersonCategory.CIVILIAN, null, null, null);

        assertThat(ListChecksum.of(List.of(PETRENKO, corrected))).isNotEqualTo(ListChecksum.of(List.of(PETRENKO, KOVAL)));
    }

    @Test
    void shouldNotConfuseAValueMovedToTheNextColumn() {
        ListEntry inPatronymic = new ListEntry("UA-3", "Бойко", "Андрій", "Петрович", null, null, null, null,
                PersonCategory.SOLDIER, null, null, null);
        ListEntry inLatinSurname = new ListEntry("UA-3", "Бойко", "Андрій", null, "Петрович", null, null, null,
                PersonCategory.SOLDIER, null, null, null);

        assertThat(ListChecksum.of(List.of(inPatronymic))).isNotEqualTo(ListChecksum.of(List.of(inLatinSurname)));
    }
}
