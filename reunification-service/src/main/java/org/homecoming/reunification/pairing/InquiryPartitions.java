package org.homecoming.reunification.pairing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.homecoming.catalogue.Topics;

/**
 * Where an inquiry's records are, and how far a partition goes: the inquiries, matches and alerts topics are keyed by
 * inquiry with as many partitions each, so one partition number holds an inquiry on all three. Used by the readers that
 * wait until their view has caught up with a partition as it was a moment ago.
 */
final class InquiryPartitions {

    private InquiryPartitions() {
    }

    /** The partition of the inquiry's records, as the producers' default partitioner chose it. */
    static int of(String inquiryId) {
        return Utils.toPositive(Utils.murmur2(inquiryId.getBytes(StandardCharsets.UTF_8))) % Topics.INQUIRIES.partitions();
    }

    /**
     * The partition's last stable offset now. Every record of these topics is written in a transaction, so the offset just
     * below it is a transaction marker, which no consumer is handed: normally a commit, so a view has read every record
     * once it reached that offset (after an aborted transaction, see {@link InquiriesCaughtUp}).
     */
    /** The partition's end with every record written, committed or not: where the open transactions end at most. */
    static long highWatermark(Admin admin, TopicPartition partition, Duration wait) throws Exception {
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED))
                .partitionResult(partition).get(wait.toMillis(), TimeUnit.MILLISECONDS).offset();
    }

    static long lastStableOffset(Admin admin, TopicPartition partition, Duration wait) throws Exception {
        return admin.listOffsets(Map.of(partition, OffsetSpec.latest()), new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                .partitionResult(partition).get(wait.toMillis(), TimeUnit.MILLISECONDS).offset();
    }
}
