package org.homecoming.roster.lists;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.homecoming.events.common.PersonCategory;
import org.homecoming.events.common.Side;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.roster.ReleaseListPublished;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rebuilding the lists from the topics gives the state that publishing them gave. */
class ListsFeedTest {

    static final Instant V1 = Instant.parse("2026-11-27T10:00:00Z");
    static final Instant V2 = Instant.parse("2026-11-27T12:00:00Z");

    final List<ReleaseListPublished> headers = new ArrayList<>();
    final List<PersonListingChanged> changes = new ArrayList<>();
    final ReleaseLists published = new ReleaseLists();

    @Test
    void shouldRebuildEveryVersionWhateverTheOrderOfTheRecords() {
        ListEntry petrenko = entry("UA-1", "Петренко");
        ListEntry koval = entry("UA-2", "Коваль");
        ListEntry melnyk = entry("UA-3", "Мельник");
        publish(List.of(petrenko, koval), V1);
        publish(List.of(entry("UA-1", "Петренко-Коваль"), melnyk), V2);
        Collections.shuffle(changes, new Random(7));
        Collections.reverse(headers);

        ReleaseLists rebuilt = new ReleaseLists();
        ListsFeed.rebuild(headers, changes, rebuilt);

        ReleaseList list = rebuilt.find("list-1").orElseThrow();
        assertThat(list).as("the same list as the publisher's").isEqualTo(published.find("list-1").orElseThrow());
        assertThat(list.entries().keySet()).containsExactly("UA-1", "UA-3");
        assertThat(list.entries().get("UA-1").surname()).isEqualTo("Петренко-Коваль");
        assertThat(rebuilt.history("UA-2")).extracting(ReleaseLists.PersonChange::change)
                .as("the history in the order it happened")
                .containsExactly(ListingChange.LISTED, ListingChange.WITHDRAWN);
    }

    @Test
    void shouldRefuseAVersionWhoseEntriesDoNotMatchItsHeader() {
        publish(List.of(entry("UA-1", "Петренко"), entry("UA-2", "Коваль")), V1);
        changes.set(1, PersonListingChanged.newBuilder(changes.get(1)).setUnit("altered").build());

        ReleaseLists lists = new ReleaseLists();
        assertThatThrownBy(() -> ListsFeed.rebuild(headers, changes, lists))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("list-1 version 1");
        assertThat(lists.find("list-1")).as("the version that does not match is not applied").isEmpty();
        assertThat(lists.history("UA-2")).isEmpty();
    }

    @Test
    void shouldNotApplyAVersionBeforeAllItsPersonEventsAreRead() {
        publish(List.of(entry("UA-1", "Петренко"), entry("UA-2", "Коваль")), V1);
        PersonListingChanged late = changes.remove(1);
        ReleaseLists rebuilt = new ReleaseLists();

        ListsFeed.rebuild(headers, changes, rebuilt);
        assertThat(rebuilt.find("list-1")).as("half a version is not a version").isEmpty();

        ListsFeed.rebuild(headers, List.of(changes.get(0), late), rebuilt);
        assertThat(rebuilt.find("list-1").orElseThrow().entries()).containsOnlyKeys("UA-1", "UA-2");
    }

    /** What the publisher sends for a version, recorded as the topics would hold it, and applied as it applies it. */
    private void publish(List<ListEntry> next, Instant at) {
        ListVersionRecords records = ListVersionRecords.of("round-1", Side.RU, "list-1",
                published.find("list-1").orElse(null), next, at);
        published.apply(records.header(), records.changes());
        changes.addAll(records.changes());
        headers.add(records.header());
    }

    private static ListEntry entry(String personId, String surname) {
        return new ListEntry(personId, surname, "Олександр", null, null, null, null, null, PersonCategory.SOLDIER,
                null, null, null);
    }
}
