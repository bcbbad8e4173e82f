package org.homecoming.roster.lists;

import java.util.List;

import org.homecoming.roster.lists.CsvReader.CsvRecord;
import org.homecoming.roster.lists.CsvReader.MalformedCsvException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvReaderTest {

    @Test
    void shouldSkipAByteOrderMarkBeforeTheHeader() {
        List<CsvRecord> records = CsvReader.read("\uFEFFpersonId,surname\nUA-1,Петренко\n");

        assertThat(records.get(0).fields()).as("the BOM is not part of the first header name")
                .containsExactly("personId", "surname");
    }

    @Test
    void shouldSplitCrlfAndLfLinesAlike() {
        List<CsvRecord> records = CsvReader.read("a,b\r\n1,2\r\n3,4\n5,6");

        assertThat(records).extracting(CsvRecord::fields)
                .containsExactly(List.of("a", "b"), List.of("1", "2"), List.of("3", "4"), List.of("5", "6"));
        assertThat(records).extracting(CsvRecord::line).containsExactly(1, 2, 3, 4);
    }

    @Test
    void shouldKeepCommasQuotesAndLineBreaksInsideQuotedFields() {
        List<CsvRecord> records = CsvReader.read("place,note\n"
                + "\"Вовчанськ, Харківська обл.\",\"він сказав \"\"так\"\"\"\n"
                + "\"рядок\nдругий\",x\n"
                + "next,row\n");

        assertThat(records.get(1).fields()).containsExactly("Вовчанськ, Харківська обл.", "він сказав \"так\"");
        assertThat(records.get(2).fields()).containsExactly("рядок\nдругий", "x");
        assertThat(records.get(3).line()).as("a record after a two-line field starts on line 5").isEqualTo(5);
    }

    @Test
    void shouldSkipBlankLinesAndRowsOfEmptyFieldsButCountTheirLines() {
        List<CsvRecord> records = CsvReader.read("a,b\r\n\r\n1,2\r\n,\r\n   \r\n3,4\r\n\r\n");

        assertThat(records).extracting(CsvRecord::fields)
                .containsExactly(List.of("a", "b"), List.of("1", "2"), List.of("3", "4"));
        assertThat(records).extracting(CsvRecord::line).as("lines as an editor numbers them").containsExactly(1, 3, 6);
    }

    @Test
    void shouldKeepEmptyFieldsBetweenCommas() {
        assertThat(CsvReader.read("a,,c,\n").get(0).fields()).containsExactly("a", "", "c", "");
    }

    @Test
    void shouldRefuseAQuoteThatIsNeverClosedNamingTheLineWhereItOpened() {
        assertThatThrownBy(() -> CsvReader.read("a,b\n1,\"open\n2,3\n"))
                .isInstanceOfSatisfying(MalformedCsvException.class,
                        malformed -> assertThat(malformed.line()).isEqualTo(2));
    }

    @Test
    void shouldReadNothingFromAnEmptyText() {
        assertThat(CsvReader.read("")).isEmpty();
        assertThat(CsvReader.read("\uFEFF\r\n")).isEmpty();
    }
}
