package org.homecoming.reunification.inquiries;

import java.util.Locale;

import org.homecoming.events.reunification.AlertChannel;
import org.homecoming.events.reunification.Relative;

/** How a relative is reached: the one place that chooses between e-mail and SMS. */
public final class ContactChannel {

    private ContactChannel() {
    }

    /** E-mail when the relative gave an address (it carries the full text), otherwise SMS. Sealed or not, alike. */
    public static AlertChannel of(Relative relative) {
        boolean email = relative.getEmail() != null || (relative.getSealed() != null && relative.getSealed().getEmail() != null);
        return email ? AlertChannel.EMAIL : AlertChannel.SMS;
    }

    /**
     * Where an alert to an opened relative goes, written so that one address is always equal to itself: an e-mail
     * address in lower case (mail servers take the local part regardless of case, and relatives type it both ways), a
     * phone number as given (E.164, checked on registration).
     */
    public static String recipient(Relative relative) {
        return of(relative) == AlertChannel.EMAIL ? relative.getEmail().strip().toLowerCase(Locale.ROOT) : relative.getPhone();
    }
}
