package org.homecoming.roster.lists;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.homecoming.events.common.Side;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.roster.ReleaseListPublished;

/**
 * The records of one list version, as they go out in its transaction: a person event per difference from the
 * current version (LISTED, CORRECTED, then WITHDRAWN) and the header with the counts and the checksum.
 */
record ListVersionRecords(List<PersonListingChanged> changes, ReleaseListPublished header) {

    static ListVersionRecords of(String roundId, Side side, String listId, ReleaseList current, List<ListEntry> entries,
                                 Instant at) {
        ListAmendment amendment = ListAmendment.between(current == null ? Map.of() : current.entries(), entries);
        int version = current == null ? 1 : current.version() + 1;
        List<PersonListingChanged> changes = new ArrayList<>(amendment.size());
        amendment.listed().forEach(entry ->
                changes.add(entry.toEvent(ListingChange.LISTED, roundId, listId, version, side, at)));
        amendment.corrected().forEach(entry ->
                changes.add(entry.toEvent(ListingChange.CORRECTED, roundId, listId, version, side, at)));
        amendment.withdrawn().forEach(entry ->
                changes.add(entry.toEvent(ListingChange.WITHDRAWN, roundId, listId, version, side, at)));
        ReleaseListPublished header = ReleaseListPublished.newBuilder()
                .setListId(listId)
                .setRoundId(roundId)
                .setReleasingSide(side)
                .setVersion(version)
                .setEntryCount(entries.size())
                .setChecksum(ListChecksum.of(entries))
                .setListedCount(amendment.listed().size())
                .setWithdrawnCount(amendment.withdrawn().size())
                .setCorrectedCount(amendment.corrected().size())
                .setPublishedAt(at)
                .build();
        return new ListVersionRecords(List.copyOf(changes), header);
    }
}
