package org.homecoming.roster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * One trace span per publication, and its W3C trace context in the headers of every record the publication
 * sends. The roster's KafkaTemplate does not observe each send (see roster.yml): a 10,000-row list would make
 * 10,000 spans, which cost two thirds of the publication time in the list ingestion benchmark, while one span
 * whose context every record carries links the list's consumers to the upload just as well.
 */
@Component
public class RecordTracing {

    private final Tracer tracer;
    private final Propagator propagator;

    RecordTracing(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
        this.propagator = propagator.getIfAvailable(() -> Propagator.NOOP);
    }

    /** Runs a publication inside a new span (a child of the current one, e.g. the HTTP request's). */
    public <T> T inSpan(String name, Function<Publication, T> publication) {
        Span span = tracer.nextSpan().name(name).start();
        try (Tracer.SpanInScope ignored = tracer.withSpan(span)) {
            List<Header> headers = new ArrayList<>();
            propagator.inject(span.context(), headers,
                    (carrier, key, value) -> carrier.add(new RecordHeader(key, value.getBytes(StandardCharsets.UTF_8))));
            return publication.apply(new Publication(headers.toArray(Header[]::new)));
        } catch (RuntimeException failure) {
            span.error(failure);
            throw failure;
        } finally {
            span.end();
        }
    }

    /** Builds the records of one publication, each with the publication's trace context. */
    public record Publication(Header[] traceHeaders) {

        public ProducerRecord<String, Object> record(String topic, String key, Object value) {
            // a copy per record: the producer makes a record's headers read-only once it is sent
            return new ProducerRecord<>(topic, null, key, value, new RecordHeaders(traceHeaders.clone()));
        }
    }
}
