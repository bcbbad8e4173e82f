package org.homecoming.transport.telemetry;

/**
 * A good reading of a bus whose manifest is not read yet, refused instead of held because its partner's share of the
 * hold is full (see {@link HoldShares}). Its own kind, so the dead letter's {@code kafka_dlt-exception-fqcn} and
 * {@code homecoming_dlt-reason} headers tell a flood of one partner's unknown buses from a reading that is wrong in itself.
 */
public class HoldShareFullException extends RejectedReadingException {

    public HoldShareFullException(String reason) {
        super(reason);
    }
}
