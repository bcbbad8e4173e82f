package org.homecoming.localstack.faults;

import java.util.List;

/** One property of the whole history, how many items it was checked on, and every way it was violated. */
public record Invariant(String name, int checked, List<String> violations) {

    public boolean holds() {
        return violations.isEmpty();
    }
}
