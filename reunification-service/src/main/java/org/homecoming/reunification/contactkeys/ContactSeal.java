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


    private final ContactKeyVault vault;
    private final Clock clock;

    public ContactSeal(ContactKeyVault vault, Clock clock) {
        this.vault = vault;
        this.clock = clock;
    }

    /**
     * The id of an inquiry registered with {@code seed} (its idempotency key, or its content: the sought person and the
     * relative's name and contact channels). Keyed by the KEK, so that whoever sees inquiry ids (the alerts and matches
     * topics, the console, the audit trail) cannot test a guess of a family and its contact data against one; a plain
     * hash of the content could be checked by anyone.
     */
    public String inquiryId(String seed) {
        return vault.pseudonym("inquiry-id", seed);
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
     * The inquiry with its relative's contact data in plaintext, or empty when the inquiry was erased (its key
     * destroyed: the data is gone on purpose, and nobody is sent anything).
     *
     * @throws ContactKeyUnavailableException when the record is sealed and not erased, but this service holds no key
     *         that opens it. That is never an erasure: the vault was lost or emptied, points at another folder, or the
     *         key-encryption key is another one. Treated as erased, it wrote off every earlier inquiry's alerts as
     *         "erased" and told the hotline so, while the service said it was fine; failing loudly keeps every alert
     *         for when the vault is back.
     */
    public Optional<InquiryRegistered> open(InquiryRegistered inquiry) {
        Relative relative = inquiry.getRelative();
        SealedContact sealed = relative.getSealed();
        String inquiryId = inquiry.getInquiryId();
        if (vault.isErased(inquiryId)) {
            return Optional.empty();
        }
        if (sealed == null) {
            return Optional.of(inquiry);
        }
        DataKey key = vault.existingKey(inquiryId).filter(held -> held.keyId().equals(sealed.getKeyId()))
                .orElseThrow(() -> new ContactKeyUnavailableException(inquiryId, "its contact data is sealed with key "
                        + sealed.getKeyId() + ", which this service's contact-key vault does not hold (and the inquiry was not"
                        + " erased): the vault was lost, points at another folder, or the key-encryption key is another one"));
        try {
            Relative open = Relative.newBuilder(relative)
                    .setName(open(key, inquiryId, "name", sealed.getName()))
                    .setEmail(open(key, inquiryId, "email", sealed.getEmail()))
                    .setPhone(open(key, inquiryId, "phone", sealed.getPhone()))
                    .setSealed(null)
                    .build();
            return Optional.of(InquiryRegistered.newBuilder(inquiry).setRelative(open).build());
        } catch (Unreadable e) {
            throw new ContactKeyUnavailableException(inquiryId, "its " + e.getMessage()
                    + " does not open with the inquiry's key: the record was altered or moved from another inquiry");
        }
    }

    /** A sealed inquiry that is not erased cannot be opened here. The message names the inquiry id only. */
    public static final class ContactKeyUnavailableException extends RuntimeException {
        ContactKeyUnavailableException(String inquiryId, String why) {
            super("Inquiry " + inquiryId + ": " + why);
        }
    }

    /** The inquiry was withdrawn at {@code at}: its key's retention period starts (see the retention sweep). */
    public void closed(String inquiryId, Instant at) {
        vault.closed(inquiryId, at);
    }

    /** Withdrawn, by the note on its key (see {@link ContactKeyVault#isClosed}). */
    public boolean isClosed(String inquiryId) {
        return vault.isClosed(inquiryId);
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
