package org.homecoming.console.attention;

/** What can need a person's attention now, most urgent first. */
public enum Concern {
    /**
     * An alert that told a family, or may have, about a person whose match was rejected or retracted since (not for a
     * withdrawn inquiry): the family believes something that is no longer thought true, and a hotline operator must
     * tell them.
     */
    CORRECTION_DUE,
    /** A bus on the road whose tracker has not been heard from for longer than the allowed silence. */
    TRACKER_SILENT,
    /**
     * A bus not yet arrived whose manifest names no tracker, neither a partner on Kafka nor a device over REST:
     * transport takes none of its positions, so it is never seen to depart or cross, and its families hear of it only
     * at the hand-over. Mended by registering the manifest again with its tracker; acknowledged if the bus truly has none.
     */
    BUS_UNTRACKED,
    /** A bus on the road past its expected arrival. */
    BUS_OVERDUE,
    /** At the hand-over, a person on the manifest was not handed over, or one not on it was. */
    HANDOVER_DISCREPANCY,
    /**
     * Alerts that have waited longer than the allowed wait for their channel: the mail server or SMS gateway takes no
     * message. They go out on their own once it is back; one item per channel.
     */
    DELIVERY_WAITING,
    /** An alert to a relative whose delivery failed, with no delivery since. */
    DELIVERY_FAILED,
    /**
     * An alert whose delivery was interrupted between sending and recording the outcome: the relative may or may not
     * have it. Reunification never resends it on its own; a hotline operator resends it or marks it delivered.
     */
    DELIVERY_OUTCOME_UNKNOWN,
    /** A match that has waited for a caseworker longer than the allowed wait. */
    REVIEW_WAITING,
    /** A dead-letter topic holding records, until acknowledged; it comes back when the topic grows. */
    DEAD_LETTERS_GREW,
    /** A consumer group whose lag never fell over the window and ended higher than it began. */
    LAG_GROWING,
    /** A consumer group with records waiting that read none over the whole window. */
    CONSUMER_STALLED,
    /** The console could not read Kafka for a minute: what it shows is as old as its last reading. */
    FIGURES_STALE,
    /**
     * The identity provider has not answered for a minute: nobody can sign in or get a new token; the services go on
     * checking the tokens already issued against its last keys.
     */
    IDENTITY_PROVIDER_UNREACHABLE
}
