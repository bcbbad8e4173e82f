package org.homecoming.platform.security;

/**
 * The realm roles that Homecoming's endpoints require, as the identity provider puts them in the access token (with
 * Keycloak at {@code realm_access.roles}; see {@code homecoming.security.roles-claim} for another provider). Spring
 * Security sees each as an authority {@code ROLE_<name>}.
 */
public final class Roles {

    /** Records exchange rounds and publishes their release lists. */
    public static final String LIST_OFFICER = "list-officer";
    /** Registers buses and their manifests. */
    public static final String TRANSPORT_OFFICER = "transport-officer";
    /** A bus's GPS tracker (or the simulator standing in for one): sends positions. */
    public static final String TRACKER = "tracker";
    /** Hands people over at the reception point and admits them at the hospital. */
    public static final String RECEPTION_STAFF = "reception-staff";
    /** Registers, updates and withdraws relatives' inquiries; the only role that sees relatives' contact data. */
    public static final String HOTLINE_OPERATOR = "hotline-operator";
    /** Works the review queue: sees the evidence, confirms and rejects matches. */
    public static final String CASEWORKER = "caseworker";
    /** Watches the operation: the ops console, its figures and the services' metrics. */
    public static final String OPS_VIEWER = "ops-viewer";
    /** A partner system that writes the intake topics on Kafka; no REST endpoint accepts it. */
    public static final String PARTNER_INTEGRATOR = "partner-integrator";
    /**
     * Prometheus's own client (client credentials): reads {@code /actuator/prometheus} of every service and the
     * console, and nothing else. Not {@link #OPS_VIEWER}: a scrape credential sits in a config file, and with the ops
     * viewer's role it read held alerts and took items off every console's "needs attention now".
     */
    public static final String METRICS_SCRAPER = "metrics-scraper";

    /** Every role, for tests that check that no other role is let in. */
    public static final java.util.List<String> ALL = java.util.List.of(LIST_OFFICER, TRANSPORT_OFFICER, TRACKER, RECEPTION_STAFF,
            HOTLINE_OPERATOR, CASEWORKER, OPS_VIEWER, PARTNER_INTEGRATOR, METRICS_SCRAPER);

    private Roles() {
    }
}
