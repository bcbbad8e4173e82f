package org.homecoming.localstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.SecurityUtils;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;

/**
 * The docker-compose broker's topics and ACLs, as the shell script {@code docker/kafka/acls.sh} that the compose
 * step {@code kafka-acls} runs with the Kafka image's tools as the super user. The rules are the local stack's
 * ({@link TopicAccess}), so compose and the local stack refuse the same things; the script is generated from
 * them and {@code ComposeBrokerAccessTest} fails while the committed file differs, so a topic added to the
 * catalogue cannot be forgotten in compose.
 * <p>Compose adds one principal the local stack has not: {@link #VIEWER}, the topic browser. It may describe
 * every catalogue topic and consumer group and the cluster, and read what the ops console reads: never the
 * topics with relatives' contact details nor the audit trail.
 * <p>Regenerate with {@code -Dhomecoming.compose-acls.write=true} on {@code ComposeBrokerAccessTest}, or with this
 * class's {@code main} (argument: the repository root).
 */
final class ComposeBrokerAccess {

    /** Kafka UI's principal in docker-compose.yml. */
    static final String VIEWER = "kafka-ui";
    static final Path SCRIPT = Path.of("docker", "kafka", "acls.sh");

    private static final Comparator<ResourcePattern> RESOURCE_ORDER = Comparator
            .comparing((ResourcePattern pattern) -> pattern.resourceType().ordinal())
            .thenComparing(pattern -> pattern.patternType().ordinal())
            .thenComparing(ResourcePattern::name);

