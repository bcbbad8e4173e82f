package org.homecoming.reunification.matching;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.ibm.icu.text.Transliterator;

/**
 * Turns a written name in any script into lowercase ASCII Latin.
 *
 * <p>Cyrillic goes through the BGN/PCGN systems: Ukrainian when the text has a letter only Ukrainian uses
 * (і ї є ґ), Russian when it has one only Russian uses (ы э ъ ё), and both forms otherwise, because
 * "Николай" read as Ukrainian and as Russian gives two different spellings and we cannot tell which list
 * it came from. Soft signs, apostrophes and BGN's disambiguation dots are dropped and diacritics folded, so
 * "Kovalʹchuk", "Koval'chuk" and "Kovalchuk" all end up as {@code kovalchuk}. Hyphens survive as the only
 * separator, because they mark double surnames.
 */
final class Transliteration {

    private static final Transliterator UKRAINIAN = Transliterator.getInstance("Ukrainian-Latin/BGN");
    private static final Transliterator RUSSIAN = Transliterator.getInstance("Russian-Latin/BGN");

    private Transliteration() {
    }

    /** How a written name is read: which transliteration applies. */
    enum Reading { UKRAINIAN, RUSSIAN, LATIN }

    /**
     * The plausible readings of a whole written name (all its parts together, so that one letter that only
     * Ukrainian has decides for the surname and the given name alike).
     */
    static List<Reading> readings(String wholeName) {
        String text = wholeName.toLowerCase(Locale.ROOT);
        if (!hasCyrillic(text)) {
            return List.of(Reading.LATIN);
        }
        boolean ukrainian = hasAny(text, "іїєґ");
        boolean russian = hasAny(text, "ыэъё");
        if (ukrainian && !russian) {
            return List.of(Reading.UKRAINIAN);
        }
        if (russian && !ukrainian) {
            return List.of(Reading.RUSSIAN);
        }
        return List.of(Reading.UKRAINIAN, Reading.RUSSIAN);
    }

    /** One name part in lowercase ASCII Latin, read the given way. */
    static String latin(String written, Reading reading) {
        String text = Normalizer.normalize(written, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
        if (reading == Reading.LATIN || !hasCyrillic(text)) {
            return fold(text);
        }
        return fold(reading == Reading.UKRAINIAN ? ukrainian(text) : russian(text));
    }

    /** The distinct Latin forms of one written name part under each plausible reading. */
    static List<String> latinForms(String written) {
        List<String> forms = new ArrayList<>(2);
        for (Reading reading : readings(written)) {
            String form = latin(written, reading);
            if (!forms.contains(form)) {
                forms.add(form);
            }
        }
        return forms;
    }

    // ICU transliterators are not documented as safe for concurrent use; the callers cache, so locking is cheap.
    private static String ukrainian(String text) {
        synchronized (UKRAINIAN) {
            return UKRAINIAN.transliterate(text);
        }
    }

    private static String russian(String text) {
        synchronized (RUSSIAN) {
            return RUSSIAN.transliterate(text);
        }
    }

    /** Lowercase ASCII letters, with single hyphens between parts; everything else is dropped. */
    static String fold(String latin) {
        String decomposed = Normalizer.normalize(latin, Normalizer.Form.NFD);
        StringBuilder out = new StringBuilder(decomposed.length());
        boolean pendingHyphen = false;
        for (int i = 0; i < decomposed.length(); i++) {
            char c = Character.toLowerCase(decomposed.charAt(i));
            if (c >= 'a' && c <= 'z') {
                if (pendingHyphen && out.length() > 0) {
                    out.append('-');
                }
                pendingHyphen = false;
                out.append(c);
            } else if (c == 'ß') {
                out.append("ss");
            } else if (c == 'ł') {
                out.append('l');
            } else if (c == '-' || c == '\u2010' || c == '\u2011' || c == '\u2013') {
                pendingHyphen = true;
            } else if (Character.isWhitespace(c)) {
                // a space inside one name field joins the words the same way a hyphen does
                pendingHyphen = true;
            }
            // combining marks, apostrophes, soft-sign marks and dots are dropped
        }
        return out.toString();
    }

    static boolean hasCyrillic(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (Character.UnicodeBlock.of(text.charAt(i)) == Character.UnicodeBlock.CYRILLIC) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasAny(String text, String letters) {
        for (int i = 0; i < letters.length(); i++) {
            if (text.indexOf(letters.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }
}
