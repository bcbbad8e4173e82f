package org.homecoming.roster;

import java.util.regex.Pattern;

/** The shape of every id a client may choose (round, list, person): it becomes a Kafka key and a URL segment. */
public final class EntityId {

    public static final String RULE = "1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit";

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private EntityId() {
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }
}
