package org.homecoming.reunification.alerts;

import java.io.IOException;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.URLName;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;

/**
 * Tells a message the mail server took and never answered from one it did not take.
 *
 * <p>Once the server has the whole message (the line with the single dot), it may queue it for delivery and only then
 * lose the connection, or answer too late: sending it again could tell a family twice, so the outcome is unknown. A
 * failure before the end of the message (connecting, the envelope, content cut off, which the server discards) and an
 * answer refusing it after the end are failures, safely retried. Spring's sender does not say where a send failed, so
 * Boot's sender is replaced by one whose SMTP transport notes it, for the sending thread
 * ({@link #lastWasUnanswered}); every other setting is Boot's.
 */
@Component
class UnansweredMessages implements BeanPostProcessor, Ordered {

    private static final ThreadLocal<Boolean> UNANSWERED = new ThreadLocal<>();

    /** Whether this thread's last send failed after the whole message was sent, without the server's answer. */
    static boolean lastWasUnanswered() {
        return Boolean.TRUE.equals(UNANSWERED.get());
    }

    static void forget() {
        UNANSWERED.remove();
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        return bean.getClass() == JavaMailSenderImpl.class ? watched((JavaMailSenderImpl) bean) : bean;
    }

    /** First, so that whatever wraps the sender later wraps this one. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    static JavaMailSenderImpl watched(JavaMailSenderImpl configured) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl() {
            @Override
            protected Transport getTransport(Session session) {
                String protocol = getProtocol() == null ? "smtp" : getProtocol();
                return new Watch(session, new URLName(protocol, getHost(), getPort(), null, getUsername(), getPassword()),
                        protocol, "smtps".equalsIgnoreCase(protocol));
            }
        };
        sender.setJavaMailProperties(configured.getJavaMailProperties());
        sender.setHost(configured.getHost());
        sender.setPort(configured.getPort());
        sender.setUsername(configured.getUsername());
        sender.setPassword(configured.getPassword());
        sender.setProtocol(configured.getProtocol());
        sender.setDefaultEncoding(configured.getDefaultEncoding());
        sender.setDefaultFileTypeMap(configured.getDefaultFileTypeMap());
        return sender;
    }

    /** The SMTP transport, noting a message whose end the server did not answer. */
    static final class Watch extends SMTPTransport {

        Watch(Session session, URLName url, String protocol, boolean ssl) {
            super(session, url, protocol, ssl);
        }

        @Override
        protected void finishData() throws IOException, MessagingException {
            try {
                super.finishData();
            } catch (SMTPSendFailedException answered) {
                throw answered; // the server said no, after the message: it has not taken it
            } catch (IOException | MessagingException noAnswer) {
                UNANSWERED.set(true);
                throw noAnswer;
            }
        }
    }
}
