package org.homecoming.reunification.pairing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.common.PersonCategory;
import org.homecoming.events.common.Side;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.events.reunification.Relative;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.transport.PersonHandedOver;
import org.homecoming.events.transport.TriageLevel;
import org.homecoming.reunification.inquiries.InquiryBook;
import org.homecoming.reunification.matching.MatchScorer;
import org.homecoming.reunification.matching.PersonDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Warms up the arrival → alert path before the service says it is ready. A service that has just rebuilt its state
 * meets its first arrivals with code the JIT has not compiled: at 2,000 arrivals/s its first batches fall behind, and
 * the backlog took 10-15 s to drain (p99 0.5-1.5 s in those seconds, benchmarks/README.md), where a warm service
 * answers in about 100 ms. So, once per JVM, before readiness:
 * <ul>
 *   <li>it rehearses arrivals on a <em>stage</em>: a {@link Pairing} of its own (its own scorer, index, books, an
 *       inquiry book on the heap), fed with inquiries copied from a sample of the index's own (the sought person only:
 *       no contact data is copied), a listing of each sought person and that person's verified hand-over. That runs
 *       the same code as a live arrival: matching and deciding, the alert rules, issuing ARRIVED alerts;</li>
 *   <li>it encodes every record the stage emits and decodes every hand-over with Avro's specific datum writers and
 *       readers, which the Kafka serdes use, in memory;</li>
 *   <li>it scores some of the listings against the live matching index, read-only (nothing is decided or kept).</li>
 * </ul>
 * Nothing is published (it holds no Kafka client) and the live state is only read. The stage is dropped when it ends.
 * Bounded by a count of arrivals and a time limit; one log line says what it did (counts and times, no names).
 *
 * <p>A rebalance later (partitions assigned to this instance) rebuilds the state but does not warm up again: the JIT's
 * work is per JVM, and readiness is not taken back.
 */
@Component
public class ArrivalWarmUp {

    private static final Logger log = LoggerFactory.getLogger(ArrivalWarmUp.class);
    /**
     * Inquiries on the stage at once. The stage is replaced after each round, so that a small index rehearsed many
     * times (tests, a new operation) does not pile up namesakes whose blocks would make each listing score thousands.
     */
    static final int ROUND = 2_000;
    /** Listings scored against the live index: about 1.5 ms each with a million inquiries. */
    static final int LIVE_SCORES = 1_000;
    private static final Instant REHEARSED_AT = Instant.parse("2026-01-01T00:00:00Z");

    /** What one warm-up did. */
    public record Result(int sampled, int arrivals, int alerts, int liveScored, int encoded, long millis) {
    }

    private final Pairing live;
    private final double closeMargin;
    private final boolean enabled;
    private final int arrivals;
    private final Duration timeLimit;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile Result result;

    ArrivalWarmUp(Pairing live, @Value("${reunification.matching.close-margin:3.0}") double closeMargin,
                  @Value("${reunification.warm-up.enabled:true}") boolean enabled,
                  @Value("${reunification.warm-up.arrivals:20000}") int arrivals,
                  @Value("${reunification.warm-up.time-limit:20s}") Duration timeLimit) {
        this.live = live;
        this.closeMargin = closeMargin;
        this.enabled = enabled;
        this.arrivals = arrivals;
        this.timeLimit = timeLimit;
    }

    /** Warms up the first time it is called, if enabled; later calls return at once. Never fails the start-up. */
    public void runOnce() {
        if (!enabled || !started.compareAndSet(false, true)) {
            return;
        }
        Result done;
        try {
            done = run();
        } catch (RuntimeException e) {
            // a warm-up only saves time: the service starts without it. The class only: a message could quote a name.
            log.warn("Arrival path warm-up failed ({}); ready without it", e.getClass().getName());
            result = new Result(0, 0, 0, 0, 0, 0);
            return;
        }
        result = done;
        log.info("Arrival path warmed up in {} ms before readiness: {} arrivals rehearsed ({} alerts) on a stage of {} "
                        + "sampled inquiries, {} listings scored read-only against the index of {} inquiries, {} records "
                        + "encoded or decoded; nothing published, no state changed", done.millis(), done.arrivals(),
                done.alerts(), done.sampled(), done.liveScored(), live.openInquiries(), done.encoded());
    }

    /** What the warm-up did, once it ran. */
    public Optional<Result> result() {
        return Optional.ofNullable(result);
    }

