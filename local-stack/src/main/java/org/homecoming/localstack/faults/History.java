package org.homecoming.localstack.faults;

import java.util.List;
import java.util.Set;

/**
 * Everything a fault-injection run left behind, as the history checker reads it: the records of the topics as a
 * {@code read_committed} consumer sees them, where they sit (and which positions only a {@code read_uncommitted}
 * consumer sees: records of aborted transactions), the mail sink's messages, the dead-letter topics, and what the
 * scenario player was told its requests did (the client's side of the history).
 */
public record History(List<ListVersion> listVersions, List<Listing> listings, List<Movement> movements,
                      List<Arrival> arrivals, List<Admission> admissions, List<String> inquiries, List<Match> matches,
                      List<Alert> alerts, List<Delivery> deliveries, List<Mail> mails, List<DeadLetter> deadLetters, List<Position> committed,
                      List<Position> aborted, List<String> openTransactions, Acknowledged acknowledged,
                      List<DeadLetter> injectedPoison) {

    /** A header of {@code roster.release-lists}: one per published version of a list. */
    public record ListVersion(String listId, int version, int changes, Position at) {
    }

    /** A record of {@code roster.listed-persons}: one person's change in one version of a list. */
    public record Listing(String listId, int version, String personId, String change, Position at) {
    }

    /**
     * A record of {@code transport.bus-movements}, or of a partner's copy on {@code outbound.bus-movements.<partner>}:
     * {@code at} says which.
     */
    public record Movement(String busId, String movement, Position at) {
    }

    /** A record of {@code transport.person-arrivals}: a person handed over at the reception point. */
    public record Arrival(String personId, String busId, Position at) {
    }

    /** A record of {@code transport.facility-admissions}. */
    public record Admission(String personId, Position at) {
    }

    /** A record of {@code reunification.matches}; the last one of a match id is its status now. */
    public record Match(String matchId, String inquiryId, String personId, String status, Position at) {
    }

    /** A record of {@code reunification.alerts}. */
    public record Alert(String alertId, String inquiryId, String personId, String milestone, String channel, Position at) {
    }

    /** A record of {@code reunification.alert-deliveries}: one step of an alert's delivery (SENDING, DELIVERED, UNKNOWN...). */
    public record Delivery(String alertId, String outcome, int attempt, Position at, String toldThrough) {

        /** @param toldThrough withheld because the same news went to the same address through this inquiry; else null */
        public Delivery(String alertId, String outcome, int attempt, Position at) {
            this(alertId, outcome, attempt, at, null);
        }

        /** Withheld on purpose, never tried (attempt 0): inquiry withdrawn, contact erased, the match fell, or told already. */
        public boolean withheld() {
            return "FAILED".equals(outcome) && attempt == 0;
        }
    }

    /** A message the mail sink received, by its Message-ID header, and to whom (lower case; null if unknown). */
    public record Mail(String messageId, String recipient) {

        public Mail(String messageId) {
            this(messageId, null);
        }
    }

    /** A record of a {@code <topic>-dlt}, by the digest of its value (the original bytes of the poison). */
    public record DeadLetter(String topic, String valueDigest) {
    }

    /** Where a record sits. */
    public record Position(String topic, int partition, long offset) {
    }

    /** What the services answered 2xx to: the requests that the player knows took effect. */
    public record Acknowledged(Set<ListVersionKey> listVersions, Set<String> buses, Set<String> handovers,
                               Set<String> admissions, Set<String> inquiries) {
    }

    public record ListVersionKey(String listId, int version) {
    }
}
