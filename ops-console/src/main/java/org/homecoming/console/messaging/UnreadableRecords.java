package org.homecoming.console.messaging;

import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.homecoming.platform.observability.MetricNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;

/**
 * What the console does with a record it cannot read or fold in: it logs where the record is and why,
 * counts it, and goes on with the next one.
 *
 * <p>Services send such records to {@code <topic>-dlt}. The console does not: it is a read-only observer,
 * and the owning service has already dead-lettered whatever it could not read itself; a second copy from
 * the console would double the DLT counts ops look at, and the console would become a writer of topics it
 * does not own. The count shows on the dashboard and as {@code homecoming.console.unreadable.records}.
 */
public final class UnreadableRecords implements ConsumerRecordRecoverer {

    private static final Logger log = LoggerFactory.getLogger(UnreadableRecords.class);

    private final MeterRegistry meters;
    private final AtomicLong total = new AtomicLong();

    public UnreadableRecords(MeterRegistry meters) {
        this.meters = meters;
    }

    @Override
    public void accept(ConsumerRecord<?, ?> record, Exception exception) {
        total.incrementAndGet();
        Counter.builder(MetricNames.CONSOLE_UNREADABLE_RECORDS)
                .description("Records the ops console could not read and skipped")
                .tag("topic", record.topic())
                .register(meters)
                .increment();
        // Where and why only: never the payload or the key, which may carry personal data.
        log.warn("Skipped an unreadable record at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                reason(exception));
    }

    public long total() {
        return total.get();
    }

    /** The failure's type, and the type of its root cause: enough to find the bug, and free of payload data. */
    private static String reason(Exception exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == exception ? exception.getClass().getSimpleName()
                : exception.getClass().getSimpleName() + " caused by " + root.getClass().getSimpleName();
    }
}
