package org.homecoming.platform.web;

import java.util.List;

/**
 * The one shape of every id a client may choose or name (round, list, person, bus, inquiry, match): it becomes a
 * Kafka key, a URL segment and a line on the ops console, so it holds no path separators, no markup, no spaces
 * and no invisible or right-to-left characters.
 */
public final class EntityId {

    public static final String RULE = "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";
    public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

    private EntityId() {
    }

    /**
     * Whether {@code id} follows {@link #PATTERN}, checked character by character: transport checks every partner
     * reading's bus id with it, and the regex engine took a tenth of the intake hop's stream thread.
     */
    public static boolean isValid(String id) {
        if (id == null || id.isEmpty() || id.length() > 64 || !isAsciiLetterOrDigit(id.charAt(0))) {
            return false;
        }
        for (int i = 1; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!isAsciiLetterOrDigit(c) && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAsciiLetterOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** Adds a violation when a required id is missing or breaks the rule. */
    public static void check(String field, String id, List<Violation> violations) {
        if (id == null || id.isBlank()) {
            violations.add(Violation.of(field, "is required"));
        } else if (!isValid(id)) {
            violations.add(Violation.of(field, "must be " + RULE));
        }
    }

    /** Refuses a request whose id (typically a path segment) breaks the rule, before anything looks it up. */
    public static String require(String field, String id) {
        if (!isValid(id)) {
            throw new InvalidRequestException(field, "must be " + RULE);
        }
        return id;
    }
}
