package org.homecoming.catalogue.registry;

import java.util.List;

import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;

/**
 * Schema provisioning as one step of a deployment: registers the schema of every catalogue topic (and of its
 * dead-letter topic) with an admin client of the registry, then exits. The services only read the registry.
 * Every service's executable jar holds it:
 * <pre>
 *   java -cp service.jar -Dloader.main=org.homecoming.catalogue.registry.ProvisionSchemas \
 *        org.springframework.boot.loader.launch.PropertiesLauncher
 * </pre>
 * with {@code HOMECOMING_REGISTRY_URL}, {@code HOMECOMING_REGISTRY_CLIENT_ID} and
 * {@code HOMECOMING_REGISTRY_CLIENT_SECRET} (a client with the registry's admin role) in the environment, where other
 * users of the machine cannot read them, and {@code HOMECOMING_PARTNERS} (comma-separated partner principals; each
 * partner's intake topic has its own subject, {@code intake.bus-positions.<partner>-value}).
 */
public final class ProvisionSchemas {

    private ProvisionSchemas() {
    }

    public static void main(String[] args) {
        String url = required("HOMECOMING_REGISTRY_URL");
        List<Topic<?, ?>> topics = Topics.all(Topics.partners(System.getenv("HOMECOMING_PARTNERS")));
        CatalogueSchemas.provision(new SchemaRegistry(url, required("HOMECOMING_REGISTRY_CLIENT_ID"),
                required("HOMECOMING_REGISTRY_CLIENT_SECRET")), topics);
        System.out.println("The schemas of " + topics.size() + " topics and their dead-letter topics are provisioned in " + url);
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(name + " is not set");
        }
        return value;
    }
}
