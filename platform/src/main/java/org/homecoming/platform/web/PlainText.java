package org.homecoming.platform.web;

import java.util.List;
import java.util.Optional;

/**
 * The rule for every name and short text a caller types (names, relationships, units, places, references): a
 * length limit, and none of the characters that hide or disguise text on a screen. Control characters (NUL
 * included), bidirectional overrides and isolates, zero-width and other format characters, line and paragraph
 * separators, lone surrogates, private-use and unassigned code points are refused: they let one id or name pass
 * for another on the ops console and in a caseworker's queue.
 */
public final class PlainText {

    /** The default limit for one field: longer than any real name, unit or place. */
    public static final int MAX_LENGTH = 200;

    private PlainText() {
    }

    /** Why the text is refused, or empty when it is acceptable. */
    public static Optional<String> problem(String text, int maxLength) {
        if (text.length() > maxLength) {
            return Optional.of("must be at most " + maxLength + " characters");
        }
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (isHidden(codePoint)) {
                return Optional.of(String.format("contains an invisible or control character (U+%04X) at position %d",
                        codePoint, i + 1));
            }
            i += Character.charCount(codePoint);
        }
        return Optional.empty();
    }

    /** Adds a violation when an optional text is too long or holds a refused character. */
    public static void check(String field, String text, int maxLength, List<Violation> violations) {
        if (text != null) {
            problem(text, maxLength).ifPresent(reason -> violations.add(Violation.of(field, reason)));
        }
    }

    /** Adds a violation when a required text is missing, blank, too long or holds a refused character. */
    public static void require(String field, String text, int maxLength, List<Violation> violations) {
        if (text == null || text.isBlank()) {
            violations.add(Violation.of(field, "is required"));
        } else {
            check(field, text, maxLength, violations);
        }
    }

    static boolean isHidden(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                 Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }
}
