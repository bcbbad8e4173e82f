package org.homecoming.reunification.alerts;

import java.util.Locale;
import java.util.ResourceBundle;

import org.homecoming.events.reunification.Language;
import org.homecoming.events.reunification.Milestone;
import org.springframework.stereotype.Component;

/**
 * The alert texts, one resource bundle per language ({@code alerts/messages_uk|ru|en.properties}), so translators edit
 * plain files. There is no fallback between languages: a missing text is a build defect, not an English surprise.
 */
@Component
public class AlertTemplates {

    private static final ResourceBundle.Control NO_FALLBACK = ResourceBundle.Control.getNoFallbackControl(
            ResourceBundle.Control.FORMAT_PROPERTIES);

    /** A rendered alert: the subject (email) and the text (email body and SMS). */
    public record Message(String subject, String text) {
    }

    public Message render(Milestone milestone, Language language, String inquiryId, String facility) {
        ResourceBundle bundle = ResourceBundle.getBundle("alerts.messages", locale(language), NO_FALLBACK);
        String place = facility == null || facility.isBlank() ? bundle.getString("facility.unknown") : facility;
        String subject = fill(bundle.getString(milestone.name() + ".subject"), inquiryId, place);
        String text = fill(bundle.getString(milestone.name() + ".text"), inquiryId, place);
        return new Message(subject, text);
    }

    /** The email body: the text and a footer that says why the relative gets it. */
    public String emailBody(Message message, Language language, String inquiryId) {
        ResourceBundle bundle = ResourceBundle.getBundle("alerts.messages", locale(language), NO_FALLBACK);
        return message.text() + "\n\n" + fill(bundle.getString("footer"), inquiryId, "");
    }

    static Locale locale(Language language) {
        return Locale.forLanguageTag(language.name().toLowerCase(Locale.ROOT));
    }

    private static String fill(String template, String inquiryId, String facility) {
        return template.replace("{reference}", inquiryId).replace("{facility}", facility);
    }
}
