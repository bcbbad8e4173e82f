package org.homecoming.roster.lists;

import java.nio.charset.StandardCharsets;

import org.homecoming.events.common.Side;
import org.homecoming.platform.web.Violation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReleaseListCsvTest {

    @Test
    void shouldReadColumnsInAnyOrderAndTrimValues() {
        ListUpload upload = read("category, surname ,givenName,personId\nSOLDIER,  Петренко ,Олександр,UA-1\n");

        assertThat(upload.formatViolations()).isEmpty();
        ListRow row = upload.rows().get(0);
        assertThat(row.row()).isEqualTo(2);
        assertThat(row.value(ListColumn.SURNAME)).isEqualTo("Петренко");
        assertThat(row.value(ListColumn.PERSON_ID)).isEqualTo("UA-1");
        assertThat(row.value(ListColumn.PATRONYMIC)).as("an absent column is an absent value").isNull();
    }

    @Test
    void shouldNameUnknownDuplicateAndMissingColumnsOfTheHeader() {
        ListUpload upload = read("personId,surname,surname,nickname\nUA-1,Петренко,Петренко,Сашко\n");

        assertThat(upload.formatViolations()).extracting(Violation::field)
                .containsExactlyInAnyOrder("surname", "column 4", "givenName", "category");
        assertThat(upload.formatViolations()).allSatisfy(violation -> assertThat(violation.row()).isEqualTo(1));
    }

    @Test
    void shouldReadAListOfTheMostPersonsAListMayHold() {
        // given: a list of exactly as many persons as a list may hold
        StringBuilder csv = new StringBuilder("personId,surname,givenName,category\n");
        for (int i = 1; i <= ListUpload.MAX_ROWS; i++) {
            csv.append("UA-").append(i).append(",Петренко,Олександр,SOLDIER\n");
        }

        // when it is read, then every row is there and nothing is refused
        ListUpload upload = read(csv.toString());
        assertThat(upload.formatViolations()).isEmpty();
        assertThat(upload.rows()).hasSize(ListUpload.MAX_ROWS);
    }

    @Test
    void shouldNeverEchoAPersonsDataWhenTheHeaderLineIsMissing() {
        // a list sent without its header: the first person's row is read as the header
        ListUpload upload = read("UA-1,Петренко,Олександр,12.04.1990,SOLDIER\nUA-2,Коваль,Іван,01.02.1985,CIVILIAN\n");

        assertThat(upload.formatViolations()).extracting(Violation::field)
                .contains("column 1", "column 2", "column 3", "column 4", "column 5");
        assertThat(upload.formatViolations()).extracting(violation -> violation.field() + " " + violation.reason())
                .allSatisfy(text -> assertThat(text).doesNotContain("Петренко", "Олександр", "12.04.1990", "UA-1"))
                .anySatisfy(text -> assertThat(text).contains("is the header line missing"));
    }

    @Test
    void shouldNameEveryRowWithTheWrongNumberOfFields() {
        ListUpload upload = read("personId,surname,givenName,category\nUA-1,Петренко,Олександр\n"
                + "UA-2,Коваль,Іван,SOLDIER\nUA-3,a,b,SOLDIER,extra\n");

        assertThat(upload.formatViolations()).extracting(Violation::row).containsExactly(2, 4);
        assertThat(upload.rows()).extracting(ListRow::row).containsExactly(3);
    }

    @Test
    void shouldRefuseABodyThatIsNotUtf8() {
        byte[] windows1251 = "personId,surname\nUA-1,Петренко\n".getBytes(java.nio.charset.Charset.forName("windows-1251"));

        ListUpload upload = ReleaseListCsv.read(windows1251, "list-1", Side.RU);

        assertThat(upload.formatViolations()).singleElement()
                .satisfies(violation -> assertThat(violation.reason()).contains("UTF-8"));
    }

    @Test
    void shouldNormalizeDecomposedCyrillicToOneForm() {
        String decomposed = "Андрі" + "и\u0306";
        ListUpload upload = read("personId,surname,givenName,category\nUA-1,Петренко," + decomposed + ",SOLDIER\n");

        assertThat(upload.rows().get(0).value(ListColumn.GIVEN_NAME)).isEqualTo("Андрій");
    }

    @Test
    void shouldAnswerAnEmptyBodyWithTheExpectedHeader() {
        assertThat(read("").formatViolations()).singleElement()
                .satisfies(violation -> assertThat(violation.reason()).contains("personId,surname,givenName"));
    }

    private static ListUpload read(String csv) {
        return ReleaseListCsv.read(csv.getBytes(StandardCharsets.UTF_8), "list-1", Side.RU);
    }
}
