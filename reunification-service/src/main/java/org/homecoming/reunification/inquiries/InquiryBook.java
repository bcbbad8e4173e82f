package org.homecoming.reunification.inquiries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
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
 *
 * <p>Inquiries are kept as Avro single-object bytes, not as objects: a million of them are held, and only REST and
 * delivery ever read one back.
 */
@Component
public class InquiryBook {

    private final Map<String, Stored> open = new ConcurrentHashMap<>();
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
        open.merge(inquiryId, Stored.of(inquiry), (known, incoming) -> incoming.revision() >= known.revision() ? incoming : known);
    }

    public Optional<InquiryRegistered> find(String inquiryId) {
        return Optional.ofNullable(open.get(inquiryId)).map(Stored::inquiry);
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

    private record Stored(int revision, byte[] avro) {

        static Stored of(InquiryRegistered inquiry) {
            try {
                ByteBuffer buffer = inquiry.toByteBuffer();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return new Stored(inquiry.getRevision(), bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot encode inquiry " + inquiry.getInquiryId(), e);
            }
        }

        InquiryRegistered inquiry() {
            try {
                return InquiryRegistered.fromByteBuffer(ByteBuffer.wrap(avro));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot decode a stored inquiry", e);
            }
        }
    }
}
