package org.homecoming.reunification.alerts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import org.homecoming.platform.security.ClearTextHosts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The e-mail channel against a scripted SMTP server that misbehaves at one step of the conversation. */
class EmailChannelTest {

    /** Where the scripted server stops answering, or what it answers after the message. */
    enum Script {
        ANSWERS_250, SILENT_AFTER_MESSAGE, REFUSES_AFTER_MESSAGE, SILENT_AFTER_RECIPIENT, BUSY_AT_GREETING, REFUSES_RECIPIENT,
        DEFERS_AFTER_MESSAGE
    }

    final List<String> messagesTaken = new CopyOnWriteArrayList<>();
    final List<String> commandsHeard = new CopyOnWriteArrayList<>();
    /** Where the scripted server stops answering, it holds the connection open until the test ends. */
    final CountDownLatch testOver = new CountDownLatch(1);
    ServerSocket server;

    @AfterEach
    void close() throws IOException {
        testOver.countDown();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldSendTheMessageUnderTheAlertsMessageId() throws Exception {
        channel(Script.ANSWERS_250).send("alert-1", "mother@example.org", "Arrived", "text");

        assertThat(messagesTaken).singleElement().asString().contains("Message-ID: <alert-1@homecoming>");
    }

    @Test
    void shouldCallTheOutcomeUnknownWhenTheServerTookTheWholeMessageAndNeverAnswered() {
        EmailChannel channel = channel(Script.SILENT_AFTER_MESSAGE);

        assertThatThrownBy(() -> channel.send("alert-1", "mother@example.org", "Arrived", "text"))
                .as("never retried: the server may deliver what it took")
                .isInstanceOf(OutcomeUnknown.class)
                .hasMessageContaining("did not answer in time")
                .hasMessageNotContaining("mother@example.org");
        assertThat(messagesTaken).hasSize(1);
    }

    @Test
    void shouldCallItAFailureWhenTheServerRefusedTheMessageAfterTakingIt() {
        EmailChannel channel = channel(Script.REFUSES_AFTER_MESSAGE);

        assertThatThrownBy(() -> channel.send("alert-1", "mother@example.org", "Arrived", "text"))
                .isInstanceOf(DeliveryFailure.class)
                .isNotInstanceOf(ChannelUnavailable.class)
                .hasMessageNotContaining("mother@example.org");
    }

    @Test
    void shouldCallTheChannelUnavailableWhenTheServerStoppedAnsweringBeforeTheMessage() {
        EmailChannel channel = channel(Script.SILENT_AFTER_RECIPIENT);

        assertThatThrownBy(() -> channel.send("alert-1", "mother@example.org", "Arrived", "text"))
                .as("waited out: the server never had the message")
                .isInstanceOf(ChannelUnavailable.class);
        assertThat(messagesTaken).isEmpty();
    }

    @Test
    void shouldCallTheChannelUnavailableWhenNoServerListens() throws IOException {
        int closedPort;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = gone.getLocalPort();
        }
        EmailChannel channel = channel(sender(closedPort));

        assertThatThrownBy(() -> channel.send("alert-1", "mother@example.org", "Arrived", "text"))
                .isInstanceOf(ChannelUnavailable.class)
                .hasMessageNotContaining("mother@example.org");
    }

    @Test
    void shouldCallTheChannelUnavailableWhenTheServerSaysItIsBusy() {
        EmailChannel channel = channel(Script.BUSY_AT_GREETING);

        assertThatThrownBy(() -> channel.send("alert-1", "mother@example.org", "Arrived", "text"))
                .isInstanceOf(ChannelUnavailable.class);
    }

    @Test
    void shouldCallTheChannelUnavailableWhenTheServerDefersTheMessageItTook() {
        EmailChannel channel = channel(Script.DEFERS_AFTER_MESSAGE);

        assertThatThrownBy(() -> channel.send("alert-1", "mother@example.org", "Arrived", "text"))
                .as("451: the server's own trouble, it did not accept the message")
                .isInstanceOf(ChannelUnavailable.class);
    }

