package org.homecoming.console.messaging;

import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.homecoming.platform.kafka.TopicReplay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Whether the console has folded every observed topic up to the end it had when the console was given its partitions.
 * The console reads everything again at each start (see {@link ObservedTopics}), and until then its picture is
 * partial: a restarted console said it was ready at once and showed, for as long as the fold took, fewer arrivals and
 * alerts than there were, and no open issue that was further back in the topics.
 *
 * <p>The ends are the consumer's own (read_committed, so the last stable offset), taken once on the listener's thread
 * when the partitions are first assigned, and compared with the consumer's position before each poll. The position,
 * not the offsets of the records folded, because a transactional topic ends in a commit marker that no record's offset
 * reaches; and not committed offsets, because the console commits none. Once caught up it stays so: later records are
 * the live traffic, which the lag metrics show.
 */
class PictureCatchUp implements RecordInterceptor<Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(PictureCatchUp.class);

    // written and read on the listener's thread only, apart from the flag
    private Map<TopicPartition, Long> ends;
    private volatile boolean caughtUp;

    /** Called by the listener container on its thread before every poll, also when the last poll brought nothing. */
    @Override
    public void setupThreadState(Consumer<?, ?> consumer) {
        if (caughtUp) {
            return;
        }
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return;
        }
        try {
            if (ends == null) {
                ends = Map.copyOf(consumer.endOffsets(assigned));
                log.info("Folding {} partitions into the operation picture up to their ends: {} records at most",
                        ends.size(), ends.values().stream().mapToLong(Long::longValue).sum());
            }
            if (TopicReplay.reached(consumer, ends)) {
                caughtUp = true;
                log.info("The operation picture has folded every observed topic up to the ends it had at the start");
            }
        } catch (KafkaException e) {
            // a broker slow to answer: asked again before the next poll, and the picture stays "not ready" meanwhile
            log.debug("Could not compare the console's position with the topics' ends yet", e);
        }
    }

    @Override
    public ConsumerRecord<Object, Object> intercept(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
        return record;
    }

    boolean caughtUp() {
        return caughtUp;
    }
}
