package org.homecoming.roster.lists;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.homecoming.catalogue.Topics;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.roster.ReleaseListPublished;
import org.homecoming.platform.lifecycle.StartupStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.homecoming.roster.OwnTopics;
import org.springframework.stereotype.Component;

/**
 * Rebuilds the release lists and person histories from the roster's list topics when the service starts,
 * before it takes requests. Each version is applied with the person events of the same version, in
 * version order, exactly as the publisher applied it, and its checksum is recomputed and compared with
 * the header's: a mismatch means the topics do not hold what was published, and the service refuses to
 * start rather than amend lists it cannot trust.
 */
@Component
class ListsReplay extends StartupStep {

    private static final Logger log = LoggerFactory.getLogger(ListsReplay.class);

    private final OwnTopics topics;
    private final ReleaseLists lists;

    ListsReplay(OwnTopics topics, ReleaseLists lists) {
        super(Integer.MIN_VALUE + 1000);
        this.topics = topics;
        this.lists = lists;
    }

    @Override
    protected void run() {
        List<ReleaseListPublished> headers = new ArrayList<>();
        topics.readToEnd(Topics.RELEASE_LISTS, record -> headers.add(record.value()));
        List<PersonListingChanged> changes = new ArrayList<>();
        topics.readToEnd(Topics.LISTED_PERSONS, record -> changes.add(record.value()));
        rebuild(headers, changes, lists);
        log.info("Rebuilt {} list versions from the roster topics", headers.size());
    }

    /**
     * Applies every version, in version order per list, with the person events of that version, in whatever
     * order the topics' partitions gave them; refuses a version whose entries do not match its header.
     */
    static void rebuild(List<ReleaseListPublished> headers, List<PersonListingChanged> changes, ReleaseLists lists) {
        Map<String, List<PersonListingChanged>> changesOfVersion = new HashMap<>();
        for (PersonListingChanged change : changes) {
            changesOfVersion.computeIfAbsent(versionKey(change.getListId(), change.getListVersion()),
                    key -> new ArrayList<>()).add(change);
        }
        List<ReleaseListPublished> ordered = new ArrayList<>(headers);
        ordered.sort(Comparator.comparing(ReleaseListPublished::getListId)
                .thenComparing(ReleaseListPublished::getVersion));
        for (ReleaseListPublished header : ordered) {
            lists.apply(header, changesOfVersion.getOrDefault(versionKey(header.getListId(), header.getVersion()),
                    List.of()));
            ReleaseList list = lists.find(header.getListId()).orElseThrow();
            String checksum = ListChecksum.of(list.entries().values());
            if (!checksum.equals(header.getChecksum()) || list.entries().size() != header.getEntryCount()) {
                throw new IllegalStateException("List " + header.getListId() + " version " + header.getVersion()
                        + " read back from the topics does not match its header (entries " + list.entries().size()
                        + " vs " + header.getEntryCount() + ", checksum " + checksum + " vs " + header.getChecksum() + ")");
            }
        }
    }

    private static String versionKey(String listId, int version) {
        return listId + '\u0000' + version;
    }
}
