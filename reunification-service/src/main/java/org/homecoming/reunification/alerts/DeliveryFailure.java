package org.homecoming.reunification.alerts;

/** A channel could not deliver a message this time (SMTP refused, gateway down, timeout). It is worth retrying. */
public class DeliveryFailure extends Exception {

    public DeliveryFailure(String reason, Throwable cause) {
        super(reason, cause);
    }

    public DeliveryFailure(String reason) {
        super(reason);
    }
}
