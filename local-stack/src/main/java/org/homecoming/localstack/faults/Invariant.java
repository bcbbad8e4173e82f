package org.homecoming.localstack.faults;

import java.util.List;

/**
 * One property of the whole history, how many items it was checked on, and every way it was violated; {@code notes}
 * are what the property allows but a person must see (an alert held for an operator), printed under it, never hidden.
 */
public record Invariant(String name, int checked, List<String> violations, List<String> notes) {

    public Invariant(String name, int checked, List<String> violations) {
        this(name, checked, violations, List.of());
    }

    public boolean holds() {
        return violations.isEmpty();
    }
}