    private ComposeBrokerAccess() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : ".");
        Files.writeString(root.resolve(SCRIPT), script());
    }

    /** Every ACL of the compose broker: the local stack's with its demo partner, and the topic browser's. */
    static List<AclBinding> bindings() {
        List<AclBinding> bindings = new ArrayList<>(new TopicAccess(KafkaCredentials.partners()).bindings());
        bindings.addAll(viewerBindings(new TopicAccess(KafkaCredentials.partners())));
        return bindings;
    }

    static List<AclBinding> viewerBindings(TopicAccess access) {
        List<AclBinding> bindings = new ArrayList<>();
        for (Topic<?, ?> topic : access.topics()) {
            boolean readable = access.readersOf(topic).contains(TopicAccess.CONSOLE);
            for (String name : List.of(topic.name(), topic.deadLetterTopic())) {
                ResourcePattern resource = new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
                bindings.add(allow(VIEWER, resource, AclOperation.DESCRIBE));
                bindings.add(allow(VIEWER, resource, AclOperation.DESCRIBE_CONFIGS));
                if (readable) {
                    bindings.add(allow(VIEWER, resource, AclOperation.READ));
                }
            }
        }
        bindings.add(allow(VIEWER, new ResourcePattern(ResourceType.GROUP, ResourcePattern.WILDCARD_RESOURCE,
                PatternType.LITERAL), AclOperation.DESCRIBE));
        // The browser's own consumers, should they use a group: named after the principal or the product.
        bindings.add(allow(VIEWER, new ResourcePattern(ResourceType.GROUP, VIEWER + "-", PatternType.PREFIXED),
                AclOperation.READ));
        bindings.add(allow(VIEWER, new ResourcePattern(ResourceType.GROUP, "kafbat-ui-", PatternType.PREFIXED),
                AclOperation.READ));
        ResourcePattern cluster = new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL);
        bindings.add(allow(VIEWER, cluster, AclOperation.DESCRIBE));
        bindings.add(allow(VIEWER, cluster, AclOperation.DESCRIBE_CONFIGS));
        return bindings;
    }

    /** The script's text: the catalogue's topics, then one kafka-acls.sh call per group of alike ACLs. */
    static String script() {
        StringBuilder out = new StringBuilder();
        out.append("""
                #!/usr/bin/env bash
                # GENERATED from the topic catalogue and org.homecoming.localstack.TopicAccess by
                # local-stack's ComposeBrokerAccess: do not edit. ComposeBrokerAccessTest fails while this file differs
                # from what they give; regenerate with
                #   ./mvnw -B -o -pl local-stack -am verify -Dtest=ComposeBrokerAccessTest \\
                #     -Dsurefire.failIfNoSpecifiedTests=false -Dhomecoming.compose-acls.write=true
                #
                # Run by docker-compose's kafka-acls step as the super user, before any service starts: creates the
                # catalogue's topics and dead-letter topics (no service may create a topic), sets each partner's quota
                # (bytes per second it may send and fetch) and adds the ACLs the StandardAuthorizer enforces. All may run
                # again. An ACL that earlier versions granted and this one revokes is removed (the revoke lines at the
                # end); any other ACL removed from TopicAccess stays on a broker that already has it: recreate the
                # broker's container (its log is inside it).
                set -euo pipefail
                bootstrap="${KAFKA_BOOTSTRAP:-kafka:9092}"
                config="${KAFKA_COMMAND_CONFIG:-/tmp/admin.properties}"
                bin="${KAFKA_BIN:-/opt/kafka/bin}"
                existing="$("$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --command-config "$config" --list)"
                topic() {
                  if ! grep -qxF "$1" <<< "$existing"; then
                    "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --command-config "$config" --create \\
                      --if-not-exists --replication-factor "${KAFKA_REPLICATION_FACTOR:-1}" --topic "$@"
                  fi
                }
                acl() {
                  "$bin/kafka-acls.sh" --bootstrap-server "$bootstrap" --command-config "$config" --add "$@" > /dev/null
                }
                revoke() {
                  "$bin/kafka-acls.sh" --bootstrap-server "$bootstrap" --command-config "$config" --remove --force "$@" > /dev/null
                }
                quota() {
                  "$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --command-config "$config" --alter \\
                    --entity-type users --entity-name "$1" --add-config "$2" > /dev/null
                }

                """);
        for (Topic<?, ?> topic : new TopicAccess(KafkaCredentials.partners()).topics()) {
            // the catalogue's settings (min.insync.replicas stays the brokers' default, set for the cluster)
            out.append("topic ").append(topic.name()).append(" --partitions ").append(topic.partitions())
                    .append(configFlags(topic.settings(0))).append('\n');
            out.append("topic ").append(topic.deadLetterTopic()).append(" --partitions ").append(topic.partitions())
                    .append(configFlags(topic.deadLetterSettings(0))).append('\n');
        }
        out.append('\n');
        // each partner's send and fetch rate (TopicAccess.quotas), as kafka-configs.sh takes them
        new TopicAccess(KafkaCredentials.partners()).quotas().forEach((entity, quotas) -> out.append("quota ")
                .append(entity.entries().get(ClientQuotaEntity.USER)).append(' ')
                .append(String.join(",", new TreeMap<>(quotas).entrySet().stream()
                        .map(quota -> quota.getKey() + "=" + quota.getValue()).toList()))
                .append('\n'));
        List<AclBinding> bindings = bindings();
        for (AclCall call : calls(bindings)) {
            out.append(call.line()).append('\n');
        }
        // what earlier versions granted and this one does not: a partner reading every bus's movements
        for (String partner : KafkaCredentials.partners()) {
            out.append("revoke --allow-principal User:").append(partner).append(" --operation Read --topic '")
                    .append(Topics.BUS_MOVEMENTS.name()).append("'\n");
        }
        out.append("echo \"kafka-acls: the catalogue's topics, the partners' quotas and ").append(bindings.stream().distinct().count())
                .append(" ACLs are in place\"\n");
        return out.toString();
    }

    /**
     * kafka-acls.sh adds every principal × operation × resource of one call, so bindings are grouped: per resource
     * the principals with the same operations, then the resources with the same principals and operations.
     */
    static List<AclCall> calls(List<AclBinding> bindings) {
        Map<ResourcePattern, Map<String, SortedSet<AclOperation>>> byResource = new TreeMap<>(RESOURCE_ORDER);
        for (AclBinding binding : bindings) {
            byResource.computeIfAbsent(binding.pattern(), resource -> new TreeMap<>())
                    .computeIfAbsent(binding.entry().principal(), principal -> new TreeSet<>())
                    .add(binding.entry().operation());
        }
        Map<String, AclCall> calls = new TreeMap<>();
        byResource.forEach((resource, operationsByPrincipal) -> {
            Map<SortedSet<AclOperation>, SortedSet<String>> principalsByOperations = new TreeMap<>(
                    Comparator.comparing(Object::toString));
            operationsByPrincipal.forEach((principal, operations) ->
                    principalsByOperations.computeIfAbsent(operations, key -> new TreeSet<>()).add(principal));
            principalsByOperations.forEach((operations, principals) -> {
                AclCall call = new AclCall(resource.resourceType(), resource.patternType(), principals, operations,
                        new TreeSet<>());
                calls.computeIfAbsent(call.key(), key -> call).resources().add(resource.name());
            });
        });
        return List.copyOf(calls.values());
    }

    /** One kafka-acls.sh --add: every principal may do every operation on every resource named. */
    record AclCall(ResourceType resourceType, PatternType patternType, SortedSet<String> principals,
                   SortedSet<AclOperation> operations, SortedSet<String> resources) {

        private String key() {
            return String.format("%02d %d %s %s", resourceType.ordinal(), patternType.ordinal(), operations, principals);
        }

        String line() {
            StringBuilder line = new StringBuilder("acl");
            principals.forEach(principal -> line.append(" --allow-principal ").append(principal));
            operations.forEach(operation -> line.append(" --operation ").append(SecurityUtils.operationName(operation)));
            if (patternType != PatternType.LITERAL) {
                line.append(" --resource-pattern-type ").append(patternType.name().toLowerCase());
            }
            String option = switch (resourceType) {
                case TOPIC -> "--topic";
                case GROUP -> "--group";
                case TRANSACTIONAL_ID -> "--transactional-id";
                case CLUSTER -> "--cluster";
                default -> throw new IllegalArgumentException("No ACLs on " + resourceType + " in compose");
            };
            if (resourceType == ResourceType.CLUSTER) {
                line.append(' ').append(option);
            } else {
                // quoted: the literal wildcard "*" must reach kafka-acls.sh unexpanded
                resources.forEach(resource -> line.append(" \\\n  ").append(option).append(" '").append(resource).append('\''));
            }
            return line.toString();
        }
    }

    private static AclBinding allow(String principal, ResourcePattern resource, AclOperation operation) {
        return new AclBinding(resource, new AccessControlEntry("User:" + principal, "*", operation, AclPermissionType.ALLOW));
    }

    /** kafka-topics.sh's {@code --config} flags, in a fixed order so the generated script only changes with the catalogue. */
    private static String configFlags(Map<String, String> settings) {
        StringBuilder flags = new StringBuilder();
        new TreeMap<>(settings).forEach((key, value) -> flags.append(" --config ").append(key).append('=').append(value));
        return flags.toString();
    }
}
