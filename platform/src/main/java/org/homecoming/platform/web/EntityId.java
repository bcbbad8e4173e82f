package org.homecoming.platform.web;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The one shape of every id a client may choose or name (round, list, person, bus, inquiry, match): it becomes a
 * Kafka key, a URL segment and a line on the ops console, so it holds no path separators, no markup, no spaces
 * and no invisible or right-to-left characters.
 */
public final class EntityId {

    public static final String RULE = "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";
    public static final String PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

    private static final Pattern VALID = Pattern.compile(PATTERN);

    private EntityId() {
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
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
