package org.homecoming.transport.telemetry;

/**
 * A partner's reading that breaks the rules. Thrown inside the stream processor, it is caught by the platform's
 * processing handler, which sends the original bytes to its intake topic's dead-letter topic ({@code intake.bus-positions.<partner>-dlt}) with this message in
 * the {@code kafka_dlt-exception-message} header, and processing goes on.
 */
public class RejectedReadingException extends RuntimeException {

    public RejectedReadingException(String reason) {
        super(reason);
    }
}
