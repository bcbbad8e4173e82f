package org.homecoming.reunification.alerts;

import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;

import javax.net.ssl.SSLException;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.mail.MailException;
import org.springframework.mail.MailSendException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Sends an alert by email over SMTP. The Message-ID is {@code <alertId@homecoming>}: if a crash between the send and
 * its record ever makes the same alert go out twice, mail clients and servers see the same message and show it once.
 *
 * <p>A failure after the server took the whole message and before it answered is an {@link OutcomeUnknown}, never
 * retried (see {@link UnansweredMessages}); the server's refusal of this message is a {@link DeliveryFailure}, retried a
 * bounded number of times; any other failure means the server cannot take mail now, a {@link ChannelUnavailable} that
 * the alert waits out.
 */
@Component
class EmailChannel {

    private final JavaMailSender mail;
    private final String from;

    EmailChannel(JavaMailSender mail, @Value("${reunification.delivery.from}") String from) {
        this.mail = mail;
        this.from = from;
    }

    static String messageId(String alertId) {
        return "<" + alertId + "@homecoming>";
    }

    void send(String alertId, String to, String subject, String body) throws DeliveryFailure, OutcomeUnknown {
        UnansweredMessages.forget();
        try {
            MimeMessage message = mail.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(message, StandardCharsets.UTF_8.name());
            helper.setFrom(from);
            helper.setTo(to);
            helper.setSubject(subject);
            helper.setText(body);
            // JavaMailSenderImpl keeps an explicitly set Message-ID when it saves the message.
            message.setHeader("Message-ID", messageId(alertId));
            mail.send(message);
        } catch (MailException | MessagingException e) {
            // The reasons name exception classes only: SMTP messages can quote the recipient's address.
            String cause = e.getClass().getSimpleName() + " caused by " + NestedExceptionUtils.getMostSpecificCause(e).getClass().getSimpleName();
            if (UnansweredMessages.lastWasUnanswered()) {
                throw new OutcomeUnknown("the mail server took the whole message and did not answer in time: " + cause, e);
            }
            if (refusedThisMessage(e)) {
                throw new DeliveryFailure("email not accepted: " + cause, e);
            }
            if (notEncrypted(e)) {
                // the server is there, but not as it must be: an operator fixes the trust, or finds who answered instead
                throw new ChannelUnavailable(NOT_ENCRYPTED + cause, e);
            }
            throw new ChannelUnavailable("mail server unavailable: " + cause, e);
        } finally {
            UnansweredMessages.forget();
        }
    }

    /** The start of the reason of an alert that waits because the mail server could not be reached encrypted. */
    static final String NOT_ENCRYPTED = "mail server not reachable encrypted (its certificate not trusted or naming another "
            + "host, or no STARTTLS offered): ";

    /**
     * Whether the connection could not be encrypted as {@link MailEncryption} demands: the TLS handshake failed (a
     * certificate not trusted, expired or naming another host), or the server offered no STARTTLS (Jakarta Mail says so
     * in its message only). Nothing of the alert was said.
     */
    static boolean notEncrypted(Throwable failure) {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth++ < 16; cause = next(cause)) {
            if (cause instanceof SSLException || cause instanceof CertificateException
                    || (cause.getMessage() != null && cause.getMessage().contains("STARTTLS is required"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the server refused this message rather than being unable to take any: it refused the recipient (at RCPT,
     * whatever the code: a full mailbox or a greylist is about this address, and must not hold up other families' alerts),
     * or it refused the message's data with a permanent (5xx) code. Anything else is the channel: no connection, no
     * answer before the message, a busy or closing server (4xx), our own credentials or sender address refused.
     */
    static boolean refusedThisMessage(Throwable failure) {
        int depth = 0;
        for (Throwable cause = failure; cause != null && depth++ < 16; cause = next(cause)) {
            if (cause instanceof SMTPAddressFailedException) {
                return true;
            }
            if (cause instanceof SMTPSendFailedException refused && !(cause instanceof SMTPSenderFailedException)) {
                return refused.getReturnCode() >= 500;
            }
        }
        return false;
    }

    /** Jakarta Mail chains the per-address exceptions with {@code getNextException}, not always as the cause. */
    private static Throwable next(Throwable cause) {
        if (cause instanceof MessagingException messaging && messaging.getNextException() != null) {
            return messaging.getNextException();
        }
        if (cause instanceof MailSendException send && !send.getFailedMessages().isEmpty()) {
            return send.getFailedMessages().values().iterator().next();
        }
        return cause.getCause();
    }
}
