package org.homecoming.reunification.alerts;

import java.nio.charset.StandardCharsets;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;

/**
 * Sends an alert by email over SMTP. The Message-ID is {@code <alertId@homecoming>}: if a crash between the send and
 * its record ever makes the same alert go out twice, mail clients and servers see the same message and show it once.
 *
 * <p>A failure after the server took the whole message and before it answered is an {@link OutcomeUnknown}, never
 * retried; any other failure is a {@link DeliveryFailure} (see {@link UnansweredMessages}).
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
            throw new DeliveryFailure("email not accepted: " + cause, e);
        } finally {
            UnansweredMessages.forget();
        }
    }
}
