package org.homecoming.roster.lists;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.homecoming.platform.web.Violation;
import org.homecoming.synthetic.lists.ListCsv;

import static org.assertj.core.api.Assertions.assertThat;

/** The CSV reader and the list rules never fail on any input: every problem is a violation with a row or a field. */
class CsvFuzzTest {

    static final LocalDate TODAY = LocalDate.of(2026, 11, 27);

    @Property(tries = 500)
    void shouldTurnAnyBytesIntoAListOrViolationsNeverAnException(@ForAll byte[] body) {
        ListUpload upload = ReleaseListCsv.read(body, "list-1", null);
        ReleaseListValidator.Checked checked = ReleaseListValidator.entries(upload, TODAY);

        assertThat(checked.violations()).allSatisfy(CsvFuzzTest::isExplained);
    }

    @Property(tries = 500)
    void shouldTurnAnyHostileListIntoAListOrViolationsNeverAnException(@ForAll("hostileCsv") String csv) {
        ListUpload upload = ReleaseListCsv.read(csv.getBytes(StandardCharsets.UTF_8), "list-1", null);
        ReleaseListValidator.Checked checked = ReleaseListValidator.entries(upload, TODAY);

        assertThat(checked.violations()).allSatisfy(CsvFuzzTest::isExplained);
        assertThat(checked.entries()).allSatisfy(entry -> {
            assertThat(entry.personId()).matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
            assertThat(entry.surname()).doesNotContain("\u202E", "\u200B", "\u0000");
        });
    }

    @Provide
    Arbitrary<String> hostileCsv() {
        Arbitrary<String> field = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(30),
                Arbitraries.strings().withChars("ПетренкоОлександр,\"\r\n\u202E\u200B\u0000\uFEFF;").ofMaxLength(20),
                Arbitraries.of("UA-1", "../../etc/passwd", "${jndi:ldap://x}", "+999999999-12-31", "1990-04-12", "SOLDIER",
                        "civilian", "", " ", "\"", "1e300", "NaN", "-1000000000-01-01", "31.12.1899"));
        Arbitrary<String> row = field.list().ofMaxSize(14).map(fields -> String.join(",", fields));
        return row.list().ofMaxSize(12).map(rows -> (Math.random() < 0.7 ? ListCsv.HEADER : "")
                + String.join(rows.size() % 2 == 0 ? "\n" : "\r\n", rows));
    }

    private static void isExplained(Violation violation) {
        assertThat(violation.reason()).isNotBlank();
        assertThat(violation.field() != null || violation.row() != null).isTrue();
    }
}
