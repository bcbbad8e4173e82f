package org.homecoming.roster.lists;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import org.homecoming.events.common.PersonCategory;
import org.homecoming.events.common.Side;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.roster.ReleaseListPublished;

/**
 * A release list as published so far: its current entries and the summary of every version. Immutable:
 * applying a version gives a new value, so readers never see a list half-way through an amendment.
 */
record ReleaseList(String listId, String roundId, Side releasingSide, SortedMap<String, ListEntry> entries,
                   List<ListVersion> versions) {

    /** One published version of a list, as its ReleaseListPublished header tells it. */
    record ListVersion(int version, int entryCount, String checksum, int listedCount, int withdrawnCount,
                       int correctedCount, Instant publishedAt) {

        static ListVersion from(ReleaseListPublished header) {
            return new ListVersion(header.getVersion(), header.getEntryCount(), header.getChecksum(),
                    header.getListedCount(), header.getWithdrawnCount(), header.getCorrectedCount(),
                    header.getPublishedAt());
        }
    }

    ReleaseList {
        entries = Collections.unmodifiableSortedMap(entries);
        versions = List.copyOf(versions);
    }

    static ReleaseList empty(String listId, String roundId, Side releasingSide) {
        return new ReleaseList(listId, roundId, releasingSide, new TreeMap<>(), List.of());
    }

    int version() {
        return versions.isEmpty() ? 0 : versions.get(versions.size() - 1).version();
    }

    ListVersion latest() {
        return versions.get(versions.size() - 1);
    }

    long count(PersonCategory category) {
        return entries.values().stream().filter(entry -> entry.category() == category).count();
    }

    /** This list after a version: its header and the person events published with it. */
    ReleaseList apply(ReleaseListPublished header, List<PersonListingChanged> changes) {
        SortedMap<String, ListEntry> next = new TreeMap<>(entries);
        for (PersonListingChanged change : changes) {
            if (change.getChange() == ListingChange.WITHDRAWN) {
                next.remove(change.getPersonId());
            } else {
                next.put(change.getPersonId(), ListEntry.from(change));
            }
        }
        List<ListVersion> nextVersions = new ArrayList<>(versions);
        nextVersions.add(ListVersion.from(header));
        return new ReleaseList(listId, roundId, releasingSide, next, nextVersions);
    }
}
