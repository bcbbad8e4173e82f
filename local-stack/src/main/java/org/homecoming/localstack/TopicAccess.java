package org.homecoming.localstack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topic.Owner;
import org.homecoming.catalogue.Topics;
import org.homecoming.testkit.RegistryJournal;

/**
 * Who may do what on the broker, derived from the topic catalogue, as Kafka ACLs for the StandardAuthorizer.
 * Nothing is allowed that is not listed here (the broker runs with {@code allow.everyone.if.no.acl.found=false}):
 * <ul>
 *   <li>a topic's owner is the only principal that may write it, so the broker enforces the one-writer rule
 *       (a partner's intake topic, {@code intake.bus-positions.<partner>}, is written by that partner alone, and
 *       partners write nothing else: so a partner's credentials cannot report another partner's buses, which transport
 *       checks against the manifests by the topic a reading came from);</li>
 *   <li>the audit trail ({@link Topics#AUDIT_EVENTS}) is the one topic every service writes, the console
 *       included (each records what its own callers did); only the {@link #AUDITOR} reads it, since it names who
 *       looked at whose record;</li>
 *   <li>every service reads every topic, except topics that hold relatives' contact details, which only
 *       their owner reads; a partner reads only its own movements topic ({@link Topics#busMovementsFor}), the
 *       movements of the buses its trackers report. Not {@code transport.bus-movements}, nor
 *       {@code transport.bus-positions}: one captured partner credential would show where every bus of the exchange
 *       is;</li>
 *   <li>a service that reads a topic may dead-letter its records, so it may write the topic's {@code -dlt}, and
 *       read it (it learns from it what was dead-lettered before, so a record replayed is not sent twice); the
 *       console observes and writes nothing but the audit trail and its operators' acknowledgements
 *       ({@link Topics#ATTENTION_ACKNOWLEDGEMENTS}), which it dead-letters nowhere;</li>
 *   <li>consumer groups, transactional ids and scratch topics (Kafka Streams' internal topics) are a
 *       principal's only when they are named {@code <principal>-...}; the console has its groups and its
 *       transactional ids (an acknowledgement and its audit entry commit together), no scratch topic;</li>
 *   <li>every service may describe every catalogue topic and read its settings (partitions, offsets and configs,
 *       never records: the console counts records and lag this way, and each service checks at start-up that the
 *       topics are as the catalogue says, see the platform's TopicCheck); the console may describe every consumer
 *       group for its lag figures.</li>
 * </ul>
 * Topics are created by the launcher (the super user), never by a service, so no principal may create one.
 *
 * <p>And how much: each partner principal has a broker quota ({@link #quotas}), the services none.
 */
final class TopicAccess {

    static final String ROSTER = "roster";
    static final String TRANSPORT = "transport";
    static final String REUNIFICATION = "reunification";
    static final String CONSOLE = "ops-console";
    /** The schema registry, a Kafka client itself once its storage is KafkaSQL. */
    static final String REGISTRY = "registry";
    static final List<String> SERVICES = List.of(ROSTER, TRANSPORT, REUNIFICATION, CONSOLE);
    /**
     * Whoever reviews the audit trail (an auditor's tool, or ops with a console client of their own). No process of
     * the local stack runs as it; it is named so that reading the trail is granted to one principal and no other.
     */
    static final String AUDITOR = "auditor";

    /** Topics carrying relatives' names and contact channels: no principal but their owner reads them. */
    static final Set<Topic<?, ?>> CONTACT_DATA = Set.of(Topics.INQUIRIES);
    /** Apicurio's KafkaSQL journal, snapshots and events; each start uses a consumer group {@code apicurio-<uuid>}. */
    static final List<String> REGISTRY_TOPICS = RegistryJournal.TOPICS;
    static final String REGISTRY_GROUP_PREFIX = "apicurio-";

    /**
     * What each partner principal may send, and fetch, per second: {@value} bytes (1 MiB), as broker quotas. Without
     * them one captured partner credential could write as fast as the network allows, fill the broker's disk in minutes
     * (an intake topic keeps a day) and stall every other partner's readings behind its own in transport's stream
     * thread, on the day of the exchange. With them a flood takes hours to matter (3.5 GiB an hour), time for the
     * operators to see it on the console and remove the partner. 1 MiB/s is some 300 times what a fleet of a hundred buses sends (a 60-byte reading every
     * 2 s from each: 3 KB/s), and what trackers buffered through an outage of hours (some 20 MB) comes through in
     * half a minute. The broker refuses nothing for it: it delays the partner's requests until its rate is back
     * under the quota. Services have no quota: they are the operation.
     */
    static final long PARTNER_BYTES_PER_SECOND = 1024 * 1024;
    static final String PRODUCER_BYTE_RATE = "producer_byte_rate";
    static final String CONSUMER_BYTE_RATE = "consumer_byte_rate";

    private final List<String> partners;

    TopicAccess(List<String> partners) {
        this.partners = List.copyOf(partners);
    }

    /** The principal name of a service that owns topics; partners are several and named by {@link #partners}. */
    static String principalOf(Owner owner) {
        return switch (owner) {
            case ROSTER -> ROSTER;
            case TRANSPORT -> TRANSPORT;
            case REUNIFICATION -> REUNIFICATION;
            case CONSOLE -> CONSOLE;
            case PARTNERS -> throw new IllegalArgumentException("A partner's intake topic is written by the partner it names");
            case SERVICES -> throw new IllegalArgumentException("The audit trail is written by every service principal");
        };
    }

