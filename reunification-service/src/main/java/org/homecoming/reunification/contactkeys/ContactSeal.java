package org.homecoming.reunification.contactkeys;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.events.reunification.Relative;
import org.homecoming.events.reunification.SealedContact;
import org.homecoming.reunification.contactkeys.ContactKeyVault.DataKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals a relative's name, e-mail and phone before an inquiry goes to Kafka, and opens them where they are needed
 * (the hotline's read, the alert's delivery). Each field is AES-256-GCM under the inquiry's own data key with the
 * associated data {@code homecoming.inquiry-contact|v1|<inquiryId>|<field>}. Everything else in the inquiry (the
 * sought person, which matching reads, the language and the relationship) stays as it was.
 *
 * <p>Records written before contact data was sealed carry it in plaintext; they open as they are, and the retention
 * sweep re-publishes them sealed. Logs name inquiry ids only, never a field's value or a key.
 */
public final class ContactSeal {

    private static final Logger log = LoggerFactory.getLogger(ContactSeal.class);

    private final ContactKeyVault vault;
    private final Clock clock;

    public ContactSeal(ContactKeyVault vault, Clock clock) {
        this.vault = vault;
        this.clock = clock;
    }

    /** The inquiry with its relative's contact data sealed; one already sealed is returned as it is. */
    public InquiryRegistered seal(InquiryRegistered inquiry) {
        Relative relative = inquiry.getRelative();
        if (relative.getSealed() != null) {
            return inquiry;
        }
        String inquiryId = inquiry.getInquiryId();
        DataKey key = vault.keyFor(inquiryId, clock.instant());
        SealedContact sealed = SealedContact.newBuilder()
                .setKeyId(key.keyId())
                .setName(seal(key, inquiryId, "name", relative.getName()))
                .setEmail(seal(key, inquiryId, "email", relative.getEmail()))
                .setPhone(seal(key, inquiryId, "phone", relative.getPhone()))
                .build();
        return InquiryRegistered.newBuilder(inquiry)
                .setRelative(Relative.newBuilder(relative).setName(null).setEmail(null).setPhone(null).setSealed(sealed).build())
                .build();
    }

    /**
     * The inquiry with its relative's contact data in plaintext, or empty when it can no longer be read: the inquiry
     * was erased (its key destroyed) or the record was sealed with a key this service does not hold.
     */
    public Optional<InquiryRegistered> open(InquiryRegistered inquiry) {
        Relative relative = inquiry.getRelative();
        SealedContact sealed = relative.getSealed();
        String inquiryId = inquiry.getInquiryId();
        if (sealed == null) {
            return vault.isErased(inquiryId) ? Optional.empty() : Optional.of(inquiry);
        }
        Optional<DataKey> key = vault.existingKey(inquiryId).filter(held -> held.keyId().equals(sealed.getKeyId()));
        if (key.isEmpty()) {
            if (!vault.isErased(inquiryId)) {
                log.warn("Inquiry {}: its contact data is sealed with a key this service does not hold", inquiryId);
            }
            return Optional.empty();
        }
        try {
            Relative open = Relative.newBuilder(relative)
                    .setName(open(key.get(), inquiryId, "name", sealed.getName()))
                    .setEmail(open(key.get(), inquiryId, "email", sealed.getEmail()))
                    .setPhone(open(key.get(), inquiryId, "phone", sealed.getPhone()))
                    .setSealed(null)
                    .build();
            return Optional.of(InquiryRegistered.newBuilder(inquiry).setRelative(open).build());
        } catch (Unreadable e) {
            log.warn("Inquiry {}: its {} does not open with the inquiry's key", inquiryId, e.getMessage());
            return Optional.empty();
        }
    }

    /** The inquiry was withdrawn at {@code at}: its key's retention period starts (see the retention sweep). */
    public void closed(String inquiryId, Instant at) {
        vault.closed(inquiryId, at);
    }

    /** Erased: its data key was destroyed. */
    public boolean isErased(String inquiryId) {
        return vault.isErased(inquiryId);
    }

    private static ByteBuffer seal(DataKey key, String inquiryId, String field, String value) {
        if (value == null) {
            return null;
        }
        return ByteBuffer.wrap(AesGcm.seal(key.key(), value.getBytes(StandardCharsets.UTF_8), associatedData(inquiryId, field)));
    }

    private static String open(DataKey key, String inquiryId, String field, ByteBuffer value) {
        if (value == null) {
            return null;
        }
        byte[] bytes = new byte[value.remaining()];
        value.duplicate().get(bytes);
        return AesGcm.open(key.key(), bytes, associatedData(inquiryId, field))
                .map(plain -> new String(plain, StandardCharsets.UTF_8))
                .orElseThrow(() -> new Unreadable(field));
    }

    static String associatedData(String inquiryId, String field) {
        return "homecoming.inquiry-contact|v1|" + inquiryId + "|" + field;
    }

    private static final class Unreadable extends RuntimeException {
        Unreadable(String field) {
            super(field, null, false, false);
        }
    }
}
