package org.homecoming.localstack;

import java.util.LinkedHashMap;
import java.util.Map;

import org.homecoming.catalogue.Topics;
import org.homecoming.catalogue.registry.CatalogueSchemas;
import org.homecoming.catalogue.registry.SchemaRegistry;
import org.homecoming.testkit.KeycloakProcess;
import org.homecoming.testkit.RegistryProcess;

/**
 * Who may do what on the local stack's schema registry. The registry wants a token from the local realm (or a client's
 * id and secret, which it exchanges for one) and authorises the token's realm roles: the launcher provisions every
 * schema with the {@code schema-provisioning} client (role {@code schema-admin}); the services, the ops console and
 * the demo partner only read, each with its own client (role {@code schema-reader}). The clients and their secrets
 * are in {@code identity/homecoming-realm.json} and exist only in the local stack.
 */
final class RegistryAccess {

    static final String PROVISIONING_CLIENT = "schema-provisioning";
    static final String PROVISIONING_SECRET = "schema-provisioning-local-secret";

    private RegistryAccess() {
    }

    /** The local realm's issuer, known before Keycloak runs: the registry waits for it at start-up. */
    static String issuer() {
        return "http://127.0.0.1:" + LocalStack.IDENTITY_PORT + "/realms/" + KeycloakProcess.REALM;
    }

    static RegistryProcess.Authentication authentication() {
        return new RegistryProcess.Authentication(issuer());
    }

    /**
     * Registers the schema of every catalogue topic and of its dead-letter topic, with BACKWARD compatibility, as the
     * provisioning client: the one step of a deployment that writes to the registry. Services check at start-up that
     * their schemas are there.
     */
    static void provisionSchemas(String registryUrl) {
        // each partner's intake topic has its own subject, intake.bus-positions.<partner>-value
        CatalogueSchemas.provision(new SchemaRegistry(registryUrl, PROVISIONING_CLIENT, PROVISIONING_SECRET),
                Topics.all(KafkaCredentials.partners()));
    }

    /**
     * The read-only registry credentials of a service, as environment variables for the Apicurio serde (Boot binds
     * {@code SPRING_KAFKA_PROPERTIES_*} to every Kafka client's properties): its own confidential client of the realm.
     */
    static Map<String, String> readOnlyEnvironment(String module) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("SPRING_KAFKA_PROPERTIES_APICURIO_REGISTRY_AUTH_SERVICE_TOKEN_ENDPOINT", authentication().tokenEndpoint());
        environment.put("SPRING_KAFKA_PROPERTIES_APICURIO_REGISTRY_AUTH_CLIENT_ID", module);
        environment.put("SPRING_KAFKA_PROPERTIES_APICURIO_REGISTRY_AUTH_CLIENT_SECRET", module + "-local-secret");
        return environment;
    }

    /** What the demo partner sets in a Confluent client to read schemas: its client's id and secret, as basic auth. */
    static String partnerSettings() {
        return "basic.auth.credentials.source=USER_INFO basic.auth.user.info=" + DemoAccounts.PARTNER.clientId() + ":"
                + DemoAccounts.PARTNER.clientSecret();
    }
}
