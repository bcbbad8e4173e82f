package org.homecoming.reunification.alerts;

/**
 * A channel handed the message over and then heard nothing back in time (the SMS gateway took the request and did not
 * answer before the timeout): the relative may or may not have it. Unlike a {@link DeliveryFailure} it is never retried
 * automatically, since a retry could send a family the same news twice; the alert is held for an operator, exactly as
 * after a crash mid-send (see {@link AlertDelivery}).
 */
class OutcomeUnknown extends Exception {

    OutcomeUnknown(String reason, Throwable cause) {
        super(reason, cause);
    }
}
