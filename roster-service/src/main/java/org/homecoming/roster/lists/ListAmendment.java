package org.homecoming.roster.lists;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a new version of a list changes against the current one: a new version is a full replacement, and
 * only the differences are published.
 *
 * @param listed    persons who were not on the list
 * @param withdrawn persons who are no longer on it, as they were listed
 * @param corrected persons whose details changed, with the new details
 */
record ListAmendment(List<ListEntry> listed, List<ListEntry> withdrawn, List<ListEntry> corrected) {

    static ListAmendment between(Map<String, ListEntry> current, Collection<ListEntry> next) {
        List<ListEntry> listed = new ArrayList<>();
        List<ListEntry> corrected = new ArrayList<>();
        Set<String> kept = new HashSet<>();
        for (ListEntry entry : next) {
            ListEntry before = current.get(entry.personId());
            if (before == null) {
                listed.add(entry);
            } else {
                kept.add(entry.personId());
                if (!before.equals(entry)) {
                    corrected.add(entry);
                }
            }
        }
        List<ListEntry> withdrawn = current.values().stream()
                .filter(entry -> !kept.contains(entry.personId()))
                .toList();
        return new ListAmendment(List.copyOf(listed), withdrawn, List.copyOf(corrected));
    }

    boolean isEmpty() {
        return listed.isEmpty() && withdrawn.isEmpty() && corrected.isEmpty();
    }

    int size() {
        return listed.size() + withdrawn.size() + corrected.size();
    }
}