    List<String> partners() {
        return partners;
    }

    /** Every principal that may write {@code topic}. */
    List<String> writersOf(Topic<?, ?> topic) {
        return switch (topic.owner()) {
            case PARTNERS -> List.of(Topics.intakePartner(topic.name()).orElseThrow(() ->
                    new IllegalArgumentException(topic.name() + " names no partner")));
            case SERVICES -> SERVICES;
            default -> List.of(principalOf(topic.owner()));
        };
    }

    /** Every principal that may read {@code topic}. */
    List<String> readersOf(Topic<?, ?> topic) {
        List<String> readers = new ArrayList<>();
        if (topic.owner() == Owner.SERVICES) {
            readers.add(AUDITOR);
        } else if (CONTACT_DATA.contains(topic)) {
            readers.add(principalOf(topic.owner()));
        } else {
            readers.addAll(SERVICES);
        }
        Topics.movementsPartner(topic.name()).filter(partners::contains).ifPresent(readers::add);
        return readers;
    }

    /** Every principal that may write {@code topic}'s dead-letter topic: its readers, the console and partners excepted. */
    List<String> deadLetterWritersOf(Topic<?, ?> topic) {
        return readersOf(topic).stream().filter(reader -> !reader.equals(CONSOLE) && !partners.contains(reader)).toList();
    }

    /** Every topic of the catalogue with these partners' intake topics. */
    List<Topic<?, ?>> topics() {
        return Topics.all(partners);
    }

    List<AclBinding> bindings() {
        List<AclBinding> bindings = new ArrayList<>();
        for (Topic<?, ?> topic : topics()) {
            writersOf(topic).forEach(writer -> bindings.add(allow(writer, topic(topic.name()), AclOperation.WRITE)));
            readersOf(topic).forEach(reader -> bindings.add(allow(reader, topic(topic.name()), AclOperation.READ)));
            deadLetterWritersOf(topic).forEach(writer -> {
                bindings.add(allow(writer, topic(topic.deadLetterTopic()), AclOperation.WRITE));
                bindings.add(allow(writer, topic(topic.deadLetterTopic()), AclOperation.READ));
            });
            for (String service : SERVICES) {
                bindings.add(allow(service, topic(topic.name()), AclOperation.DESCRIBE));
                bindings.add(allow(service, topic(topic.deadLetterTopic()), AclOperation.DESCRIBE));
                // The start-up check compares partitions, cleanup policy, retention and min.insync.replicas.
                bindings.add(allow(service, topic(topic.name()), AclOperation.DESCRIBE_CONFIGS));
                bindings.add(allow(service, topic(topic.deadLetterTopic()), AclOperation.DESCRIBE_CONFIGS));
            }
        }
        for (String service : SERVICES) {
            bindings.addAll(ownResources(service));
        }
        bindings.add(allow(AUDITOR, prefixed(ResourceType.GROUP, AUDITOR + "-"), AclOperation.READ));
        for (String partner : partners) {
            bindings.add(allow(partner, prefixed(ResourceType.GROUP, partner + "-"), AclOperation.READ));
            bindings.add(allow(partner, prefixed(ResourceType.TRANSACTIONAL_ID, partner + "-"), AclOperation.WRITE));
        }
        bindings.add(allow(CONSOLE, new ResourcePattern(ResourceType.GROUP, ResourcePattern.WILDCARD_RESOURCE,
                PatternType.LITERAL), AclOperation.DESCRIBE));
        REGISTRY_TOPICS.forEach(name -> bindings.add(allow(REGISTRY, topic(name), AclOperation.ALL)));
        bindings.add(allow(REGISTRY, prefixed(ResourceType.GROUP, REGISTRY_GROUP_PREFIX), AclOperation.READ));
        return bindings;
    }

    /** The broker quotas, by principal: each partner's send and fetch rate ({@link #PARTNER_BYTES_PER_SECOND}). */
    Map<ClientQuotaEntity, Map<String, Long>> quotas() {
        Map<ClientQuotaEntity, Map<String, Long>> quotas = new LinkedHashMap<>();
        for (String partner : partners) {
            quotas.put(new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, partner)),
                    Map.of(PRODUCER_BYTE_RATE, PARTNER_BYTES_PER_SECOND, CONSUMER_BYTE_RATE, PARTNER_BYTES_PER_SECOND));
        }
        return quotas;
    }

    private static List<AclBinding> ownResources(String service) {
        String prefix = service + "-";
        AclBinding group = allow(service, prefixed(ResourceType.GROUP, prefix), AclOperation.READ);
        AclBinding transactions = allow(service, prefixed(ResourceType.TRANSACTIONAL_ID, prefix), AclOperation.WRITE);
        if (service.equals(CONSOLE)) {
            return List.of(group, transactions);
        }
        return List.of(group, transactions,
                // Kafka Streams' changelog and repartition topics are named after the application id.
                allow(service, prefixed(ResourceType.TOPIC, prefix), AclOperation.ALL));
    }

    private static ResourcePattern topic(String name) {
        return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    private static ResourcePattern prefixed(ResourceType type, String prefix) {
        return new ResourcePattern(type, prefix, PatternType.PREFIXED);
    }

    private static AclBinding allow(String principal, ResourcePattern resource, AclOperation operation) {
        return new AclBinding(resource, new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW));
    }
}
