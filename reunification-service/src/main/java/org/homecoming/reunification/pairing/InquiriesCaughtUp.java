package org.homecoming.reunification.pairing;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntToLongFunction;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.homecoming.catalogue.Topics;
import org.homecoming.platform.kafka.StableEnd;
import org.homecoming.reunification.inquiries.InquiryReads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * A REST request about an inquiry waits, at most {@link #WAIT}, until the pairing listener of this instance has read
 * every committed record of the inquiry's partition that was written when the request came in (the transactions open
 * then have ended, and the last stable offset has reached the high watermark of that moment: {@link StableEnd}): an
 * inquiry registered or changed through another instance is then read as written, and never changed or withdrawn from
 * an older revision.
 *
 * <p>Normally the last offset below the last stable offset is the commit marker of the transaction that wrote the last
 * record, which no listener is handed: the view has caught up once it has read the record before it. But when the last
 * transaction there was aborted (its audit entry could not be written, or its writer died and was fenced), no record
 * the listener will ever read comes before the marker, and comparing offsets would wait out every request on that
 * partition until the next committed write, and refuse every write that could make one. So when the listener is short
 * of that mark, a read_committed probe reads what lies between and learns the last committed record actually there.
 *
 * <p>A caseworker's decision waits the same way on the inquiry's partition of {@code reunification.matches}
 * ({@link #awaitMatchesRead}), where another instance's decision on the same match lands.
 */
@Component
class InquiriesCaughtUp implements InquiryReads, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(InquiriesCaughtUp.class);
    static final Duration WAIT = Duration.ofSeconds(3);

    private final Admin admin;
    private final Map<String, Object> probeConfig;
    private final IntToLongFunction readTo;
    private KafkaConsumer<byte[], byte[]> probe;

    @Autowired
    InquiriesCaughtUp(KafkaProperties kafka, PairingListener listener) {
        this(kafka.buildAdminProperties(), kafka.buildConsumerProperties(), listener::inquiriesReadTo);
    }

    /** {@code readTo}: per partition of the inquiries topic, the offset after the last record the view took in. */
    InquiriesCaughtUp(Map<String, Object> adminConfig, Map<String, Object> consumerConfig, IntToLongFunction readTo) {
        this.admin = Admin.create(new HashMap<>(adminConfig));
        this.probeConfig = new HashMap<>(consumerConfig);
        this.probeConfig.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.probeConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.probeConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.probeConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "inquiries-caught-up");
        this.readTo = readTo;
    }

    @Override
    public boolean awaitCaughtUp(String inquiryId) {
        return awaitRead(Topics.INQUIRIES.name(), InquiryPartitions.of(inquiryId), readTo);
    }

    /**
     * As {@link #awaitCaughtUp}, on the inquiry's partition of the matches topic, read as far as {@code matchesReadTo}
     * says (per partition, the offset after the last record this instance's books took in).
     */
    boolean awaitMatchesRead(String inquiryId, IntToLongFunction matchesReadTo) {
        return awaitRead(Topics.MATCHES.name(), InquiryPartitions.of(inquiryId), matchesReadTo);
    }

    private boolean awaitRead(String topic, int partition, IntToLongFunction view) {
        TopicPartition topicPartition = new TopicPartition(topic, partition);
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            // Every record written before now, committed or not, lies below the high watermark. A transaction still
            // open there (another inquiry's write on this partition) holds the last stable offset below a commit made
            // after it began, such as a withdrawal another instance committed a moment ago: reading to that last stable
            // offset would miss the withdrawal, and a write decided on it would land after the tombstone. So the last
            // stable offset must first reach the high watermark as it is now.
            Optional<Map<TopicPartition, Long>> stable = StableEnd.awaitEnds(admin, List.of(topicPartition), WAIT);
            if (stable.isEmpty()) {
                return false;
            }
            long end = stable.get().get(topicPartition);
            if (view.applyAsLong(partition) >= end - 1) {
                return true;
            }
            long lastCommitted = lastCommittedRecord(topicPartition, view.applyAsLong(partition), end, deadline);
            while (view.applyAsLong(partition) <= lastCommitted && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            return view.applyAsLong(partition) > lastCommitted;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            // bounded: a read answers from the view as it is, a write is refused
            log.debug("Could not learn how far {} goes: {}", topicPartition, e.toString());
            return false;
        }
    }

    /**
     * The offset of the last committed record in [{@code from}, {@code end}), or {@code from - 1} if there is none
     * (only aborted records and transaction markers); {@code end} if it could not be read in time.
     */
    private synchronized long lastCommittedRecord(TopicPartition partition, long from, long end, long deadline) {
        KafkaConsumer<byte[], byte[]> reader = probe();
        try {
            reader.assign(List.of(partition));
            reader.seek(partition, from);
            long last = from - 1;
            while (reader.position(partition) < end) {
                if (System.nanoTime() >= deadline) {
                    return end;
                }
                for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(100))) {
                    if (record.offset() < end) {
                        last = Math.max(last, record.offset());
                    }
                }
            }
            return last;
        } catch (RuntimeException e) {
            closeProbe();
            throw e;
        }
    }

    private KafkaConsumer<byte[], byte[]> probe() {
        if (probe == null) {
            probe = new KafkaConsumer<>(probeConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        return probe;
    }

    private void closeProbe() {
        if (probe != null) {
            probe.close(Duration.ofSeconds(1));
            probe = null;
        }
    }

    @Override
    public synchronized void destroy() {
        closeProbe();
        admin.close(Duration.ofSeconds(5));
    }
}
