package org.homecoming.catalogue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.homecoming.catalogue.Topic.Owner;
import org.homecoming.events.audit.AuditEventRecorded;
import org.homecoming.events.console.AttentionItemAcknowledged;
import org.homecoming.events.reunification.AlertDeliveryAttempted;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.events.reunification.MatchDecided;
import org.homecoming.events.roster.ExchangeRoundRecorded;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.roster.ReleaseListPublished;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.events.transport.BusPositionRecorded;
import org.homecoming.events.transport.BusPositionReported;
import org.homecoming.events.transport.HandoverDiscrepancyFound;
import org.homecoming.events.transport.PersonAdmitted;
import org.homecoming.events.transport.PersonHandedOver;

/** Every topic of Homecoming. No topic name is written anywhere else. */
public final class Topics {

    private static final int PARTITIONS = 6;
    /**
     * Histories are kept forever: the services rebuild their state from them after a restart, and a history
     * that expired would silently forget a list, a rejection or an alert already sent. Kafka reads -1 as no limit.
     */
    private static final Optional<Duration> FOREVER = Optional.of(Duration.ofMillis(-1));

    public static final Topic<String, ExchangeRoundRecorded> EXCHANGE_ROUNDS = compacted(
            "roster.exchange-rounds", Owner.ROSTER, ExchangeRoundRecorded.class);
    public static final Topic<String, ReleaseListPublished> RELEASE_LISTS = history(
            "roster.release-lists", Owner.ROSTER, ReleaseListPublished.class);
    public static final Topic<String, PersonListingChanged> LISTED_PERSONS = history(
            "roster.listed-persons", Owner.ROSTER, PersonListingChanged.class);

    public static final Topic<String, BusManifestRegistered> BUS_MANIFESTS = history(
            "transport.bus-manifests", Owner.TRANSPORT, BusManifestRegistered.class);
    /**
     * Where a partner's GPS trackers produce raw readings: one topic per partner, {@code intake.bus-positions.<partner>}
     * (see {@link #busPositionIntake}), so that the broker's ACLs let a partner principal write its own topic only.
     * Kafka stamps no producer principal on a record; the topic a reading came from is the only proof of which partner
     * sent it, and transport accepts a reading only of a bus whose manifest names that partner ({@code trackedBy}).
     * There is no shared intake topic: one that every partner could write would let any partner walk any bus.
     */
    public static final String BUS_POSITION_INTAKE_PREFIX = "intake.bus-positions.";
    /** The schema subject's name in {@code schemas/src/released}: every partner's intake topic has the same schema. */
    public static final String BUS_POSITION_INTAKE_FAMILY = "intake.bus-positions";
    /**
     * A partner principal's name: what Kafka principals and entity ids have in common (letters, digits, {@code _} and
     * {@code -}, at most 64), no dot (so a topic name has one reading), and never ending in {@code -dlt}, which would
     * make one partner's intake topic another partner's dead-letter topic. {@link #isPartnerName} checks it by hand:
     * it is asked for every partner reading, and the regex engine cost too much there.
     */
    static final String PARTNER_NAME = "[A-Za-z0-9_-]{1,64}";
    /** High rate telemetry: kept a short time only. */
    public static final Topic<String, BusPositionRecorded> BUS_POSITIONS = new Topic<>(
            "transport.bus-positions", Owner.TRANSPORT, String.class, BusPositionRecorded.class, PARTITIONS, false,
            Optional.of(Duration.ofDays(1)), Optional.empty());
    public static final Topic<String, BusMovementDetected> BUS_MOVEMENTS = history(
            "transport.bus-movements", Owner.TRANSPORT, BusMovementDetected.class);
    /**
     * What a partner reads back: the movements of the buses its own trackers report, one topic per partner,
     * {@code outbound.bus-movements.<partner>} (see {@link #busMovementsFor}). Not {@link #BUS_MOVEMENTS}, which holds
     * every bus's departure, checkpoints, crossing and ETA with coordinates: one captured partner credential reading it
     * would show where every bus of the exchange is. A partner's trackers tell it its own buses' places anyway.
     */
    public static final String PARTNER_MOVEMENTS_PREFIX = "outbound.bus-movements.";
    /** How long a partner's movements topic keeps them: a partner's reader that was away a month is a new integration. */
    static final Duration PARTNER_MOVEMENTS_KEPT = Duration.ofDays(30);
    public static final Topic<String, PersonHandedOver> PERSON_ARRIVALS = history(
            "transport.person-arrivals", Owner.TRANSPORT, PersonHandedOver.class);
    public static final Topic<String, PersonAdmitted> FACILITY_ADMISSIONS = history(
            "transport.facility-admissions", Owner.TRANSPORT, PersonAdmitted.class);
    public static final Topic<String, HandoverDiscrepancyFound> HANDOVER_DISCREPANCIES = history(
            "transport.handover-discrepancies", Owner.TRANSPORT, HandoverDiscrepancyFound.class);