    Result run() {
        long started = System.nanoTime();
        long deadline = started + timeLimit.toNanos();
        // an inquiry known by its full name only has no name parts to list a person with; it is left out
        List<InquiryRegistered> sample = live.sampleInquiries(Math.min(arrivals, ROUND)).stream()
                .filter(inquiry -> !inquiry.getSought().getNames().isEmpty()).toList();
        if (sample.isEmpty() || arrivals <= 0) {
            return new Result(sample.size(), 0, 0, 0, 0, millisSince(started));
        }
        Avro avro = new Avro();
        MatchScorer stageScorer = new MatchScorer();
        int rehearsed = 0;
        int alerts = 0;
        for (int round = 0; rehearsed < arrivals && System.nanoTime() < deadline; round++) {
            stageScorer.forgetListed();
            Pairing stage = new Pairing(stageScorer, closeMargin, Clock.systemUTC(), new InquiryBook(), inquiryId -> false,
                    Pairing.Counters.NONE);
            int n = Math.min(sample.size(), arrivals - rehearsed);
            for (int i = 0; i < n; i++) {
                String inquiryId = new UUID(round, i).toString();
                avro.encode(stage.on(Topics.INQUIRIES.name(), inquiryId, onStage(sample.get(i), inquiryId)));
            }
            for (int i = 0; i < n && System.nanoTime() < deadline; i++) {
                String personId = personId(round, i);
                avro.encode(stage.on(Topics.LISTED_PERSONS.name(), personId, listing(sample.get(i), personId)));
            }
            for (int i = 0; i < n && System.nanoTime() < deadline; i++) {
                String personId = personId(round, i);
                PersonHandedOver handover = avro.roundTrip(handover(personId));
                // as the pairing listener does: a record that makes no sense yet would be held
                if (stage.unresolved(handover) == null) {
                    List<Emitted> emitted = stage.on(Topics.PERSON_ARRIVALS.name(), personId, handover);
                    alerts += (int) emitted.stream().filter(record -> record.value() instanceof AlertIssued).count();
                    avro.encode(emitted);
                }
                rehearsed++;
            }
        }
        int scored = 0;
        for (int i = 0; i < Math.min(sample.size(), LIVE_SCORES) && System.nanoTime() < deadline; i++) {
            live.candidatesFor(PersonDescription.listed(listing(sample.get(i), personId(-1, i))));
            scored++;
        }
        return new Result(sample.size(), rehearsed, alerts, scored, avro.count, millisSince(started));
    }

    private static String personId(int round, int i) {
        return "warm-up-person-" + round + "-" + i;
    }

    /** The inquiry as the stage takes it: the sought person only, a relative without any contact data. */
    private static InquiryRegistered onStage(InquiryRegistered sampled, String inquiryId) {
        Relative relative = sampled.getRelative();
        return InquiryRegistered.newBuilder()
                .setInquiryId(inquiryId)
                .setRevision(1)
                .setSought(sampled.getSought())
                .setRelative(Relative.newBuilder().setName(null).setEmail(null).setPhone(null).setSealed(null)
                        .setRelationship(relative.getRelationship()).setLanguage(relative.getLanguage())
                        .setConsentGiven(relative.getConsentGiven()).build())
                .setRegisteredAt(REHEARSED_AT)
                .setUpdatedAt(REHEARSED_AT)
                .build();
    }

    /** A listing of the person the inquiry seeks, as a release list writes it: the first written name. */
    private static PersonListingChanged listing(InquiryRegistered sampled, String personId) {
        var sought = sampled.getSought();
        return PersonListingChanged.newBuilder()
                .setPersonId(personId)
                .setChange(ListingChange.LISTED)
                .setRoundId("warm-up")
                .setListId("warm-up")
                .setListVersion(1)
                .setReleasingSide(Side.RU)
                .setNativeName(sought.getNames().get(0))
                .setBirthDate(sought.getBirthDate())
                .setCategory(sought.getCategory() == null ? PersonCategory.SOLDIER : sought.getCategory())
                .setChangedAt(REHEARSED_AT)
                .build();
    }

    static PersonHandedOver handover(String personId) {
        return PersonHandedOver.newBuilder()
                .setPersonId(personId)
                .setBusId("warm-up")
                .setRoundId("warm-up")
                .setHandedOverAt(REHEARSED_AT)
                .setIdentityVerified(true)
                .setTriageLevel(TriageLevel.DELAYED)
                .setDestinationFacility("warm-up")
                .setOnManifest(true)
                .setDestinationFacilityId(null)
                .build();
    }

    private static long millisSince(long nanos) {
        return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
    }

    /** Avro binary encoding and decoding with the specific datum writers and readers the serdes use, in memory. */
    private static final class Avro {

        private final Map<Class<?>, SpecificDatumWriter<SpecificRecord>> writers = new HashMap<>();
        private final SpecificDatumReader<PersonHandedOver> handovers = new SpecificDatumReader<>(PersonHandedOver.class);
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        private BinaryEncoder encoder;
        private BinaryDecoder decoder;
        int count;

        void encode(List<Emitted> emitted) {
            for (Emitted record : emitted) {
                if (record.value() != null) {
                    bytes(record.value());
                }
            }
        }

        PersonHandedOver roundTrip(PersonHandedOver handover) {
            byte[] bytes = bytes(handover);
            try {
                decoder = DecoderFactory.get().binaryDecoder(bytes, decoder);
                count++;
                return handovers.read(null, decoder);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private byte[] bytes(SpecificRecord value) {
            SpecificDatumWriter<SpecificRecord> writer = writers.computeIfAbsent(value.getClass(),
                    type -> new SpecificDatumWriter<>(value.getSchema()));
            out.reset();
            encoder = EncoderFactory.get().binaryEncoder(out, encoder);
            try {
                writer.write(value, encoder);
                encoder.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            count++;
            return out.toByteArray();
        }
    }
}
