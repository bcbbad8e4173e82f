package org.homecoming.roster.lists;

import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.homecoming.events.common.PersonCategory;
import org.homecoming.roster.lists.ReleaseListValidator.Checked;
import org.homecoming.synthetic.lists.ScenarioLists;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The workshop's scenario lists (from the synthetic module) pass the roster's own rules. */
class ScenarioListsTest {

    static final LocalDate EXCHANGE_EVE = LocalDate.of(2026, 12, 4);
    static final List<String> FILES = List.of("stage-1-released-by-ru.csv", "stage-1-released-by-ru-amended.csv",
            "stage-1-released-by-ua.csv");

    @Test
    void shouldHoldThe390PersonsRussiaFreesToUkraine() throws Exception {
        Checked list = check("stage-1-released-by-ru.csv");

        assertThat(list.violations()).as("the list passes every row rule").isEmpty();
        assertThat(count(list, PersonCategory.SOLDIER)).isEqualTo(270);
        assertThat(count(list, PersonCategory.CIVILIAN)).isEqualTo(120);
        assertThat(list.entries()).as("some names in Russian spelling, as a Russian list writes them")
                .anySatisfy(entry -> assertThat(entry.patronymic()).endsWith("евич"));
        assertThat(list.entries()).as("civilians from one cross-border raid")
                .filteredOn(entry -> entry.capturePlace().startsWith("с. Прикордонне")).hasSizeGreaterThan(30);
        assertThat(list.entries()).as("held about two years")
                .anySatisfy(entry -> assertThat(entry.captureDate()).isBefore(LocalDate.of(2025, 1, 1)));
    }

    @Test
    void shouldHoldThe390PersonsUkraineFreesToRussia() throws Exception {
        Checked list = check("stage-1-released-by-ua.csv");

        assertThat(list.violations()).isEmpty();
        assertThat(list.entries()).hasSize(390);
    }

    @Test
    void shouldAmendTheListAtTheLastMinute() throws Exception {
        Map<String, ListEntry> first = check("stage-1-released-by-ru.csv").entries().stream()
                .collect(Collectors.toMap(ListEntry::personId, Function.identity(), (a, b) -> a, TreeMap::new));

        ListAmendment amendment = ListAmendment.between(first, check("stage-1-released-by-ru-amended.csv").entries());

        assertThat(amendment.withdrawn()).hasSize(2);
        assertThat(amendment.listed()).hasSize(2);
        assertThat(amendment.corrected()).as("three misspelt surnames corrected").hasSize(3);
    }

    private static long count(Checked list, PersonCategory category) {
        return list.entries().stream().filter(entry -> entry.category() == category).count();
    }

    private static Checked check(String file) throws IOException {
        return ReleaseListValidator.entries(ReleaseListCsv.read(resource(file), "stage-1", null), EXCHANGE_EVE);
    }

    private static byte[] resource(String file) throws IOException {
        try (InputStream in = ScenarioListsTest.class.getResourceAsStream(ScenarioLists.RESOURCES + file)) {
            assertThat(in).as("scenario/" + file + " is on the classpath").isNotNull();
            return in.readAllBytes();
        }
    }
}