    public static final Topic<String, InquiryRegistered> INQUIRIES = compacted(
            "reunification.inquiries", Owner.REUNIFICATION, InquiryRegistered.class);
    public static final Topic<String, MatchDecided> MATCHES = history(
            "reunification.matches", Owner.REUNIFICATION, MatchDecided.class);
    public static final Topic<String, AlertIssued> ALERTS = history(
            "reunification.alerts", Owner.REUNIFICATION, AlertIssued.class);
    public static final Topic<String, AlertDeliveryAttempted> ALERT_DELIVERIES = history(
            "reunification.alert-deliveries", Owner.REUNIFICATION, AlertDeliveryAttempted.class);

    /**
     * The operators' acknowledgements of the console's "needs attention now" items: every console instance reads it from
     * its beginning, so an item acknowledged on one instance is off the list on all of them and stays off after a
     * restart, while the same occurrence of its condition lasts. Compacted: the latest acknowledgement per item is all a
     * console needs. Key: the item id. Holds item ids, start times and operator principal names, never an item's text.
     */
    public static final Topic<String, AttentionItemAcknowledged> ATTENTION_ACKNOWLEDGEMENTS = compacted(
            "console.attention-acknowledgements", Owner.CONSOLE, AttentionItemAcknowledged.class);

    /**
     * The audit trail: who read personal data, decided, published, withdrew, erased or acknowledged what, and when.
     * Every service writes it (see {@link Owner#SERVICES}); only an auditor reads it. Append-only and kept forever,
     * never compacted. Key: the subject's id. Holds ids, roles and principal names, never contact data or names.
     */
    public static final Topic<String, AuditEventRecorded> AUDIT_EVENTS = history(
            "audit.events", Owner.SERVICES, AuditEventRecorded.class);

    /**
     * Every topic whose name is fixed: the services' own and the audit trail. The partners' intake and movements topics
     * are not in it, since they depend on who the partners are: {@link #all(Collection)} adds them.
     */
    public static final List<Topic<?, ?>> ALL = List.of(
            EXCHANGE_ROUNDS, RELEASE_LISTS, LISTED_PERSONS,
            BUS_MANIFESTS, BUS_POSITIONS, BUS_MOVEMENTS, PERSON_ARRIVALS, FACILITY_ADMISSIONS, HANDOVER_DISCREPANCIES,
            INQUIRIES, MATCHES, ALERTS, ALERT_DELIVERIES,
            ATTENTION_ACKNOWLEDGEMENTS,
            AUDIT_EVENTS);

    private Topics() {
    }

    /** The fixed topics {@code owner} writes (no partner's topic: see {@link #ownedBy(Owner, Collection)}). */
    public static List<Topic<?, ?>> ownedBy(Owner owner) {
        return ALL.stream().filter(topic -> topic.owner() == owner).toList();
    }

    /** The topics {@code owner} writes, with these partners' intake and movements topics. */
    public static List<Topic<?, ?>> ownedBy(Owner owner, Collection<String> partners) {
        return all(partners).stream().filter(topic -> topic.owner() == owner).toList();
    }

    /**
     * Every topic of a deployment whose partners are {@code partners}: {@link #ALL}, then each partner's intake topic
     * and movements topic.
     */
    public static List<Topic<?, ?>> all(Collection<String> partners) {
        List<Topic<?, ?>> topics = new ArrayList<>(ALL);
        partners.stream().distinct().forEach(partner -> {
            topics.add(busPositionIntake(partner));
            topics.add(busMovementsFor(partner));
        });
        return List.copyOf(topics);
    }

    /**
     * What a partition of a partner's intake topic, and of its dead-letter topic, keeps at most: {@value} bytes (1 GiB),
     * some twenty days of a hundred buses' readings, where the topic keeps one. It bounds what one captured partner
     * credential can put on the broker's disk (the broker's quota slows it to 1 MiB/s, but a day of that is 84 GiB, and
     * its dead-letter topic keeps refused readings a week): about 2 GiB per partition (the bound, and the segment being
     * written) for each of the two topics.
     */
    public static final long INTAKE_BYTES_PER_PARTITION = 1L << 30;

