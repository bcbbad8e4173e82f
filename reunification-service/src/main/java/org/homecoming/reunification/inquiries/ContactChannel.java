package org.homecoming.reunification.inquiries;

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
}
