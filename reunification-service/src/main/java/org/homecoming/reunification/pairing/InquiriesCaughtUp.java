package org.homecoming.reunification.pairing;

import java.time.Duration;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.homecoming.catalogue.Topics;
import org.homecoming.reunification.inquiries.InquiryReads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

/**
 * A REST read of an inquiry waits, at most {@link #WAIT}, until the pairing listener of this instance has read the
 * inquiry's partition up to its last stable offset as it was when the read came in: an inquiry registered or changed
 * through another instance is then read as written.
 *
 * <p>Every record of the inquiries topic is written in a transaction of its own, so the last offset below the last
 * stable offset is that transaction's commit marker, which no listener is handed: the view has caught up once it has
 * read the record before it.
 */
@Component
class InquiriesCaughtUp implements InquiryReads, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(InquiriesCaughtUp.class);
    static final Duration WAIT = Duration.ofSeconds(3);

    private final Admin admin;
    private final PairingListener listener;

    InquiriesCaughtUp(KafkaProperties kafka, PairingListener listener) {
        this.admin = Admin.create(new HashMap<>(kafka.buildAdminProperties()));
        this.listener = listener;
    }

    @Override
    public void awaitCaughtUp(String inquiryId) {
        int partition = InquiryPartitions.of(inquiryId);
        TopicPartition topicPartition = new TopicPartition(Topics.INQUIRIES.name(), partition);
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            long end = InquiryPartitions.lastStableOffset(admin, topicPartition, WAIT);
            while (listener.inquiriesReadTo(partition) < end - 1 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // bounded: the read answers from the view as it is
            log.debug("Could not learn how far the inquiries topic goes: {}", e.toString());
        }
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(5));
    }
}