    /**
     * The topic where {@code partner}'s GPS trackers produce, and only they: {@code intake.bus-positions.<partner>}. The
     * same partitions, cleanup, retention (a day: readings are telemetry) and size bound
     * ({@link #INTAKE_BYTES_PER_PARTITION}) for every partner.
     *
     * @throws IllegalArgumentException if {@code partner} is not a partner name (see {@link #isPartnerName})
     */
    public static Topic<String, BusPositionReported> busPositionIntake(String partner) {
        requirePartnerName(partner);
        return new Topic<>(BUS_POSITION_INTAKE_PREFIX + partner, Owner.PARTNERS, String.class, BusPositionReported.class,
                PARTITIONS, false, Optional.of(Duration.ofDays(1)), Optional.of(INTAKE_BYTES_PER_PARTITION));
    }

    /**
     * The topic {@code partner} reads, and no other partner: {@code outbound.bus-movements.<partner>}, the movements
     * transport detected of the buses whose manifests name that partner ({@code trackedBy}), as on
     * {@link #BUS_MOVEMENTS}. Written by transport; kept {@link #PARTNER_MOVEMENTS_KEPT}.
     *
     * @throws IllegalArgumentException if {@code partner} is not a partner name (see {@link #isPartnerName})
     */
    public static Topic<String, BusMovementDetected> busMovementsFor(String partner) {
        requirePartnerName(partner);
        return new Topic<>(PARTNER_MOVEMENTS_PREFIX + partner, Owner.TRANSPORT, String.class, BusMovementDetected.class,
                PARTITIONS, false, Optional.of(PARTNER_MOVEMENTS_KEPT), Optional.empty());
    }

    private static void requirePartnerName(String partner) {
        if (!isPartnerName(partner)) {
            throw new IllegalArgumentException("A partner's name is 1 to 64 letters, digits, _ and -, not ending in "
                    + Topic.DEAD_LETTER_SUFFIX + "; got one of " + (partner == null ? 0 : partner.length()) + " characters");
        }
    }

    /**
     * The partners of a comma-separated list, as configured ({@code homecoming.partners}, {@code HOMECOMING_PARTNERS}):
     * trimmed, blanks dropped, each once; empty for null or blank. Parsed here, not by a framework's conversion, so every
     * reader of the setting (services, schema provisioning, the launcher) reads the same list.
     */
    public static List<String> partners(String commaSeparated) {
        if (commaSeparated == null) {
            return List.of();
        }
        return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(name -> !name.isEmpty()).distinct().toList();
    }

    /** Whether {@code name} may name a partner (and so its intake topic). */
    public static boolean isPartnerName(String name) {
        if (name == null || name.isEmpty() || name.length() > 64 || name.endsWith(Topic.DEAD_LETTER_SUFFIX)) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9') && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /**
     * The partner whose intake topic {@code topicName} is, or empty (another topic, a dead-letter topic included). This
     * is how transport knows who sent a reading: the broker let only that partner write the topic.
     */
    public static Optional<String> intakePartner(String topicName) {
        return partnerAfter(BUS_POSITION_INTAKE_PREFIX, topicName);
    }

    /** The partner whose movements topic {@code topicName} is ({@link #busMovementsFor}), or empty. */
    public static Optional<String> movementsPartner(String topicName) {
        return partnerAfter(PARTNER_MOVEMENTS_PREFIX, topicName);
    }

    private static Optional<String> partnerAfter(String prefix, String topicName) {
        if (topicName == null || !topicName.startsWith(prefix)) {
            return Optional.empty();
        }
        String partner = topicName.substring(prefix.length());
        return isPartnerName(partner) ? Optional.of(partner) : Optional.empty();
    }

    /** The catalogue topic named {@code name}: a fixed one, or any partner's intake or movements topic. */
    public static Optional<Topic<?, ?>> find(String name) {
        Optional<Topic<?, ?>> fixed = ALL.stream().filter(topic -> topic.name().equals(name)).findFirst();
        if (fixed.isPresent()) {
            return fixed;
        }
        Optional<Topic<?, ?>> intake = intakePartner(name).map(partner -> busPositionIntake(partner));
        return intake.isPresent() ? intake : movementsPartner(name).map(partner -> busMovementsFor(partner));
    }

    public static Topic<?, ?> named(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("No topic in the catalogue is named " + name));
    }

    private static <V> Topic<String, V> history(String name, Owner owner, Class<V> valueType) {
        return new Topic<>(name, owner, String.class, valueType, PARTITIONS, false, FOREVER, Optional.empty());
    }

    private static <V> Topic<String, V> compacted(String name, Owner owner, Class<V> valueType) {
        return new Topic<>(name, owner, String.class, valueType, PARTITIONS, true, Optional.empty(), Optional.empty());
    }
}
