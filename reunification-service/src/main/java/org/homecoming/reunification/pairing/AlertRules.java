package org.homecoming.reunification.pairing;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.events.reunification.Milestone;

/** When an alert goes out, and under which id. */
public final class AlertRules {

    private AlertRules() {
    }

    /**
     * The milestone to alert for a pair, if any. Only an AUTO_MATCHED or CONFIRMED pair of an open inquiry alerts. Only
     * the furthest milestone reached is announced: a relative whose inquiry is matched after the bus already crossed
     * hears "crossed the border", not a stale "listed" first; and a milestone behind one already announced is never
     * announced (events can arrive late).
     */
    static Optional<Milestone> due(MatchStatus status, boolean inquiryOpen, Set<Milestone> reached, Set<Milestone> issued) {
        if (!inquiryOpen || (status != MatchStatus.AUTO_MATCHED && status != MatchStatus.CONFIRMED) || reached.isEmpty()) {
            return Optional.empty();
        }
        Milestone furthest = null;
        for (Milestone milestone : reached) {
            if (furthest == null || milestone.ordinal() > furthest.ordinal()) {
                furthest = milestone;
            }
        }
        for (Milestone milestone : issued) {
            if (milestone.ordinal() >= furthest.ordinal()) {
                return Optional.empty();
            }
        }
        return Optional.of(furthest);
    }

    /** The alert id: a name-based UUID (v3) of inquiry, person and milestone, so the same alert can only exist once. */
    public static String alertId(String inquiryId, String personId, Milestone milestone) {
        return nameUuid("alert", inquiryId, personId, milestone.name());
    }

    /** The match id of a pair: every decision about the same inquiry and person carries the same id. */
    public static String matchId(String inquiryId, String personId) {
        return nameUuid("match", inquiryId, personId);
    }

    /** Each part is prefixed by its length, so no two different tuples of ids give the same seed. */
    private static String nameUuid(String... parts) {
        StringBuilder seed = new StringBuilder();
        for (String part : parts) {
            seed.append(part.length()).append(':').append(part);
        }
        return UUID.nameUUIDFromBytes(seed.toString().getBytes(StandardCharsets.UTF_8)).toString();
    }
}
