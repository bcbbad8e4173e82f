package org.homecoming.localstack;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Why something failed, on one line for the operator: each exception of the cause chain as its class and message. The
 * outermost message alone often says only what failed ("Cannot set up the broker's principals, topics and ACLs"), and
 * an exception without a message printed as "null".
 */
final class CauseChain {

    private CauseChain() {
    }

    /**
     * {@code IllegalStateException: Cannot set up …; caused by TimeoutException: Timed out …}: each cause once (a cycle
     * ends the chain).
     */
    static String describe(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<String> links = new ArrayList<>();
        for (Throwable link = failure; link != null && seen.add(link); link = link.getCause()) {
            Throwable cause = link.getCause();
            // new Exception(cause) takes cause.toString() as its message: the next link says it
            boolean onlyWraps = cause != null && Objects.equals(link.getMessage(), cause.toString());
            String name = link.getClass().getSimpleName().isEmpty() ? link.getClass().getName() : link.getClass().getSimpleName();
            links.add(link.getMessage() == null || onlyWraps ? name : name + ": " + link.getMessage());
        }
        return String.join("; caused by ", links);
    }
}
