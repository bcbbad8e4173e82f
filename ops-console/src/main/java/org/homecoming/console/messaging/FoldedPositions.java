package org.homecoming.console.messaging;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;
import org.springframework.kafka.listener.RecordInterceptor;

/**
 * Where the console's fold of each partition stands, so that a partition given back to the console is read on from
 * there. The console commits no offset (see {@link ObservedTopics}): when its group lost its partitions (the broker
 * away longer than the session timeout, a coordinator that moved) they came back at the earliest offset, and every
 * topic was folded again over the live picture. For minutes the page went backwards: rejected matches matched again,
 * failed deliveries sending, the items that needed attention gone and back, and acknowledged ones unacknowledged.
 *
 * <p>Records are folded and partitions assigned on the listener's thread.
 */
class FoldedPositions implements RecordInterceptor<Object, Object>, ConsumerAwareRebalanceListener {

    private static final Logger log = LoggerFactory.getLogger(FoldedPositions.class);

    /** Per partition, the offset after the last record folded (or skipped as unreadable). */
    private final Map<TopicPartition, Long> next = new ConcurrentHashMap<>();

    @Override
    public ConsumerRecord<Object, Object> intercept(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
        return record;
    }

    @Override
    public void afterRecord(ConsumerRecord<Object, Object> record, Consumer<Object, Object> consumer) {
        next.merge(new TopicPartition(record.topic(), record.partition()), record.offset() + 1, Math::max);
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        int resumed = 0;
        for (TopicPartition partition : partitions) {
            Long position = next.get(partition);
            if (position != null) {
                consumer.seek(partition, position);
                resumed++;
            }
        }
        if (resumed > 0) {
            log.info("Partitions given back to the console: {} read on from where the picture stands, not from their start", resumed);
        }
    }

    /** Where the fold of the partition stands; null if nothing of it was folded. */
    Long next(TopicPartition partition) {
        return next.get(partition);
    }
}
