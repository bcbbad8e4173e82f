package org.homecoming.reunification.alerts;

/**
 * The channel itself could not take any message, not this one: the mail server or SMS gateway refused the connection
 * or did not answer it, answered that it is busy or unavailable (SMTP 4xx, HTTP 429 or 5xx), or refused the service's
 * own credentials or sender address. Every alert would meet the same failure, so giving this one up after its bounded
 * attempts (the dead-letter topic, and a hotline operator resending each alert by hand once the server is back) would
 * turn an outage of minutes into hours of silence for families. The alert waits for the channel instead
 * ({@link AlertDelivery.WaitingForChannel}). Nothing was handed over, so nothing can be sent twice.
 *
 * <p>Not this: a refusal of the message itself (the recipient's address, the content: SMTP 5xx after the recipient or
 * the data, HTTP 4xx from the gateway), which stays a {@link DeliveryFailure} with bounded retries.
 */
public class ChannelUnavailable extends DeliveryFailure {

    public ChannelUnavailable(String reason, Throwable cause) {
        super(reason, cause);
    }

    public ChannelUnavailable(String reason) {
        super(reason);
    }
}
