package org.homecoming.platform.observability;

/**
 * Every metric name of Homecoming, in one place: dashboards and alerts depend on them, so a name is typed once. In
 * Prometheus the dots become underscores, and counters get {@code _total}.
 */
public final class MetricNames {

    private MetricNames() {
    }

    /** Records sent to a dead-letter topic, tagged by the source topic. Every service registers it, the console too. */
    public static final String DEAD_LETTERS = "homecoming.dead.letters";

    /** Unreadable records of another service's topic, skipped because that topic's owner dead-letters them. */
    public static final String DEAD_LETTERS_SKIPPED = "homecoming.dead.letters.skipped";

    /**
     * Attempts to read a record that failed because the schema registry could not be asked (down, unreachable, refusing
     * the service's token), tagged by topic; such a record is read again, never dead-lettered (see RegistryOutage).
     */
    public static final String REGISTRY_UNAVAILABLE = "homecoming.registry.unavailable";

    /** Records that make no sense yet (an unknown person, bus or match), held for a bounded time; tagged by holder. */
    public static final String HELD_RECORDS = "homecoming.held.records";
    /** Dead-lettered records still watched, to be processed if what explains them is read later; tagged by holder. */
    public static final String WATCHED_RECORDS = "homecoming.watched.records";
    /** Dead-lettered records that were processed once what explains them was read; tagged by holder. */
    public static final String LATE_RECORDS = "homecoming.late.records";

    /**
     * How long (seconds) the service has failed to fetch the identity provider's signing keys and checked tokens against
     * the last ones it fetched; 0 while the provider answers.
     */
    public static final String IDENTITY_PROVIDER_UNREACHABLE = "homecoming.identity.provider.unreachable";

    /**
     * Requests answered 429 because their caller already had as many in progress as one caller may (every service's
     * API; see CallerFairShare). The log names the caller once a minute.
     */
    public static final String API_REQUESTS_REFUSED_BUSY = "homecoming.api.requests.refused.busy";

    // ops console
    public static final String DEAD_LETTER_RECORDS = "homecoming.dead.letter.records";
    public static final String TOPIC_END_OFFSET = "homecoming.topic.end.offset";
    public static final String CONSUMER_GROUP_LAG = "homecoming.consumer.group.lag";
    public static final String CONSOLE_UNREADABLE_RECORDS = "homecoming.console.unreadable.records";

    // roster
    public static final String ROSTER_LIST_UPLOADS = "homecoming.roster.list.uploads";

    // transport
    /**
     * Bus readings refused, tagged {@code reason}: {@code implausible-jump} when movement detection found that the bus
     * could not have got there from its last accepted position (a forged or broken reading); at transport's REST door,
     * where only the tracker client a bus's manifest names may position it, {@code other-tracker-client} (the manifest
     * names another), {@code no-tracker-client} (it names none) and {@code unknown-bus} (no manifest). The log names the
     * bus.
     */
    public static final String TRANSPORT_READINGS_REFUSED = "homecoming.transport.readings.refused";

    /**
     * Movements a partner tracks that never reached its topic, tagged {@code reason}: {@code hold-full} (detected before
     * the bus's manifest was read, with the hold of such movements full) or {@code no-manifest-in-window} (no manifest of
     * the bus read within the holding window). Either means a partner missed a movement of a bus it may be tracking;
     * the log names the bus.
     */
    public static final String TRANSPORT_PARTNER_MOVEMENTS_MISSED = "homecoming.transport.partner.movements.missed";

    // reunification
    public static final String MATCHING_OUTCOMES = "reunification.matching.outcomes";
    public static final String ALERTS_ISSUED = "reunification.alerts.issued";
    public static final String ALERT_DELIVERIES = "reunification.alert.deliveries";
    public static final String ALERTS_DEAD_LETTERED = "reunification.alerts.dead-lettered";
    /** Alerts whose delivery outcome is unknown (the service stopped mid-send), waiting for an operator. */
    public static final String ALERTS_HELD = "reunification.alerts.held";
    /** Assignments of the pairing group, tagged {@code state}: {@code rebuilt} from the topics, or {@code kept} as it was. */
    public static final String PAIRING_ASSIGNMENTS = "reunification.pairing.assignments";
}
