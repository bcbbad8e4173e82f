package org.homecoming.reunification.alerts;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import org.homecoming.platform.security.ClearTextHosts;
import org.homecoming.reunification.contactkeys.ContactKeyVault;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends an alert as an SMS through the operator's HTTP gateway: {@code POST <url>} with JSON {@code {to, text}} and an
 * {@code Idempotency-Key} made of the alert id and the recipient ({@link #idempotencyKey}), so a gateway that honours
 * the header drops a second copy of the same alert to the same number (an operator's resend of an alert whose first
 * send may have gone out), and still sends it to a number the hotline corrected since.
 *
 * <p>The request carries a relative's number and news of a detainee, so it goes over HTTPS to a gateway whose certificate
 * is trusted (the JVM's trust store, or the SSL bundle {@code reunification.delivery.sms-gateway-ssl-bundle}) and names
 * it; a plain {@code http} URL is refused at start-up unless the gateway is on this host or named in
 * {@code homecoming.clear-text-hosts} ({@link ClearTextHosts}). The gateway's API key
 * ({@code reunification.delivery.sms-gateway-token}, from the environment) goes as {@code Authorization: Bearer}, never
 * into a log or a failure's reason.
 */
@Component
class SmsChannel {

    private static final Logger log = LoggerFactory.getLogger(SmsChannel.class);

    private static final JsonMapper JSON = JsonMapper.builder().build();

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** The start of the reason of an alert that waits because the gateway could not be reached encrypted. */
    /** The reason of an alert that waits because no gateway is configured. */
    static final String NOT_CONFIGURED = "no SMS gateway is configured (reunification.delivery.sms-gateway-url)";
    static final String NOT_ENCRYPTED = "SMS gateway not reachable encrypted (its certificate not trusted or naming another host): ";

    /** The purpose of the KEK-derived key that makes the number's part of the idempotency key. */
    static final String RECIPIENT_PURPOSE = "sms-recipient";

    private final URI gateway;
    private final String token;
    private final ContactKeyVault recipients;
    private final Duration answerTimeout;
    private final HttpClient http;

    @Autowired
    SmsChannel(@Value("${reunification.delivery.sms-gateway-url:}") String gateway,
               @Value("${reunification.delivery.sms-gateway-token:}") String token,
               @Value("${reunification.delivery.sms-gateway-ssl-bundle:}") String sslBundle,
               Environment environment, ObjectProvider<SslBundles> bundles, ContactKeyVault recipients) {
        this(gateway, token, sslBundle.isBlank() ? null : bundles.getObject().getBundle(sslBundle).createSslContext(),
                ClearTextHosts.of(environment), recipients, Duration.ofSeconds(10));
    }

    /**
     * @param token      the gateway's API key, or blank for a gateway that wants none
     * @param sslContext whom to trust, or null for the JVM's trust store
     * @param recipients the vault whose key-encryption key keys the number's part of the idempotency key
     * @throws IllegalStateException when the requests would travel in clear text to a gateway on another host
     */
    SmsChannel(String gateway, String token, SSLContext sslContext, ClearTextHosts clearText, ContactKeyVault recipients,
               Duration answerTimeout) {
        this.recipients = recipients;
        if (gateway == null || gateway.isBlank()) {
            // No default: one on this host (the old http://127.0.0.1:8090/sms) sent relatives' numbers, the news and the
            // gateway's key to whatever process took that port on a host where the gateway was never configured.
            log.warn("No SMS gateway is configured (reunification.delivery.sms-gateway-url): SMS alerts wait for one");
            this.gateway = null;
            this.token = null;
            this.answerTimeout = answerTimeout;
            this.http = null;
            return;
        }
        clearText.problem("reunification.delivery.sms-gateway-url", gateway, "relatives' numbers and news of detainees")
                .ifPresent(problem -> {
                    throw new IllegalStateException("SMS alerts would be readable on the way: " + problem + ". Use https, "
                            + ClearTextHosts.remedy() + ".");
                });
        this.gateway = URI.create(gateway);
        this.token = token == null || token.isBlank() ? null : token;
        this.answerTimeout = answerTimeout;
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (sslContext != null) {
            client.sslContext(sslContext);
        }
        this.http = client.build();
    }

    /** A gateway on this host, with no key and the JVM's trust store: the tests' stub. */
    SmsChannel(String gateway, ContactKeyVault recipients, Duration answerTimeout) {
        this(gateway, null, null, new ClearTextHosts(List.of()), recipients, answerTimeout);
    }

    /**
     * @throws ChannelUnavailable when the gateway could take nothing (connection refused or not made in time, 401, 403,
     *                            408, 429, 5xx): the alert waits for it
     * @throws DeliveryFailure    when the gateway refused this message (another 4xx): retried a bounded number of times
     * @throws OutcomeUnknown  when the request went out and no answer came in time, or the wait was interrupted (a
     *                         shutdown): the gateway may have taken it
     */
    void send(String alertId, String to, String text) throws DeliveryFailure, OutcomeUnknown {
        if (gateway == null) {
            throw new ChannelUnavailable(NOT_CONFIGURED);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(gateway)
                .timeout(answerTimeout)
                .header("Content-Type", "application/json")
                .header(IDEMPOTENCY_KEY, idempotencyKey(alertId, to, recipients))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("to", to, "text", text))));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        HttpRequest request = builder.build();
        try {
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 401 || status == 403 || status == 408 || status == 429 || status / 100 == 5) {
                // the gateway cannot take messages now (our key refused, busy, throttling us, down behind its proxy):
                // any alert would meet the same answer, so the alert waits for the gateway rather than being given up
                throw new ChannelUnavailable("SMS gateway answered " + status);
            }
            if (status / 100 != 2) {
                // this message refused (a number it cannot reach, a text it will not take)
                throw new DeliveryFailure("SMS gateway answered " + status);
            }
        } catch (HttpConnectTimeoutException e) {
            // no connection, so nothing was sent (it extends HttpTimeoutException, hence caught first)
            throw new ChannelUnavailable("SMS gateway unreachable: " + e.getClass().getSimpleName(), e);
        } catch (HttpTimeoutException e) {
            // The request was sent and the answer did not come: the gateway may have accepted it (a slow gateway often
            // has). Retrying would risk a second SMS; an operator decides instead.
            throw new OutcomeUnknown("SMS gateway did not answer in time after the request was sent: "
                    + e.getClass().getSimpleName(), e);
        } catch (IOException e) {
            if (notEncrypted(e)) {
                // the gateway is there, but not as it must be: an operator fixes the trust, or finds who answered instead
                throw new ChannelUnavailable(NOT_ENCRYPTED + e.getClass().getSimpleName(), e);
            }
            throw new ChannelUnavailable("SMS gateway unreachable: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            // Stopped while waiting for the answer (the service is shutting down): the request may have reached the
            // gateway, so this is no failure to retry (a retry could send the family the same news twice).
            Thread.currentThread().interrupt();
            throw new OutcomeUnknown("interrupted while waiting for the SMS gateway's answer", e);
        }
    }

    /**
     * The alert id and a pseudonym of the number it goes to. Not the alert id alone: after the hotline corrects a
     * relative's number, the resend of a held or failed alert carried the key of the send to the old number, a gateway
     * that honours it dropped it as a copy and answered 2xx, and the ledger recorded DELIVERED while the family got
     * nothing. Not the number, nor an unkeyed digest of it: gateways log their keys, and the first 64 bits of a SHA-256
     * of the number (sent before) gave the number back to whoever tried the about 10^9 Ukrainian mobile numbers, in
     * seconds. The pseudonym is an HMAC keyed by the contact-data KEK ({@link ContactKeyVault#pseudonym}): the same on
     * every instance sharing the KEK and across restarts, so a resend from another instance carries the same key, and
     * a guess of the number cannot be checked against it without the KEK. The number is taken as digits and a leading
     * {@code +}, so the same number written with spaces or dashes is the same recipient.
     */
    static String idempotencyKey(String alertId, String number, ContactKeyVault recipients) {
        String normalised = number.strip().replaceAll("[^+0-9]", "");
        return alertId + ":" + recipients.pseudonym(RECIPIENT_PURPOSE, normalised);
    }

    /** Whether the TLS handshake failed (the HTTP client may wrap it): nothing of the request was sent. */
    private static boolean notEncrypted(Throwable failure) {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth++ < 16; cause = cause.getCause()) {
            if (cause instanceof SSLException) {
                return true;
            }
        }
        return false;
    }
}
