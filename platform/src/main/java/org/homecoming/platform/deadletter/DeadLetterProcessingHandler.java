package org.homecoming.platform.deadletter;

import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;

/**
 * Sends a record whose processing threw to the source topic's dead-letter topic, as its original bytes,
 * and lets the stream go on. Kafka's own choices are to stop the application or to drop the record
 * silently; neither is acceptable here.
 */
public class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    static final String RECOVERER = "homecoming.dead-letter.recoverer";

    private ConsumerRecordRecoverer recoverer;

    @Override
    public void configure(Map<String, ?> configs) {
        recoverer = (ConsumerRecordRecoverer) Optional.ofNullable(configs.get(RECOVERER))
                .orElseThrow(() -> new IllegalStateException(RECOVERER + " is not configured"));
    }

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        ConsumerRecord<byte[], byte[]> original = new ConsumerRecord<>(context.topic(), context.partition(),
                context.offset(), context.timestamp(), TimestampType.CREATE_TIME, -1, -1,
                context.sourceRawKey(), context.sourceRawValue(), context.headers(), Optional.empty());
        recoverer.accept(original, exception);
        return ProcessingHandlerResponse.CONTINUE;
    }
}
