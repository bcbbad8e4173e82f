package org.homecoming.reunification.alerts;

import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;

import org.homecoming.events.reunification.Language;
import org.homecoming.events.reunification.Milestone;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The alert texts, one resource bundle per language ({@code alerts/messages_uk|ru|en.properties}), so translators edit
 * plain files. There is no fallback between languages: a missing text is a build defect, not an English surprise.
 *
 * <p>A facility is named by its id from the configured list ({@code homecoming.facilities}: id to names in uk, ru
 * and en), in the relative's language. An id the list does not hold is not shown: no text typed by a caller ever
 * reaches a relative (a hand-over once put "pay the processing fee at http://evil.example/pay" into a Subject).
 */
@Component
public class AlertTemplates {

    private static final Bindable<Map<String, Map<String, String>>> NAMES_BY_ID = Bindable.of(ResolvableType.forClassWithGenerics(
            Map.class, ResolvableType.forClass(String.class), ResolvableType.forClassWithGenerics(Map.class, String.class, String.class)));

    private final Map<String, Map<String, String>> facilities;

    @Autowired
    public AlertTemplates(Environment environment) {
        this(Binder.get(environment).bind("homecoming.facilities", NAMES_BY_ID).orElse(Map.of()));
    }

    public AlertTemplates(Map<String, Map<String, String>> facilities) {
        this.facilities = Map.copyOf(facilities);
    }

    private static final ResourceBundle.Control NO_FALLBACK = ResourceBundle.Control.getNoFallbackControl(
            ResourceBundle.Control.FORMAT_PROPERTIES);

    /** A rendered alert: the subject (email) and the text (email body and SMS). */
    public record Message(String subject, String text) {
    }

    /** Renders an alert; {@code facilityId} is the id of a configured facility, or null. */
    public Message render(Milestone milestone, Language language, String inquiryId, String facilityId) {
        ResourceBundle bundle = ResourceBundle.getBundle("alerts.messages", locale(language), NO_FALLBACK);
        Map<String, String> names = facilityId == null ? null : facilities.get(facilityId);
        String name = names == null ? null : names.get(language.name().toLowerCase(Locale.ROOT));
        String place = name == null || name.isBlank() ? bundle.getString("facility.unknown") : name;
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
