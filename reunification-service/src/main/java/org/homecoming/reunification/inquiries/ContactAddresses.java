package org.homecoming.reunification.inquiries;

import java.util.Optional;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * Whether a relative's e-mail address and phone number can be delivered to, checked by maintained libraries rather
 * than a regex: Jakarta Mail's strict RFC 822 parser for e-mail (the one the mail channel sends with), Google's
 * libphonenumber for phones (each country's numbering plan). A regex let {@code a,b@example.invalid} through.
 */
final class ContactAddresses {

    static final int MAX_EMAIL = 254;
    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();

    private ContactAddresses() {
    }

    /** Why the e-mail address is refused, or empty: exactly one bare address, no display name, a dotted domain. */
    static Optional<String> emailProblem(String email) {
        if (email.length() > MAX_EMAIL) {
            return Optional.of("must be at most " + MAX_EMAIL + " characters");
        }
        try {
            InternetAddress parsed = new InternetAddress(email, true);
            parsed.validate();
            String address = parsed.getAddress();
            int at = address.lastIndexOf('@');
            if (!address.equals(email) || parsed.getPersonal() != null || at < 1 || !address.substring(at + 1).contains(".")
                    || address.startsWith("\"")) {
                return Optional.of("must be one plain e-mail address such as name@example.org");
            }
            return Optional.empty();
        } catch (AddressException invalid) {
            return Optional.of("is not a valid e-mail address");
        }
    }

    /** Why the phone number is refused, or empty: E.164 (a plus and the country code) and a valid number there. */
    static Optional<String> phoneProblem(String phone) {
        if (!phone.startsWith("+") || phone.length() > 16) {
            return Optional.of("must be in E.164 form, e.g. +380501234567");
        }
        try {
            PhoneNumber number = PHONES.parse(phone, null);
            if (!PHONES.isValidNumber(number) || !PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164).equals(phone)) {
                return Optional.of("is not a valid phone number in E.164 form, e.g. +380501234567");
            }
            return Optional.empty();
        } catch (NumberParseException invalid) {
            return Optional.of("must be in E.164 form, e.g. +380501234567");
        }
    }
}
