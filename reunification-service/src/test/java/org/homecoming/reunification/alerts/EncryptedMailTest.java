package org.homecoming.reunification.alerts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.homecoming.platform.security.ClearTextHosts;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import org.homecoming.reunification.alerts.MailEncryption.Mode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Alerts to a real SMTP server (GreenMail) that speaks TLS from the first byte, with a certificate for 127.0.0.1. */
class EncryptedMailTest {

    static Path dir;
    static TestCertificate serverCertificate;
    static GreenMail server;

    @BeforeAll
    static void startServer() throws Exception {
        dir = Files.createTempDirectory("encrypted-mail");
        serverCertificate = TestCertificate.create(dir, "ip:127.0.0.1");
        // GreenMail reads its TLS key once per JVM, from these properties; no other test here starts a TLS server
        System.setProperty("greenmail.tls.keystore.file", serverCertificate.keystore().toString());
        System.setProperty("greenmail.tls.keystore.password", serverCertificate.password());
        server = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS));
        server.start();
    }

    @AfterAll
    static void stopServer() {
        try {
            server.stop();
        } catch (NullPointerException e) {
            // the JDK's SSLSocketImpl throws this closing a server socket whose handshake never completed (the untrusted
            // client's, below): a fault of the stand-in server's shutdown, after every assertion of the class has run
        }
    }

    @Test
    void shouldDeliverOverTlsToAServerWhoseCertificateIsTrustedAndNamesIt() throws Exception {
        JavaMailSenderImpl sender = sender();
        sender.getJavaMailProperties().put("mail.smtp.ssl.socketFactory", serverCertificate.trustingClient().getSocketFactory());

        EmailChannelTest.channel(sender).send("alert-tls-1", "mother@example.org", "Arrived", "text");

        assertThat(server.getReceivedMessagesForDomain("mother@example.org")).singleElement()
                .satisfies(message -> assertThat(message.getMessageID()).isEqualTo("<alert-tls-1@homecoming>"));
    }

    @Test
    void shouldSendNothingToAServerWhoseCertificateIsNotTrustedButWaitForIt() throws Exception {
        // given a service that trusts another certificate: this server could be anyone posing as the mail server
        JavaMailSenderImpl sender = sender();
        sender.getJavaMailProperties().put("mail.smtp.ssl.socketFactory",
                TestCertificate.create(dir, "ip:127.0.0.1").trustingClient().getSocketFactory());

        // when / then: the handshake fails before a byte of the alert; the alert waits
        assertThatThrownBy(() -> EmailChannelTest.channel(sender).send("alert-tls-2", "father@example.org", "Arrived", "text"))
                .isInstanceOf(ChannelUnavailable.class).hasMessageNotContaining("father@example.org")
                .as("the reason an operator reads").hasMessageStartingWith(EmailChannel.NOT_ENCRYPTED);
        assertThat(server.getReceivedMessagesForDomain("father@example.org")).as("what the server received for the family").isEmpty();
    }

    private static JavaMailSenderImpl sender() {
        JavaMailSenderImpl sender = EmailChannelTest.sender(server.getSmtps().getPort());
        sender.getJavaMailProperties().setProperty("mail.smtp.timeout", "5000");
        new MailEncryption(Mode.TLS, new ClearTextHosts(List.of())).apply(sender);
        return sender;
    }
}
