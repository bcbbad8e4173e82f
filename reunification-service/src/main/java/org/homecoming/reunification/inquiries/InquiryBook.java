package org.homecoming.reunification.inquiries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.events.reunification.Relative;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The current state of every inquiry, as on the compacted {@code reunification.inquiries} topic. Its one writer is
 * pairing, which applies every record it reads from the topic (live, and when it rebuilds after a restart). REST's own
 * writes that pairing has not read back yet are {@link InquiryService}'s to know.
 *
 * <p>A million inquiries are held and only REST, delivery and alerts read one back, so the service keeps them off the
 * heap, as Avro single-object bytes in a {@link DiskInquiryStore} (a cache of the topic, rebuilt at every start). An
 * inquiry whose contact data is in plaintext (written before contact data was sealed) stays on the heap instead:
 * plaintext contact data is never written to disk, and retention re-publishes those inquiries sealed.
 */
@Component
public class InquiryBook implements InquiryLookup, AutoCloseable {

    private final InquiryStore store;
    private final Map<String, InquiryRegistered> plaintext = new ConcurrentHashMap<>();
    private final Set<String> withdrawn = ConcurrentHashMap.newKeySet();

    /** A book on the heap, for a few inquiries. */
    public InquiryBook() {
        this(new HeapInquiryStore());
    }

    @Autowired
    InquiryBook(@Value("${reunification.inquiry-book.directory:${java.io.tmpdir}/homecoming-state/reunification-inquiry-book}") Path directory) {
        this(DiskInquiryStore.open(directory));
    }

    InquiryBook(InquiryStore store) {
        this.store = store;
    }

    /** The revision at which the inquiry's sought person was last changed (records before schema v4 do not say). */
    public static int soughtRevision(InquiryRegistered inquiry) {
        return inquiry.getSoughtRevision() == null ? inquiry.getRevision() : inquiry.getSoughtRevision();
    }

    /** Applies a record of the inquiries topic; {@code null} is a tombstone. Older revisions never win. */
    public synchronized void apply(String inquiryId, InquiryRegistered inquiry) {
        if (inquiry == null) {
            withdrawn.add(inquiryId);
            store.delete(inquiryId);
            plaintext.remove(inquiryId);
            return;
        }
        if (withdrawn.contains(inquiryId) || revision(inquiryId) > inquiry.getRevision()) {
            return;
        }
        // the new state is in place before the old one goes, so a reader always finds one of them
        if (inPlaintext(inquiry.getRelative())) {
            plaintext.put(inquiryId, inquiry);
            store.delete(inquiryId);
        } else {
            store.put(inquiryId, encode(inquiry));
            plaintext.remove(inquiryId);
        }
    }

    @Override
    public Optional<InquiryRegistered> find(String inquiryId) {
        InquiryRegistered inPlaintext = plaintext.get(inquiryId);
        if (inPlaintext != null) {
            return Optional.of(inPlaintext);
        }
        return Optional.ofNullable(store.get(inquiryId)).map(InquiryBook::decode);
    }

    @Override
    public boolean isWithdrawn(String inquiryId) {
        return withdrawn.contains(inquiryId);
    }

    /** The ids of the open inquiries whose contact data is in plaintext, at this moment. */
    public List<String> plaintextInquiryIds() {
        return List.copyOf(plaintext.keySet());
    }

    public synchronized void clear() {
        store.clear();
        plaintext.clear();
        withdrawn.clear();
    }

    @Override
    public void close() {
        store.close();
    }

    /** The revision held, or 0 for none. */
    private int revision(String inquiryId) {
        InquiryRegistered inPlaintext = plaintext.get(inquiryId);
        if (inPlaintext != null) {
            return inPlaintext.getRevision();
        }
        byte[] stored = store.get(inquiryId);
        return stored == null ? 0 : ByteBuffer.wrap(stored).getInt();
    }

    private static boolean inPlaintext(Relative relative) {
        return relative.getName() != null || relative.getEmail() != null || relative.getPhone() != null;
    }

    /** The revision, then the Avro single-object encoding: the revision is read without decoding the inquiry. */
    private static byte[] encode(InquiryRegistered inquiry) {
        try {
            ByteBuffer avro = inquiry.toByteBuffer();
            ByteBuffer bytes = ByteBuffer.allocate(Integer.BYTES + avro.remaining());
            bytes.putInt(inquiry.getRevision()).put(avro);
            return bytes.array();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode inquiry " + inquiry.getInquiryId(), e);
        }
    }

    private static InquiryRegistered decode(byte[] stored) {
        try {
            return InquiryRegistered.fromByteBuffer(ByteBuffer.wrap(stored, Integer.BYTES, stored.length - Integer.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot decode a stored inquiry", e);
        }
    }
}
