package org.homecoming.reunification.inquiries;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.homecoming.events.reunification.InquiryRegistered;
import org.springframework.stereotype.Component;

/**
 * The current state of every inquiry, as on the compacted {@code reunification.inquiries} topic: the REST side writes
 * it as soon as its transaction commits (so a re-sent POST or a withdrawal takes effect at once), and the pairing
 * listener applies every record it reads from the topic (so the book is rebuilt after a restart).
 */
@Component
public class InquiryBook {

    private final Map<String, InquiryRegistered> open = new ConcurrentHashMap<>();
    private final Set<String> withdrawn = ConcurrentHashMap.newKeySet();

    /** Applies a record of the inquiries topic; {@code null} is a tombstone. Older revisions never win. */
    public void apply(String inquiryId, InquiryRegistered inquiry) {
        if (inquiry == null) {
            withdrawn.add(inquiryId);
            open.remove(inquiryId);
            return;
        }
        if (withdrawn.contains(inquiryId)) {
            return;
        }
        open.merge(inquiryId, inquiry, (known, incoming) -> incoming.getRevision() >= known.getRevision() ? incoming : known);
    }

    public Optional<InquiryRegistered> find(String inquiryId) {
        return Optional.ofNullable(open.get(inquiryId));
    }

    public boolean isWithdrawn(String inquiryId) {
        return withdrawn.contains(inquiryId);
    }

    public boolean isOpen(String inquiryId) {
        return open.containsKey(inquiryId) && !withdrawn.contains(inquiryId);
    }

    public void clear() {
        open.clear();
        withdrawn.clear();
    }
}
