package org.homecoming.reunification.inquiries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.homecoming.events.reunification.InquiryRegistered;
import org.springframework.stereotype.Component;

/**
 * The current state of every inquiry, as on the compacted {@code reunification.inquiries} topic. Its one writer is
 * pairing, which applies every record it reads from the topic (live, and when it rebuilds after a restart). REST's own
 * writes that pairing has not read back yet are {@link InquiryService}'s to know.
 *
 * <p>Inquiries are kept as Avro single-object bytes, not as objects: a million of them are held, and only REST,
 * delivery and alerts ever read one back.
 */
@Component
public class InquiryBook implements InquiryLookup {

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

    @Override
    public Optional<InquiryRegistered> find(String inquiryId) {
        return Optional.ofNullable(open.get(inquiryId)).map(Stored::inquiry);
    }

    @Override
    public boolean isWithdrawn(String inquiryId) {
        return withdrawn.contains(inquiryId);
    }

    /** The ids of every open inquiry, at this moment. */
    public List<String> openInquiryIds() {
        return List.copyOf(open.keySet());
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
