package org.homecoming.transport.telemetry;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.transport.BusPositionRecorded;
import org.homecoming.events.transport.BusPositionReported;
import org.homecoming.platform.holding.UnresolvedRecordException;
import org.homecoming.platform.observability.RepeatedReports;
import org.homecoming.platform.web.EntityId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates partner readings from each partner's {@code intake.bus-positions.<partner>} and republishes the good ones, keyed by bus, as
 * {@code BusPositionRecorded} with the bus's round. The buses' rounds come from a global store of the manifests
 * ({@link ManifestRounds}) that Kafka Streams loads fully before processing starts, so a restart never mistakes a known bus for an unknown one. A good reading of a bus
 * whose manifest is not there yet is held (see {@link ReadingHold}), while its partner's share of the hold has room in
 * readings and bytes ({@link HoldShares}: the capacity split evenly among the partners, so one partner reporting made-up
 * buses fills only its own share and every other partner's early readings are still held), and goes on once it is, or
 * to the dead-letter topic when the hold is up. Only a bus id that follows the platform's entity-id rule is held or
 * looked up.
 *
 * <p>A partner reports only its own buses. Kafka does not stamp the producer's principal on a record, but the broker lets
 * only partner P write {@code intake.bus-positions.P}: the topic a reading came from names its sender. A reading of a bus
 * whose manifest binds it to another partner, or to none ({@code trackedBy} absent: only transport's REST door reports
 * it), is refused to that topic's dead-letter topic, never applied; so a captured partner credential can walk only the
 * buses of that partner, and the plausibility check and the three readings at the reception point still stand in the way.
 */
public final class IntakeValidation implements Processor<String, BusPositionReported, String, BusPositionRecorded> {

    public static final String HELD_STORE = "held-readings";
    private static final Logger log = LoggerFactory.getLogger(IntakeValidation.class);
    /** A partner flooding unknown buses must not flood the log: one line a minute per partner, with the count. */
    static final Duration REFUSALS_LOGGED_EVERY = Duration.ofMinutes(1);

    private final ReadingValidator validator;
    private final ReadingHold hold;
    private ProcessorContext<String, BusPositionRecorded> context;
    private KeyValueStore<String, String> rounds;
    private final Serde<BusPositionReported> intake;
    private KeyValueStore<String, byte[]> held;
    /**
     * How many readings the held store has from each partner's topic, and their bytes: kept with every change, counted
     * afresh at every init.
     */
    private final HoldShares shares;
    /** The intake topics read now, one per configured partner: a held reading from any other is never applied. */
    private final Set<String> topics;
    /** Shared by every stream task, so a partner's refusals make one line a minute, not one per task. */
    private final RepeatedReports refusals;

    /**
     * @param intake   the intake topic's value serde: held readings are kept encoded as they came
     * @param topics   the partners' intake topics this reads: each partner gets an equal share of the hold
     * @param refusals the log of refused readings, one for the whole topology ({@link #refusalLog()})
     */
    public IntakeValidation(ReadingValidator validator, ReadingHold hold, Serde<BusPositionReported> intake,
                            Set<String> topics, RepeatedReports refusals) {
        this.validator = validator;
        this.hold = hold;
        this.intake = intake;
        this.topics = Set.copyOf(topics);
        this.shares = hold.shares(this.topics.size());
        this.refusals = refusals;
    }

    /** The log of readings refused for a full share: one line a minute per partner, over all the stream tasks. */
    public static RepeatedReports refusalLog() {
        return new RepeatedReports(REFUSALS_LOGGED_EVERY, 1_000, Clock.systemUTC());
    }

    /**
     * The held readings, in the task's own store: its changelog commits in the same transaction as the input offsets
     * (exactly_once_v2), so a reading whose offset is committed while it is held survives a crash. The key orders them
     * by the time their hold ends: {@code <until, 13 digits>|<source topic>|<partition>|<offset>|<original key>} (the topic
     * names the partner that sent it, checked against the manifest when it comes). The value is the
     * reading encoded as on the intake topic (with the registry: the Confluent wire format under the intake subject),
     * so it reads back across schema versions and is what the dead-letter topic receives.
     */
    public static StoreBuilder<KeyValueStore<String, byte[]>> heldStore() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HELD_STORE), Serdes.String(), Serdes.ByteArray());
    }

    @Override
    public void init(ProcessorContext<String, BusPositionRecorded> context) {
        this.context = context;
        this.rounds = context.getStateStore(ManifestRounds.STORE);
        this.held = context.getStateStore(HELD_STORE);
        // Kafka Streams initialises the processor after restoring the store, and again after every rollback (which
        // restores it): counted here, the totals always describe what the store holds. RocksDB's own entry count is
        // an estimate, and it knows no bytes.
        shares.clear();
        try (KeyValueIterator<String, byte[]> entries = held.all()) {
            while (entries.hasNext()) {
                KeyValue<String, byte[]> entry = entries.next();
                shares.held(source(entry.key), footprint(entry.key, entry.value));
            }
        }
        context.schedule(hold.settings().checkEvery(), PunctuationType.WALL_CLOCK_TIME, this::retryHeld);
    }

    @Override
    public void process(Record<String, BusPositionReported> record) {
        BusPositionReported reported = record.value();
        if (reported == null) {
            throw new RejectedReadingException("the record has no value");
        }
        String busId = reported.getBusId();
        RecordMetadata source = context.recordMetadata().orElseThrow();
        ManifestRounds.Bus bus = EntityId.isValid(busId) ? ManifestRounds.bus(rounds, busId) : null;
        String round = bus == null ? null : bus.round();
        Reading reading = new Reading(reported.getLatitude(), reported.getLongitude(), reported.getSpeedKmh(), reported.getRecordedAt());
        List<ReadingValidator.Problem> busProblems = validator.busProblems(busId, round != null);
        List<ReadingValidator.Problem> problems = new ArrayList<>(busProblems);
        problems.addAll(validator.readingProblems(reading, Instant.ofEpochMilli(context.currentSystemTimeMs())));
        if (bus != null) {
            partnerRefusal(busId, bus.trackedBy(), source.topic()).ifPresent(problems::add);
        }
        if (round == null && problems.size() == busProblems.size() && EntityId.isValid(busId)) {
            // a good reading of a bus whose manifest is not read yet: held, not rejected, while its partner's share has
            // room; whether its partner may report the bus is decided when the manifest comes
            long until = context.currentSystemTimeMs() + hold.settings().window().toMillis();
            String key = String.format("%013d|%s|%d|%d|%s", until, source.topic(), source.partition(), source.offset(),
                    record.key() == null ? "" : record.key());
            byte[] value = intake.serializer().serialize(source.topic(), reported);
            long footprint = footprint(key, value);
            if (shares.admits(source.topic(), footprint)) {
                held.put(key, value);
                shares.held(source.topic(), footprint);
                return;
            }
            problems.add(new ReadingValidator.Problem("reading", shareFull(source.topic(), footprint)));
            throw new HoldShareFullException(problems.stream().map(ReadingValidator.Problem::toString)
                    .collect(Collectors.joining("; ")));
        }
        if (!problems.isEmpty()) {
            throw new RejectedReadingException(problems.stream().map(ReadingValidator.Problem::toString).collect(Collectors.joining("; ")));
        }
        // Only the validated fields cross from a partner into transport's topics: its headers, which Kafka Streams
        // would carry on to every topic downstream, are left behind, and so is its record timestamp (unchecked: one
        // from years ago would let time-based retention delete the position at once). As for a reading that was held,
        // the record is stamped with when transport accepted it; the reading's own time is the checked recordedAt.
        context.forward(new Record<>(busId, recorded(reported, round), context.currentSystemTimeMs()));
    }

    /**
     * Why a reading from {@code topic} of {@code footprint} bytes is not held, for its dead letter; and, once a minute for
     * each partner over all the stream tasks, the same in the log with how many were refused since, without the bus or
     * anything else the readings carry. The dead letter names the bus (a valid id), as every dead letter of an unknown
     * bus does.
     */
    private String shareFull(String topic, long footprint) {
        String partner = Topics.intakePartner(topic).orElse(topic);
        HoldShares.Share has = shares.of(topic);
        HoldShares.Share limit = shares.limit();
        // a reading bigger than a whole share (a partner keying its records with a huge key) is not held even in an
        // empty share: saying "full" there would send ops looking for a flood that is not there
        String full = footprint > limit.bytes()
                ? "the reading takes " + footprint + " bytes in the hold (its key and value), more than partner " + partner
                        + "'s whole share of the hold (" + limit.bytes() + " bytes of each of the " + shares.sources()
                        + " partners): shorten the record's key"
                : "partner " + partner + "'s share of the hold is full: " + has.readings() + " of its readings of unknown"
                        + " buses (" + has.bytes() + " bytes) are held already, at most " + limit.readings() + " readings and "
                        + limit.bytes() + " bytes of each of the " + shares.sources() + " partners are";
        refusals.occurred(partner).ifPresent(refused -> log.warn("Partner {}'s share of the hold is full ({} readings, {}"
                + " bytes held; at most {} and {} bytes): {} of its readings of buses without a manifest refused to {}{} since"
                + " the last such line; other partners' readings are still held (buses and readings not logged)", partner,
                has.readings(), has.bytes(), limit.readings(), limit.bytes(), refused, topic, Topic.DEAD_LETTER_SUFFIX));
        return "not held: " + full;
    }

    /** The topic a held row came from, which names its partner; for rows of older versions, what stands there. */
    private static String source(String key) {
        String[] parts = key.split("\\|", 3);
        return parts.length < 2 ? "" : parts[1];
    }

    /**
     * Why the partner whose intake topic {@code topic} is may not report bus {@code busId}, whose manifest binds it to
     * {@code trackedBy}; empty when it may. The one place this is decided. Names the bus (a valid id) and the sending
     * partner, never the partner the bus is bound to.
     */
    static Optional<ReadingValidator.Problem> partnerRefusal(String busId, String trackedBy, String topic) {
        Optional<String> partner = Topics.intakePartner(topic);
        if (partner.isEmpty()) {
            return Optional.of(new ReadingValidator.Problem("busId", "the reading came from " + topic
                    + ", which is no partner's intake topic: no partner may report bus " + busId + " there"));
        }
        if (trackedBy == null) {
            return Optional.of(new ReadingValidator.Problem("busId", "bus " + busId + " is tracked by no partner (its manifest"
                    + " names none): partner " + partner.get() + " may not report it; only transport's REST door may"));
        }
        if (!trackedBy.equals(partner.get())) {
            return Optional.of(new ReadingValidator.Problem("busId", "bus " + busId + " is tracked by another partner: partner "
                    + partner.get() + " may report only the buses whose manifest names it (trackedBy)"));
        }
        return Optional.empty();
    }

    /**
     * Every {@code check-every}: the held readings whose bus has a manifest now go on (later than the bus's readings
     * read since; movement detection takes positions out of order), those whose time is up go to the dead-letter topic.
     * One pass with the store's iterator, deleting behind it (the store's iterators read a snapshot and tolerate that):
     * every row has to be looked at anyway, since any bus may have got its manifest, and copying the rows into a list
     * first held all of them on the heap at once. A held reading whose bus got a manifest that binds it to another
     * partner (or to none) goes to the dead-letter topic at once, as it would have had the manifest come first.
     */
    private void retryHeld(long now) {
        try (KeyValueIterator<String, byte[]> entries = held.all()) {
            while (entries.hasNext()) {
                KeyValue<String, byte[]> entry = entries.next();
                String[] key = entry.key.split("\\|", 5);
                if (key.length < 5 || !Topics.intakePartner(key[1]).isPresent()) {
                    // held before intake topics were per partner (from the shared topic, whose sender is unknown, so no
                    // partner may have its reading applied), whose dead-letter topic is gone: removed, and said so
                    log.warn("Removed a reading held by an earlier version from the shared intake topic: its partner is unknown");
                    release(entry);
                    continue;
                }
                String topic = key[1];
                if (!topics.contains(topic)) {
                    // held from a partner since removed from the configuration (its credential withdrawn, perhaps
                    // because it was captured): what it sent is no longer trusted, so it is never applied, and its own
                    // dead-letter topic keeps it for ops rather than the store until its time is up
                    String partner = Topics.intakePartner(topic).orElseThrow();
                    try {
                        deadLetter(entry, key, new RejectedReadingException("partner " + partner + " is no longer one whose"
                                + " readings transport takes (not in homecoming.partners): its reading, held while its bus"
                                + " had no manifest, is not applied"));
                    } catch (RuntimeException unsent) {
                        // its dead-letter topic may be gone with the partner (or transport's right to write it): failing
                        // here would fail the stream thread at every check, and stop every partner's intake, for a
                        // reading that is to be dropped anyway
                        log.warn("A reading held from partner {}, no longer configured, could not go to {}{} ({}): removed"
                                + " without being applied", partner, topic, Topic.DEAD_LETTER_SUFFIX, unsent.getClass().getSimpleName());
                        release(entry);
                    }
                    continue;
                }
                BusPositionReported reported = intake.deserializer().deserialize(topic, entry.value);
                String busId = reported.getBusId();
                // rows held by versions before the entity-id rule may carry any id; such a bus never gets a manifest
                boolean validId = EntityId.isValid(busId);
                ManifestRounds.Bus bus = validId ? ManifestRounds.bus(rounds, busId) : null;
                Optional<ReadingValidator.Problem> refusal = bus == null ? Optional.empty()
                        : partnerRefusal(busId, bus.trackedBy(), topic);
                if (bus != null && refusal.isEmpty()) {
                    context.forward(new Record<>(busId, recorded(reported, bus.round()), now));
                    release(entry);
                } else if (refusal.isPresent()) {
                    deadLetter(entry, key, new RejectedReadingException(refusal.get().toString()));
                } else if (Long.parseLong(key[0]) <= now) {
                    deadLetter(entry, key, new UnresolvedRecordException(
                            "unknown bus " + (validId ? busId : "(an id that breaks the id rule)")
                                    + ": no manifest is registered for it; the reading was held for "
                                    + hold.settings().window() + " and no manifest came"));
                }
            }
        }
    }

    /**
     * Sent before the delete commits: after a crash in between it is sent again, and the dead-letter policy, which knows
     * its topic's contents by source offset, keeps one copy.
     */
    private void deadLetter(KeyValue<String, byte[]> entry, String[] key, RuntimeException reason) {
        hold.deadLetters().accept(new ConsumerRecord<>(key[1], Integer.parseInt(key[2]), Long.parseLong(key[3]),
                key[4].isEmpty() ? null : key[4], entry.value), reason);
        release(entry);
    }

    private void release(KeyValue<String, byte[]> entry) {
        held.delete(entry.key);
        shares.released(source(entry.key), footprint(entry.key, entry.value));
    }

    /** What a held reading takes in the store and its changelog: its key and value as stored. */
    private static long footprint(String key, byte[] value) {
        return key.getBytes(StandardCharsets.UTF_8).length + (long) value.length;
    }

    private static BusPositionRecorded recorded(BusPositionReported reported, String round) {
        return BusPositionRecorded.newBuilder()
                .setBusId(reported.getBusId())
                .setRoundId(round)
                .setLatitude(reported.getLatitude())
                .setLongitude(reported.getLongitude())
                .setSpeedKmh(reported.getSpeedKmh())
                .setRecordedAt(reported.getRecordedAt())
                .build();
    }
}
