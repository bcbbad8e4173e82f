package org.homecoming.reunification.alerts;

import java.util.Locale;
import java.util.Properties;

import org.homecoming.platform.security.ClearTextHosts;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;

/**
 * How an e-mail alert travels to the mail server: encrypted, to a server whose certificate names it.
 *
 * <p>An alert carries a relative's address and the news that a detainee was listed, crossed or arrived; on the wire
 * between the service and the mail server anyone on the path could read it, or pose as the server. So
 * {@code reunification.delivery.email.encryption} is one of
 * <ul>
 *   <li>{@code STARTTLS}: the conversation turns to TLS before anything of the message is said, and a server that does
 *       not offer it (or a man in the middle who struck the offer out) gets nothing: the send fails before the envelope,
 *       so the alert waits as for a server that is away ({@link EmailChannel}). The default for a server on another
 *       host;</li>
 *   <li>{@code TLS}: TLS from the first byte (SMTPS, port 465, RFC 8314);</li>
 *   <li>{@code NONE}: clear text, refused at start-up unless the server is on this host or named in
 *       {@code homecoming.clear-text-hosts} ({@link ClearTextHosts}). The default for a server on this
 *       host.</li>
 * </ul>
 * With TLS either way the server's certificate must be trusted (the JVM's trust store, or the SSL bundle named by
 * {@code spring.mail.ssl.bundle}) and must name the host the service connects to, whatever
 * {@code spring.mail.ssl.verify-hostname} says. The server's credentials, if it wants them, are Boot's
 * {@code spring.mail.username} and {@code spring.mail.password}, sent only inside TLS then.
 */
@Component
class MailEncryption implements BeanPostProcessor {

    enum Mode { STARTTLS, TLS, NONE }

    static final String MODE = "reunification.delivery.email.encryption";

    private final Mode asked;
    private final ClearTextHosts clearText;

    @Autowired
    MailEncryption(Environment environment) {
        this(Binder.get(environment).bind(MODE, Mode.class).orElse(null), ClearTextHosts.of(environment));
    }

    /** @param asked the mode configured, or null for the default of the server's host */
    MailEncryption(Mode asked, ClearTextHosts clearText) {
        this.asked = asked;
        this.clearText = clearText;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof JavaMailSenderImpl sender) {
            apply(sender);
        }
        return bean;
    }

    /**
     * Sets the sender's encryption, or refuses it.
     *
     * @throws IllegalStateException when the alerts would travel in clear text to a server on another host
     */
    Mode apply(JavaMailSenderImpl sender) {
        String host = sender.getHost();
        Mode mode = asked != null ? asked : clearText.allow(host) ? Mode.NONE : Mode.STARTTLS;
        String protocol = sender.getProtocol() == null ? "smtp" : sender.getProtocol().toLowerCase(Locale.ROOT);
        if (mode == Mode.NONE && protocol.equals("smtps")) {
            mode = Mode.TLS;
        }
        if (mode == Mode.NONE && !clearText.allow(host)) {
            throw new IllegalStateException("E-mail alerts would go to the mail server " + host + " in clear text (" + MODE
                    + "=NONE): relatives' addresses and news of detainees could be read on the way. Set " + MODE
                    + " to STARTTLS or TLS, " + ClearTextHosts.remedy() + ".");
        }
        Properties properties = sender.getJavaMailProperties();
        String prefix = "mail." + protocol + ".";
        switch (mode) {
            case STARTTLS -> {
                properties.setProperty(prefix + "starttls.enable", "true");
                properties.setProperty(prefix + "starttls.required", "true");
                properties.setProperty(prefix + "ssl.checkserveridentity", "true");
            }
            case TLS -> {
                properties.setProperty(prefix + "ssl.enable", "true");
                properties.setProperty(prefix + "ssl.checkserveridentity", "true");
            }
            case NONE -> {
                // a server on this host (or one the operator named): nothing crosses a network we do not trust
            }
        }
        if (mode != Mode.NONE && "*".equals(properties.getProperty(prefix + "ssl.trust"))) {
            throw new IllegalStateException("spring.mail.properties." + prefix + "ssl.trust=* would trust any server "
                    + "that answers, so anyone on the way could pose as the mail server: name the server's certificate "
                    + "in an SSL bundle (spring.mail.ssl.bundle) instead.");
        }
        return mode;
    }
}
