package org.homecoming.localstack.faults;

import java.net.ConnectException;
import java.util.Properties;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fault-injection run's mail outage in front of a real GreenMail sink. */
class MailOutageTest {

    GreenMail sink;
    MailOutage relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        if (sink != null) {
            sink.stop();
        }
    }

    @Test
    void shouldRefuseMailWhileAwayAndDeliverItAgainOnceBackKeepingWhatTheSinkReceived() throws Exception {
        // given: a sink, and the relay on the mail port the services use
        int mailPort = org.homecoming.testkit.FreePorts.next();
        int sinkPort = org.homecoming.testkit.FreePorts.next();
        sink = new GreenMail(new ServerSetup(sinkPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        sink.start();
        relay = new MailOutage(mailPort, sinkPort);
        send(mailPort, "before");

        // when: the mail server goes away, a sender cannot connect
        relay.begin();
        assertThatThrownBy(() -> send(mailPort, "during")).isInstanceOf(MessagingException.class)
                .hasRootCauseInstanceOf(ConnectException.class);

        // then: once it is back, mail goes through, and the sink still has what it received before
        relay.end();
        send(mailPort, "after");
        assertThat(sink.getReceivedMessages()).extracting(Message::getSubject).containsExactly("before", "after");
    }

    static void send(int port, String subject) throws MessagingException {
        Properties properties = new Properties();
        properties.setProperty("mail.smtp.host", "127.0.0.1");
        properties.setProperty("mail.smtp.port", Integer.toString(port));
        properties.setProperty("mail.smtp.connectiontimeout", "2000");
        properties.setProperty("mail.smtp.timeout", "5000");
        MimeMessage message = new MimeMessage(Session.getInstance(properties));
        message.setFrom(new InternetAddress("alerts@homecoming.example"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress("relative@families.example"));
        message.setSubject(subject);
        message.setText("text");
        Transport.send(message);
    }
}
