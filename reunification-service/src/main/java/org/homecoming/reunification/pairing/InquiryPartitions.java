package org.homecoming.reunification.pairing;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Utils;
import org.homecoming.catalogue.Topics;

/**
 * Where an inquiry's records are: the inquiries, matches and alerts topics are keyed by inquiry with as many partitions
 * each, so one partition number holds an inquiry on all three. Used by the readers that wait until their view has
 * caught up with the inquiry's partition as it was a moment ago ({@link InquiriesCaughtUp}).
 */
public final class InquiryPartitions {

    private InquiryPartitions() {
    }

    /** The partition of the inquiry's records, as the producers' default partitioner chose it. */
    public static int of(String inquiryId) {
        return Utils.toPositive(Utils.murmur2(inquiryId.getBytes(StandardCharsets.UTF_8))) % Topics.INQUIRIES.partitions();
    }
}
