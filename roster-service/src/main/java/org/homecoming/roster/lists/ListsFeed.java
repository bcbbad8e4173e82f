package org.homecoming.roster.lists;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.roster.ReleaseListPublished;
import org.homecoming.roster.RosterFeed;
import org.springframework.stereotype.Component;

/**
 * The release lists and person histories as the roster's list topics tell them, whichever instance published them:
 * at start-up from the beginning, then whenever the {@link RosterFeed} reads on. A version is applied once its header
 * and all its person events (as many as the header counts) have been read, in version order per list, exactly as the
 * publisher applied it; its checksum is then recomputed and compared with the header's: a mismatch means the topics do
 * not hold what was published, and the service refuses to go on (at start-up: to start) rather than amend lists it
 * cannot trust. A version this instance already applied when it published it changes nothing.
 */
@Component
class ListsFeed implements RosterFeed.Reader {

    private final ReleaseLists lists;
    private final Map<String, ReleaseListPublished> headers = new HashMap<>();
    private final Map<String, List<PersonListingChanged>> changesOfVersion = new HashMap<>();

    ListsFeed(ReleaseLists lists) {
        this.lists = lists;
    }

    @Override
    public List<Topic<?, ?>> topics() {
        return List.of(Topics.RELEASE_LISTS, Topics.LISTED_PERSONS);
    }

    @Override
    public void read(ConsumerRecord<String, Object> record) {
        if (record.topic().equals(Topics.RELEASE_LISTS.name())) {
            read(Topics.RELEASE_LISTS.value(record.value()));
        } else {
            read(Topics.LISTED_PERSONS.value(record.value()));
        }
    }

    void read(ReleaseListPublished header) {
        if (header.getVersion() > currentVersion(header.getListId())) {
            headers.put(versionKey(header.getListId(), header.getVersion()), header);
        }
    }

    void read(PersonListingChanged change) {
        if (change.getListVersion() > currentVersion(change.getListId())) {
            changesOfVersion.computeIfAbsent(versionKey(change.getListId(), change.getListVersion()),
                    key -> new ArrayList<>()).add(change);
        }
    }

    /** Applies every version that is complete and next in line, in version order per list. */
    @Override
    public void polled() {
        boolean applied = true;
        while (applied) {
            applied = false;
            List<ReleaseListPublished> pending = new ArrayList<>(headers.values());
            pending.sort(Comparator.comparing(ReleaseListPublished::getListId)
                    .thenComparing(ReleaseListPublished::getVersion));
            for (ReleaseListPublished header : pending) {
                String key = versionKey(header.getListId(), header.getVersion());
                int current = currentVersion(header.getListId());
                List<PersonListingChanged> changes = changesOfVersion.getOrDefault(key, List.of());
                if (header.getVersion() <= current) {
                    // applied by this instance when it published it
                    headers.remove(key);
                    changesOfVersion.remove(key);
                } else if (header.getVersion() == current + 1 && changes.size()
                        == header.getListedCount() + header.getWithdrawnCount() + header.getCorrectedCount()) {
                    apply(header, changes);
                    headers.remove(key);
                    changesOfVersion.remove(key);
                    applied = true;
                }
            }
        }
        changesOfVersion.values().removeIf(changes ->
                changes.get(0).getListVersion() <= currentVersion(changes.get(0).getListId()));
    }

    /**
     * Checks the version before applying it: one that does not match its header never reaches the lists, so a request
     * failing on it leaves no half-trusted version that later amendments would build on; the next poll refuses it again.
     */
    private void apply(ReleaseListPublished header, List<PersonListingChanged> changes) {
        ReleaseList list = lists.find(header.getListId())
                .orElseGet(() -> ReleaseList.empty(header.getListId(), header.getRoundId(), header.getReleasingSide()))
                .apply(header, changes);
        String checksum = ListChecksum.of(list.entries().values());
        if (!checksum.equals(header.getChecksum()) || list.entries().size() != header.getEntryCount()) {
            throw new IllegalStateException("List " + header.getListId() + " version " + header.getVersion()
                    + " read back from the topics does not match its header (entries " + list.entries().size()
                    + " vs " + header.getEntryCount() + ", checksum " + checksum + " vs " + header.getChecksum() + ")");
        }
        lists.apply(header, changes);
    }

    private int currentVersion(String listId) {
        return lists.find(listId).map(ReleaseList::version).orElse(0);
    }

    /** Reads these records, in this order, as one poll (for tests of the rebuild). */
    static void rebuild(List<ReleaseListPublished> headers, List<PersonListingChanged> changes, ReleaseLists lists) {
        ListsFeed feed = new ListsFeed(lists);
        headers.forEach(feed::read);
        changes.forEach(feed::read);
        feed.polled();
    }

    private static String versionKey(String listId, int version) {
        return listId + '\u0000' + version;
    }
}
