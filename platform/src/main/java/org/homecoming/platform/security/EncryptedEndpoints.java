package org.homecoming.platform.security;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Refuses to start a service that would reach the identity provider or the schema registry in clear text over a
 * network: a man in the middle of the identity provider's key set could sign tokens with any role, and the registry's
 * token endpoint takes the service's client secret. Each must be https, or http to a host {@link ClearTextHosts} allows.
 *
 * <p>Nor does it reach Kafka brokers on another host without TLS ({@code spring.kafka.security.protocol} SSL or
 * SASL_SSL): every event crosses that connection.
 *
 * <p>Nor does a service serve plain HTTP beyond this host: its callers' tokens, and what it answers (relatives' contact
 * data, lists of detainees), would cross the network readable. Listening beyond the loopback interface needs
 * {@code server.ssl} (a bundle, a key store or a certificate), or {@value #PLAIN_HTTP_REASON}: what encrypts the
 * connections in front of the service (a TLS-terminating proxy or ingress, a service mesh's mTLS), logged at start-up.
 *
 * <p>Every such setting is checked before any bean is made (nothing has connected or listened yet), and all problems are
 * named at once.
 */
public class EncryptedEndpoints implements BeanFactoryPostProcessor, EnvironmentAware {

    static final String PLAIN_HTTP_REASON = "homecoming.server.plain-http-reason";

    private static final Logger log = LoggerFactory.getLogger(EncryptedEndpoints.class);

    /** The settings that name an endpoint, and what each carries. */
    static final Map<String, String> ENDPOINTS = endpoints();

    private Environment environment;

    private static Map<String, String> endpoints() {
        Map<String, String> endpoints = new LinkedHashMap<>();
        String keys = "the identity provider's keys, which decide whose tokens are accepted";
        endpoints.put("homecoming.identity.issuer-uri", keys);
        endpoints.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", keys);
        endpoints.put("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", keys);
        endpoints.put("homecoming.console.login.issuer-uri", "people's sign-in and the console's client secret");
        endpoints.put("homecoming.registry.url", "the schemas every record is read with, and the service's registry token");
        endpoints.put("spring.kafka.properties.apicurio.registry.auth.service.token.endpoint", "the service's registry client secret");
        return endpoints;
    }

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        List<String> problems = problems(environment);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The service would speak in clear text over a network, where anyone on the "
                    + "way could read or change what it carries: " + String.join("; ", problems) + ". Use https for an "
                    + "endpoint, " + ClearTextHosts.remedy() + ".");
        }
    }

    static List<String> problems(Environment environment) {
        ClearTextHosts clearText = ClearTextHosts.of(environment);
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        ENDPOINTS.forEach((setting, what) -> {
            String url = environment.getProperty(setting);
            // Boot's issuer-uri is homecoming.identity.issuer-uri unless set apart: one problem, named once
            if (url != null && !url.isBlank() && seen.add(url.trim())) {
                clearText.problem(setting, url, what).ifPresent(problems::add);
            }
        });
        kafka(environment, clearText).ifPresent(problems::add);
        listening(environment).ifPresent(problems::add);
        return problems;
    }

    /** Boot's Kafka clients, each of which may have settings of its own over the common ones. */
    private static final List<String> KAFKA_CLIENTS = List.of("producer", "consumer", "admin", "streams");

    /**
     * What is wrong with the way to Kafka: brokers on another host reached without TLS (PLAINTEXT, or SASL_PLAINTEXT
     * whose records travel readable whatever the login), by any of Boot's clients. Kafka carries every event: lists of
     * detainees, bus positions, relatives' (sealed) inquiries.
     */
    private static Optional<String> kafka(Environment environment, ClearTextHosts clearText) {
        // as Boot builds them: spring.kafka.properties.* over spring.kafka.security.*, a client's own over the common
        String common = first(environment, "spring.kafka.properties.security.protocol", "spring.kafka.security.protocol");
        String commonServers = environment.getProperty("spring.kafka.bootstrap-servers");
        Set<String> protocols = new TreeSet<>();
        List<String> beyond = new ArrayList<>();
        for (String client : KAFKA_CLIENTS) {
            String own = first(environment, "spring.kafka." + client + ".properties.security.protocol",
                    "spring.kafka." + client + ".security.protocol");
            String protocol = (own != null ? own : common != null ? common : "PLAINTEXT").trim().toUpperCase(Locale.ROOT);
            String servers = environment.getProperty("spring.kafka." + client + ".bootstrap-servers", commonServers == null ? "" : commonServers);
            if (protocol.equals("SSL") || protocol.equals("SASL_SSL")) {
                continue;
            }
            for (String server : servers.split(",")) {
                String hostAndPort = server.trim();
                if (!hostAndPort.isEmpty() && !clearText.allow(host(hostAndPort)) && !beyond.contains(hostAndPort)) {
                    beyond.add(hostAndPort);
                    protocols.add(protocol);
                }
            }
        }
        return beyond.isEmpty() ? Optional.empty() : Optional.of("Kafka's security protocol " + String.join(" and ", protocols)
                + " reaches " + String.join(", ", beyond) + " without TLS, carrying every event (lists of detainees, bus "
                + "positions, relatives' inquiries): set spring.kafka.security.protocol to SASL_SSL (or SSL)");
    }

    /** The host of {@code host:port}, {@code [v6]:port}, or a listener URL such as {@code SASL_SSL://host:port}. */
    private static String host(String server) {
        String address = server.contains("://") ? server.substring(server.indexOf("://") + 3) : server;
        if (address.startsWith("[")) {
            return address.substring(0, address.indexOf(']') + 1);
        }
        return address.lastIndexOf(':') > 0 ? address.substring(0, address.lastIndexOf(':')) : address;
    }

    private static String first(Environment environment, String... settings) {
        for (String setting : settings) {
            String value = environment.getProperty(setting);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    /** What is wrong with where the service listens: plain HTTP beyond this host, with no reason given. */
    private static Optional<String> listening(Environment environment) {
        String address = environment.getProperty("server.address");
        if (ClearTextHosts.thisHost(address) || servesTls(environment)) {
            return Optional.empty();
        }
        String where = address == null || address.isBlank() ? "every interface" : address;
        String reason = environment.getProperty(PLAIN_HTTP_REASON);
        if (reason != null && !reason.isBlank()) {
            log.warn("Serving plain HTTP on {} because: {}", where, reason.strip());
            return Optional.empty();
        }
        return Optional.of("server.address serves plain HTTP on " + where + ", carrying callers' tokens and what the API "
                + "answers (relatives' contact data, lists of detainees): configure server.ssl (a bundle, a key store or a "
                + "certificate), or say in " + PLAIN_HTTP_REASON + " what encrypts the connections in front of it");
    }

    private static boolean servesTls(Environment environment) {
        if ("false".equalsIgnoreCase(environment.getProperty("server.ssl.enabled"))) {
            return false;
        }
        return Stream.of("server.ssl.bundle", "server.ssl.key-store", "server.ssl.certificate")
                .map(environment::getProperty).anyMatch(value -> value != null && !value.isBlank());
    }
}
