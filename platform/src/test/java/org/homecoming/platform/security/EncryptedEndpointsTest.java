package org.homecoming.platform.security;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncryptedEndpointsTest {

    @Test
    void shouldRefuseToStartWhenTheIdentityProviderOrTheRegistryWouldBeReachedInClearTextOverANetwork() {
        MockEnvironment environment = new MockEnvironment().withProperty("server.address", "127.0.0.1")
                .withProperty("homecoming.identity.issuer-uri", "http://idp.example.org/realms/homecoming")
                .withProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri", "http://idp.example.org/realms/homecoming")
                .withProperty("homecoming.registry.url", "http://registry.example.org:8080")
                .withProperty("spring.kafka.properties.apicurio.registry.auth.service.token.endpoint",
                        "http://idp.example.org/realms/homecoming/protocol/openid-connect/token");

        assertThatThrownBy(() -> check(environment))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("homecoming.identity.issuer-uri reaches idp.example.org over http")
                .hasMessageContaining("homecoming.registry.url reaches registry.example.org over http")
                .hasMessageContaining("token.endpoint reaches idp.example.org over http")
                .hasMessageContaining("homecoming.clear-text-hosts");
        assertThat(EncryptedEndpoints.problems(environment)).as("the same issuer named once").hasSize(3);
    }

    @Test
    void shouldStartWithHttpsEverywhereOrHttpToThisHost() {
        MockEnvironment environment = new MockEnvironment().withProperty("server.address", "127.0.0.1")
                .withProperty("homecoming.identity.issuer-uri", "https://idp.example.org/realms/homecoming")
                .withProperty("homecoming.console.login.issuer-uri", "http://localhost:8180/realms/homecoming")
                .withProperty("homecoming.registry.url", "http://127.0.0.1:8085");

        check(environment);

        assertThat(EncryptedEndpoints.problems(environment)).isEmpty();
    }

    @Test
    void shouldAllowClearTextOnlyToTheHostsTheOperatorNamed() {
        MockEnvironment environment = new MockEnvironment().withProperty("server.address", "127.0.0.1")
                .withProperty("homecoming.clear-text-hosts", "keycloak, registry")
                .withProperty("homecoming.identity.issuer-uri", "http://keycloak:8180/realms/homecoming")
                .withProperty("homecoming.registry.url", "http://registry:8080")
                .withProperty("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", "http://keycloak.evil.example/certs");

        assertThat(EncryptedEndpoints.problems(environment))
                .singleElement().asString().startsWith("spring.security.oauth2.resourceserver.jwt.jwk-set-uri reaches keycloak.evil.example");
    }

    @Test
    void shouldTellThisHostFromNamesThatOnlyLookLikeIt() {
        ClearTextHosts none = new ClearTextHosts(null);

        assertThat(none.allow("127.0.0.1")).isTrue();
        assertThat(none.allow("[::1]")).isTrue();
        assertThat(none.allow("LOCALHOST")).isTrue();
        assertThat(none.allow("localhost.evil.example")).isFalse();
        assertThat(none.allow("127.0.0.1.evil.example")).isFalse();
        assertThat(none.allow("10.0.0.1")).isFalse();
        assertThat(none.problem("x", "ftp://127.0.0.1/", "y")).as("only http may be clear").isPresent();
    }

    @Test
    void shouldRefuseToServePlainHttpBeyondThisHost() {
        for (String address : new String[] {"0.0.0.0", "10.0.0.7", "::", "localhost.evil.example"}) {
            MockEnvironment environment = new MockEnvironment().withProperty("server.address", address);

            assertThatThrownBy(() -> check(environment)).as(address)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("server.address serves plain HTTP on " + address)
                    .hasMessageContaining("server.ssl").hasMessageContaining("homecoming.server.plain-http-reason");
        }
        assertThat(EncryptedEndpoints.problems(new MockEnvironment())).as("no address: every interface")
                .singleElement().asString().contains("on every interface");
    }

    @Test
    void shouldServeBeyondThisHostOverTlsOrWhenSomethingInFrontEncrypts() {
        MockEnvironment tls = new MockEnvironment().withProperty("server.address", "0.0.0.0")
                .withProperty("server.ssl.bundle", "web");
        MockEnvironment proxied = new MockEnvironment().withProperty("server.address", "0.0.0.0")
                .withProperty("homecoming.server.plain-http-reason", "the ingress terminates TLS");
        MockEnvironment tlsTurnedOff = new MockEnvironment().withProperty("server.address", "0.0.0.0")
                .withProperty("server.ssl.bundle", "web").withProperty("server.ssl.enabled", "false");

        assertThat(EncryptedEndpoints.problems(tls)).isEmpty();
        assertThat(EncryptedEndpoints.problems(proxied)).isEmpty();
        assertThat(EncryptedEndpoints.problems(tlsTurnedOff)).hasSize(1);
    }

    @Test
    void shouldRefuseToReachKafkaOnAnotherHostWithoutTls() {
        MockEnvironment plaintext = new MockEnvironment().withProperty("server.address", "127.0.0.1")
                .withProperty("spring.kafka.bootstrap-servers", "127.0.0.1:9092,kafka-2.example.org:9092")
                .withProperty("spring.kafka.streams.bootstrap-servers", "[2001:db8::7]:9092");
        MockEnvironment saslPlaintext = new MockEnvironment().withProperty("server.address", "127.0.0.1")
                .withProperty("spring.kafka.bootstrap-servers", "kafka.example.org:9092")
                .withProperty("spring.kafka.properties.security.protocol", "sasl_plaintext");

        assertThat(EncryptedEndpoints.problems(plaintext)).singleElement().asString()
                .startsWith("Kafka's security protocol PLAINTEXT reaches kafka-2.example.org:9092, [2001:db8::7]:9092 without TLS")
                .contains("SASL_SSL");
        assertThat(EncryptedEndpoints.problems(saslPlaintext)).singleElement().asString()
                .startsWith("Kafka's security protocol SASL_PLAINTEXT reaches kafka.example.org:9092");
    }

    @Test
    void shouldReachKafkaOverTlsAnywhereAndWithoutItOnlyOnThisHostOrANamedOne() {
        MockEnvironment tls = new MockEnvironment().withProperty("server.address", "127.0.0.1")
                .withProperty("spring.kafka.bootstrap-servers", "kafka.example.org:9092")
                .withProperty("spring.kafka.security.protocol", "SASL_SSL");
        MockEnvironment embedded = new MockEnvironment().withProperty("server.address", "127.0.0.1")
                .withProperty("spring.kafka.bootstrap-servers", "127.0.0.1:41234,localhost:41235,[::1]:41236");
        MockEnvironment named = new MockEnvironment().withProperty("server.address", "127.0.0.1")
                .withProperty("homecoming.clear-text-hosts", "kafka")
                .withProperty("spring.kafka.bootstrap-servers", "PLAINTEXT://kafka:9092");

        MockEnvironment overridden = new MockEnvironment().withProperty("server.address", "127.0.0.1")
                .withProperty("spring.kafka.bootstrap-servers", "kafka.example.org:9092")
                .withProperty("spring.kafka.security.protocol", "SASL_SSL")
                .withProperty("spring.kafka.consumer.properties.security.protocol", "PLAINTEXT");

        assertThat(EncryptedEndpoints.problems(tls)).isEmpty();
        assertThat(EncryptedEndpoints.problems(overridden)).as("one client's own setting wins over the common one")
                .singleElement().asString().startsWith("Kafka's security protocol PLAINTEXT reaches kafka.example.org:9092");
        assertThat(EncryptedEndpoints.problems(embedded)).isEmpty();
        assertThat(EncryptedEndpoints.problems(named)).isEmpty();
    }

    private static void check(MockEnvironment environment) {
        EncryptedEndpoints endpoints = new EncryptedEndpoints();
        endpoints.setEnvironment(environment);
        endpoints.postProcessBeanFactory(new DefaultListableBeanFactory());
    }
}
