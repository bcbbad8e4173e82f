package org.homecoming.reunification.alerts;

import java.util.List;
import java.util.Properties;

import org.homecoming.platform.security.ClearTextHosts;
import org.homecoming.reunification.alerts.MailEncryption.Mode;
import org.junit.jupiter.api.Test;
import org.springframework.mail.javamail.JavaMailSenderImpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MailEncryptionTest {

    @Test
    void shouldRequireStartTlsAndCheckTheServersNameForAMailServerOnAnotherHostWhenNothingIsSaid() {
        JavaMailSenderImpl sender = sender("smtp.example.org");

        Mode mode = new MailEncryption(null, new ClearTextHosts(List.of())).apply(sender);

        assertThat(mode).isEqualTo(Mode.STARTTLS);
        assertThat(sender.getJavaMailProperties())
                .containsEntry("mail.smtp.starttls.enable", "true")
                .containsEntry("mail.smtp.starttls.required", "true")
                .containsEntry("mail.smtp.ssl.checkserveridentity", "true");
    }

    @Test
    void shouldSpeakClearTextToAMailServerOnThisHostWhenNothingIsSaid() {
        for (String host : List.of("127.0.0.1", "localhost", "::1", "[::1]", "127.0.1.1")) {
            JavaMailSenderImpl sender = sender(host);

            assertThat(new MailEncryption(null, new ClearTextHosts(List.of())).apply(sender)).as(host).isEqualTo(Mode.NONE);
            assertThat(sender.getJavaMailProperties()).as(host).doesNotContainKey("mail.smtp.starttls.required");
        }
    }

    @Test
    void shouldRefuseToStartWhenAlertsWouldGoInClearTextToAMailServerOnAnotherHost() {
        for (String host : List.of("smtp.example.org", "10.0.0.5", "127.0.0.1.example.org", "localhost.example.org")) {
            assertThatThrownBy(() -> new MailEncryption(Mode.NONE, new ClearTextHosts(List.of())).apply(sender(host)))
                    .as(host)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(host)
                    .hasMessageContaining("STARTTLS or TLS")
                    .hasMessageContaining("homecoming.clear-text-hosts");
        }
    }

    @Test
    void shouldSpeakClearTextToAnotherHostOnlyWhenTheOperatorNamedIt() {
        MailEncryption encryption = new MailEncryption(Mode.NONE, new ClearTextHosts(List.of(" MailSink ")));

        assertThat(encryption.apply(sender("mailsink"))).isEqualTo(Mode.NONE);
        assertThatThrownBy(() -> encryption.apply(sender("mailsink2"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldSpeakTlsFromTheFirstByteWhenAskedEvenToThisHost() {
        JavaMailSenderImpl sender = sender("127.0.0.1");

        new MailEncryption(Mode.TLS, new ClearTextHosts(List.of())).apply(sender);

        assertThat(sender.getJavaMailProperties())
                .containsEntry("mail.smtp.ssl.enable", "true")
                .containsEntry("mail.smtp.ssl.checkserveridentity", "true");
    }

    @Test
    void shouldRefuseToTrustWhateverServerAnswers() {
        JavaMailSenderImpl sender = sender("smtp.example.org");
        sender.getJavaMailProperties().setProperty("mail.smtp.ssl.trust", "*");

        assertThatThrownBy(() -> new MailEncryption(Mode.STARTTLS, new ClearTextHosts(List.of())).apply(sender))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("spring.mail.ssl.bundle");
    }

    private static JavaMailSenderImpl sender(String host) {
        JavaMailSenderImpl sender = new JavaMailSenderImpl();
        sender.setHost(host);
        sender.setJavaMailProperties(new Properties());
        return sender;
    }
}