    @Test
    void shouldCallItAFailureOfThisMessageNotOfTheChannelWhenTheServerRefusesTheRecipient() {
        EmailChannel channel = channel(Script.REFUSES_RECIPIENT);

        assertThatThrownBy(() -> channel.send("alert-1", "mother@example.org", "Arrived", "text"))
                .as("one family's address must not hold up the others' alerts")
                .isInstanceOf(DeliveryFailure.class)
                .isNotInstanceOf(ChannelUnavailable.class)
                .hasMessageNotContaining("mother@example.org");
        assertThat(messagesTaken).isEmpty();
    }

    @Test
    void shouldTellAServerThatOffersNoEncryptionNothingOfTheAlertAndWaitForIt() {
        // given a server on another host (a man in the middle may have struck STARTTLS from its answer), reached as
        // the service reaches one by default: STARTTLS required
        JavaMailSenderImpl sender = sender(listen(Script.ANSWERS_250));
        new MailEncryption(MailEncryption.Mode.STARTTLS, new ClearTextHosts(List.of())).apply(sender);

        // when / then: the alert waits, as for a server that is away
        assertThatThrownBy(() -> channel(sender).send("alert-1", "mother@example.org", "Arrived", "text"))
                .isInstanceOf(ChannelUnavailable.class)
                .hasMessageNotContaining("mother@example.org")
                .as("the reason an operator reads").hasMessageStartingWith(EmailChannel.NOT_ENCRYPTED);
        assertThat(commandsHeard).as("what the server heard").isNotEmpty()
                .noneMatch(command -> command.startsWith("MAIL") || command.startsWith("RCPT") || command.startsWith("DATA")
                        || command.startsWith("AUTH") || command.contains("MOTHER@EXAMPLE.ORG"));
        assertThat(messagesTaken).isEmpty();
    }

    EmailChannel channel(Script script) {
        return channel(sender(listen(script)));
    }

    /** Starts the scripted server; its port. */
    int listen(Script script) {
        try {
            server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread serving = new Thread(() -> serve(script), "scripted-smtp");
        serving.setDaemon(true);
        serving.start();
        return server.getLocalPort();
    }

    static JavaMailSenderImpl sender(int port) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost("127.0.0.1");
        sender.setPort(port);
        Properties properties = new Properties();
        properties.setProperty("mail.smtp.connectiontimeout", "2000");
        properties.setProperty("mail.smtp.timeout", "500");
        sender.setJavaMailProperties(properties);
        return sender;
    }

    static EmailChannel channel(JavaMailSenderImpl sender) {
        return new EmailChannel(UnansweredMessages.watched(sender), "alerts@homecoming.example");
    }

    private void serve(Script script) {
        try (Socket client = server.accept()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream out = client.getOutputStream();
            if (script == Script.BUSY_AT_GREETING) {
                answer(out, "421 4.3.2 too busy, try again later");
                return;
            }
            answer(out, "220 scripted ESMTP");
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.toUpperCase();
                commandsHeard.add(command);
                if (command.startsWith("EHLO") || command.startsWith("HELO") || command.startsWith("MAIL")) {
                    answer(out, "250 ok");
                } else if (command.startsWith("RCPT")) {
                    if (script == Script.SILENT_AFTER_RECIPIENT) {
                        testOver.await();
                        return;
                    }
                    if (script == Script.REFUSES_RECIPIENT) {
                        answer(out, "550 5.1.1 no such mailbox");
                        continue;
                    }
                    answer(out, "250 ok");
                } else if (command.startsWith("DATA")) {
                    answer(out, "354 go ahead");
                    StringBuilder message = new StringBuilder();
                    while (!(line = in.readLine()).equals(".")) {
                        message.append(line).append('\n');
                    }
                    messagesTaken.add(message.toString());
                    switch (script) {
                        case SILENT_AFTER_MESSAGE -> {
                            testOver.await();
                            return;
                        }
                        case REFUSES_AFTER_MESSAGE -> answer(out, "554 5.7.1 refused");
                        case DEFERS_AFTER_MESSAGE -> answer(out, "451 4.3.0 local error, try again later");
                        default -> answer(out, "250 queued");
                    }
                } else if (command.startsWith("QUIT")) {
                    answer(out, "221 bye");
                    return;
                } else {
                    answer(out, "250 ok");
                }
            }
        } catch (IOException | InterruptedException e) {
            // the test closed the server
        }
    }

    private static void answer(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }
}
