package org.homecoming.roster.lists;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.homecoming.events.common.Side;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.roster.ReleaseListPublished;
import org.springframework.stereotype.Component;

/**
 * What the roster has published: every release list with its current entries and versions, and every
 * person's listing history. It changes only by {@link #apply applying} a committed version, whether just
 * published or read back from the topics at start-up, so both paths give the same state.
 */
@Component
class ReleaseLists {

    /** One change of a person's listing, as the person history shows it. */
    record PersonChange(ListingChange change, String roundId, String listId, int listVersion, Side releasingSide,
                        Instant changedAt) {
    }

    /** How a person was last listed in one round (a later withdrawal there does not remove it). */
    record Listing(String roundId, String listId, Side releasingSide, ListEntry entry) {
    }

    private final Map<String, ReleaseList> lists = new ConcurrentHashMap<>();
    private final Map<String, List<PersonChange>> histories = new ConcurrentHashMap<>();
    /** Person id → round id → the person's last listing there. */
    private final Map<String, Map<String, Listing>> listings = new ConcurrentHashMap<>();

    Optional<ReleaseList> find(String listId) {
        return Optional.ofNullable(lists.get(listId));
    }

    List<ReleaseList> ofRound(String roundId) {
        return lists.values().stream()
                .filter(list -> list.roundId().equals(roundId))
                .sorted(Comparator.comparing(ReleaseList::listId))
                .toList();
    }

    /** The lists of every round but this one. */
    List<ReleaseList> outsideRound(String roundId) {
        return lists.values().stream()
                .filter(list -> !list.roundId().equals(roundId))
                .sorted(Comparator.comparing(ReleaseList::listId))
                .toList();
    }

    /**
     * How the person was listed in every round but this one, whatever became of it since (withdrawn, the round
     * completed or cancelled): downstream services keep a person's progress by id, so an id once listed stays that
     * person's.
     */
    List<Listing> listedOutside(String personId, String roundId) {
        return listings.getOrDefault(personId, Map.of()).values().stream()
                .filter(listing -> !listing.roundId().equals(roundId))
                .sorted(Comparator.comparing(Listing::roundId))
                .toList();
    }

    /** The person's changes in the order they happened. */
    List<PersonChange> history(String personId) {
        return histories.getOrDefault(personId, List.of()).stream()
                .sorted(Comparator.comparing(PersonChange::changedAt).thenComparing(PersonChange::listVersion))
                .toList();
    }

    /**
     * Applies one committed version: its header and the person events of that version. A version the list already has
     * changes nothing: the publisher applies its own versions as they commit, and the feed reads them again.
     */
    synchronized void apply(ReleaseListPublished header, List<PersonListingChanged> changes) {
        ReleaseList existing = lists.get(header.getListId());
        if (existing != null && existing.version() >= header.getVersion()) {
            return;
        }
        lists.compute(header.getListId(), (listId, list) ->
                (list == null ? ReleaseList.empty(listId, header.getRoundId(), header.getReleasingSide()) : list)
                        .apply(header, changes));
        for (PersonListingChanged change : changes) {
            PersonChange item = new PersonChange(change.getChange(), change.getRoundId(), change.getListId(),
                    change.getListVersion(), change.getReleasingSide(), change.getChangedAt());
            histories.compute(change.getPersonId(), (personId, history) -> {
                List<PersonChange> next = history == null ? new ArrayList<>() : new ArrayList<>(history);
                next.add(item);
                return List.copyOf(next);
            });
            if (change.getChange() != ListingChange.WITHDRAWN) {
                Listing listing = new Listing(change.getRoundId(), change.getListId(), change.getReleasingSide(), ListEntry.from(change));
                listings.compute(change.getPersonId(), (personId, rounds) -> {
                    Map<String, Listing> next = rounds == null ? new HashMap<>() : new HashMap<>(rounds);
                    next.put(change.getRoundId(), listing);
                    return Map.copyOf(next);
                });
            }
        }
    }
}
