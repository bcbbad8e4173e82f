package org.homecoming.catalogue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.homecoming.catalogue.Topic.Owner;
import org.homecoming.events.audit.AuditEventRecorded;
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
    /** Where partner GPS trackers produce raw readings; transport validates and republishes them. */
    public static final Topic<String, BusPositionReported> BUS_POSITION_INTAKE = new Topic<>(
            "intake.bus-positions", Owner.PARTNERS, String.class, BusPositionReported.class, PARTITIONS, false,
            Optional.of(Duration.ofDays(1)));
    /** High rate telemetry: kept a short time only. */
    public static final Topic<String, BusPositionRecorded> BUS_POSITIONS = new Topic<>(
            "transport.bus-positions", Owner.TRANSPORT, String.class, BusPositionRecorded.class, PARTITIONS, false,
            Optional.of(Duration.ofDays(1)));
    public static final Topic<String, BusMovementDetected> BUS_MOVEMENTS = history(
            "transport.bus-movements", Owner.TRANSPORT, BusMovementDetected.class);
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
     * The audit trail: who read personal data, decided, published, withdrew, erased or acknowledged what, and when.
     * Every service writes it (see {@link Owner#SERVICES}); only an auditor reads it. Append-only and kept forever,
     * never compacted. Key: the subject's id. Holds ids, roles and principal names, never contact data or names.
     */
    public static final Topic<String, AuditEventRecorded> AUDIT_EVENTS = history(
            "audit.events", Owner.SERVICES, AuditEventRecorded.class);

    public static final List<Topic<?, ?>> ALL = List.of(
            EXCHANGE_ROUNDS, RELEASE_LISTS, LISTED_PERSONS,
            BUS_MANIFESTS, BUS_POSITION_INTAKE, BUS_POSITIONS, BUS_MOVEMENTS, PERSON_ARRIVALS, FACILITY_ADMISSIONS, HANDOVER_DISCREPANCIES,
            INQUIRIES, MATCHES, ALERTS, ALERT_DELIVERIES,
            AUDIT_EVENTS);

    private Topics() {
    }

    public static List<Topic<?, ?>> ownedBy(Owner owner) {
        return ALL.stream().filter(topic -> topic.owner() == owner).toList();
    }

    public static Topic<?, ?> named(String name) {
        return ALL.stream().filter(topic -> topic.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No topic in the catalogue is named " + name));
    }

    private static <V> Topic<String, V> history(String name, Owner owner, Class<V> valueType) {
        return new Topic<>(name, owner, String.class, valueType, PARTITIONS, false, FOREVER);
    }

    private static <V> Topic<String, V> compacted(String name, Owner owner, Class<V> valueType) {
        return new Topic<>(name, owner, String.class, valueType, PARTITIONS, true, Optional.empty());
    }
}
