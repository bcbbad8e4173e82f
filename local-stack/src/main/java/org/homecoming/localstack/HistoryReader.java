package org.homecoming.localstack;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.AlertDeliveryAttempted;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.events.reunification.MatchDecided;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.roster.ReleaseListPublished;
import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.events.transport.PersonAdmitted;
import org.homecoming.events.transport.PersonHandedOver;
import org.homecoming.localstack.faults.History;
import org.homecoming.localstack.faults.History.Position;
import org.homecoming.localstack.faults.HistoryChecker;

/**
 * Reads the history of a run for the {@link org.homecoming.localstack.faults.HistoryChecker}: every topic of the
 * catalogue and every dead-letter topic twice, once as a {@code read_committed} consumer (what services and partners
 * see) and once {@code read_uncommitted} (which also returns the records of aborted transactions), and the mail sink.
 * It reads as the broker's administrator, as the launcher's census does: the checker must see every topic, including
 * the inquiries that no service but reunification may read.
 */
final class HistoryReader {

    static {
        // Avro instantiates only classes of trusted packages; the services trust theirs with the same property.
        if (System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES") == null) {
            System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "org.homecoming.events");
        }
    }

    private final Map<String, Object> client;

    HistoryReader(Map<String, Object> client) {
        this.client = client;
    }

    /**
     * Reads the history once delivery has reached every committed e-mail alert, or {@code patience} has passed. The
     * mail sink going quiet for 30 s is not enough after a broker restart: a transaction the broker's death left open
     * keeps read_committed readers, delivery among them, from the alerts behind it until the coordinator aborts it
     * (transaction.timeout.ms, 60 s). An alert that is still unreached after {@code patience} fails the check.
     */
    History readOnceDelivered(GreenMail mail, History.Acknowledged acknowledged, List<History.DeadLetter> injectedPoison,
                              Duration patience) {
        Instant deadline = Instant.now().plus(patience);
        History history = read(mail, acknowledged, injectedPoison);
        List<String> awaiting = HistoryChecker.awaitingDelivery(history);
        while (!awaiting.isEmpty() && Instant.now().isBefore(deadline)) {
            System.out.printf("   %d e-mail alerts not reached by delivery yet; reading the history again in 30 s ...%n", awaiting.size());
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            history = read(mail, acknowledged, injectedPoison);
            awaiting = HistoryChecker.awaitingDelivery(history);
        }
        return history;
    }

    History read(GreenMail mail, History.Acknowledged acknowledged, List<History.DeadLetter> injectedPoison) {
        List<History.ListVersion> versions = new ArrayList<>();
        List<History.Listing> listings = new ArrayList<>();
        List<History.Movement> movements = new ArrayList<>();
        List<History.Arrival> arrivals = new ArrayList<>();
        List<History.Admission> admissions = new ArrayList<>();
        List<String> inquiries = new ArrayList<>();
        List<History.Match> matches = new ArrayList<>();
        List<History.Alert> alerts = new ArrayList<>();
        List<History.Delivery> deliveries = new ArrayList<>();
        List<History.DeadLetter> deadLetters = new ArrayList<>();
        List<Position> committed = new ArrayList<>();
        List<Position> aborted = new ArrayList<>();
        List<String> open = new ArrayList<>();

        for (Topic<?, ?> topic : Topics.all(KafkaCredentials.partners())) {
            for (String name : List.of(topic.name(), topic.deadLetterTopic())) {
                boolean deadLetterTopic = name.equals(topic.deadLetterTopic());
                Set<Position> seen = new HashSet<>();
                Read uncommitted = read(name, "read_uncommitted", record -> { });
                Read committedRead = read(name, "read_committed", record -> {
                    Position at = new Position(record.topic(), record.partition(), record.offset());
                    seen.add(at);
                    committed.add(at);
                    if (deadLetterTopic) {
                        deadLetters.add(new History.DeadLetter(name, digest(record.value())));
                    } else if (record.value() != null) {
                        collect(topic, record, at, versions, listings, movements, arrivals, admissions, inquiries, matches, alerts, deliveries);
                    }
                });
                uncommitted.positions().stream().filter(at -> !seen.contains(at))
                        .filter(at -> at.offset() < committedRead.ends().getOrDefault(at.partition(), Long.MAX_VALUE))
                        .forEach(aborted::add);
                committedRead.ends().forEach((partition, lastStable) -> {
                    if (lastStable < uncommitted.ends().getOrDefault(partition, lastStable)
                            && stuck(new TopicPartition(name, partition), lastStable)) {
                        open.add(name + "-" + partition);
                    }
                });
            }
        }
        List<History.Mail> mails = new ArrayList<>();
        for (MimeMessage message : mail.getReceivedMessages()) {
            try {
                mails.add(new History.Mail(message.getMessageID(), message.getAllRecipients() == null || message.getAllRecipients().length == 0
                        ? null : message.getAllRecipients()[0].toString().toLowerCase(Locale.ROOT)));
            } catch (MessagingException e) {
                mails.add(new History.Mail("unreadable: " + e.getMessage()));
            }
        }
        return new History(versions, listings, movements, arrivals, admissions, inquiries, matches, alerts, deliveries, mails, deadLetters,
                committed, aborted, open, acknowledged, injectedPoison);
    }

    private static void collect(Topic<?, ?> topic, ConsumerRecord<String, byte[]> record, Position at,
                                List<History.ListVersion> versions, List<History.Listing> listings,
                                List<History.Movement> movements, List<History.Arrival> arrivals,
                                List<History.Admission> admissions, List<String> inquiries, List<History.Match> matches,
                                List<History.Alert> alerts, List<History.Delivery> deliveries) {
        if (topic == Topics.RELEASE_LISTS) {
            ReleaseListPublished header = decode(record.value(), ReleaseListPublished.class);
            versions.add(new History.ListVersion(header.getListId(), header.getVersion(),
                    header.getListedCount() + header.getWithdrawnCount() + header.getCorrectedCount(), at));
        } else if (topic == Topics.LISTED_PERSONS) {
            PersonListingChanged change = decode(record.value(), PersonListingChanged.class);
            listings.add(new History.Listing(change.getListId(), change.getListVersion(), change.getPersonId(),
                    String.valueOf(change.getChange()), at));
        } else if (topic == Topics.BUS_MOVEMENTS || Topics.movementsPartner(topic.name()).isPresent()) {
            BusMovementDetected movement = decode(record.value(), BusMovementDetected.class);
            movements.add(new History.Movement(movement.getBusId(), String.valueOf(movement.getMovement()), at));
        } else if (topic == Topics.PERSON_ARRIVALS) {
            PersonHandedOver handover = decode(record.value(), PersonHandedOver.class);
            arrivals.add(new History.Arrival(handover.getPersonId(), handover.getBusId(), at));
        } else if (topic == Topics.FACILITY_ADMISSIONS) {
            admissions.add(new History.Admission(decode(record.value(), PersonAdmitted.class).getPersonId(), at));
        } else if (topic == Topics.INQUIRIES) {
            inquiries.add(decode(record.value(), InquiryRegistered.class).getInquiryId());
        } else if (topic == Topics.MATCHES) {
            MatchDecided match = decode(record.value(), MatchDecided.class);
            matches.add(new History.Match(match.getMatchId(), match.getInquiryId(), match.getPersonId(),
                    String.valueOf(match.getStatus()), at));
        } else if (topic == Topics.ALERTS) {
            AlertIssued alert = decode(record.value(), AlertIssued.class);
            alerts.add(new History.Alert(alert.getAlertId(), alert.getInquiryId(), alert.getPersonId(),
                    String.valueOf(alert.getMilestone()), String.valueOf(alert.getChannel()), at));
        } else if (topic == Topics.ALERT_DELIVERIES) {
            AlertDeliveryAttempted attempt = decode(record.value(), AlertDeliveryAttempted.class);
            deliveries.add(new History.Delivery(attempt.getAlertId(), String.valueOf(attempt.getOutcome()), attempt.getAttempt(), at,
                    toldThrough(attempt.getFailureReason())));
        }
    }

    /**
     * Through which inquiry reunification's reason says an alert withheld as already told went out: "another inquiry"
     * (reasons name none now), or the inquiry an older run's reason named ("... through inquiry X: ..."); else null.
     */
    private static String toldThrough(String reason) {
        if (reason == null) {
            return null;
        }
        Matcher told = ALREADY_TOLD.matcher(reason);
        return !told.find() ? null : told.group(1) != null ? told.group(1) : "another inquiry";
    }

    private static final Pattern ALREADY_TOLD = Pattern.compile(
            "the same news already went to this address through (?:another inquiry|inquiry ([^:\\s]+))");

    /** A value in the registry's wire format (magic byte 0, a 4-byte schema id, Avro binary), read with today's schema. */
    static <T extends SpecificRecord> T decode(byte[] value, Class<T> type) {
        if (value.length < 5 || value[0] != 0) {
            throw new IllegalStateException("A record of " + type.getSimpleName() + " is not in the registry's wire format");
        }
        try {
            SpecificDatumReader<T> reader = new SpecificDatumReader<>(type);
            ByteBuffer body = ByteBuffer.wrap(value, 5, value.length - 5);
            return reader.read(null, DecoderFactory.get().binaryDecoder(body.array(), 5, value.length - 5, null));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot decode a record of " + type.getSimpleName(), e);
        }
    }

    static String digest(byte[] value) {
        if (value == null) {
            return "null";
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value)).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether a transaction on {@code partition} stays open: its last stable offset does not move past
     * {@code lastStable} within 90 s (longer than a producer's transaction timeout). A Kafka Streams application that
     * is still punctuating opens and commits transactions all the time; those are not stuck.
     */
    private boolean stuck(TopicPartition partition, long lastStable) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
            while (Instant.now().isBefore(deadline)) {
                if (consumer.endOffsets(List.of(partition)).get(partition) > lastStable) {
                    return false;
                }
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return true;
                }
            }
            return true;
        }
    }

    /** The positions read, and where each partition ended for this isolation level (high watermark or last stable offset). */
    private record Read(List<Position> positions, Map<Integer, Long> ends) {
    }

    private Read read(String topic, String isolation, Consumer<ConsumerRecord<String, byte[]>> each) {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "local-stack-history-" + UUID.randomUUID());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            var infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            List<Position> positions = new ArrayList<>();
            Map<Integer, Long> ends = new HashMap<>();
            if (infos == null || infos.isEmpty()) {
                return new Read(positions, ends);
            }
            List<TopicPartition> partitions = infos.stream().map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            end.forEach((partition, offset) -> ends.put(partition.partition(), offset));
            Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
            while (partitions.stream().anyMatch(partition -> consumer.position(partition) < end.get(partition))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("Could not read " + topic + " (" + isolation + ") to its end within 2 minutes");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(300))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        positions.add(new Position(record.topic(), record.partition(), record.offset()));
                        each.accept(record);
                    }
                }
            }
            return new Read(positions, ends);
        }
    }
}
