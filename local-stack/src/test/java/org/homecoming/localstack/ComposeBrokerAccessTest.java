package org.homecoming.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.utils.SecurityUtils;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.junit.jupiter.api.Test;

/** Keeps docker/kafka/acls.sh, which docker-compose's broker gets its topics and ACLs from, true to the catalogue. */
class ComposeBrokerAccessTest {

    private static final Path SCRIPT = Path.of("..").resolve(ComposeBrokerAccess.SCRIPT);

    @Test
    void shouldKeepTheCommittedComposeScriptInStepWithTheCatalogue() throws IOException {
        // given what the catalogue and TopicAccess give now
        String generated = ComposeBrokerAccess.script();
        if (Boolean.getBoolean("homecoming.compose-acls.write")) {
            Files.writeString(SCRIPT, generated);
        }

        // when we read the committed script
        String committed = Files.readString(SCRIPT);

        // then it is the same, to the character
        assertThat(committed)
                .as("docker/kafka/acls.sh is out of date; regenerate it as its header says")
                .isEqualTo(generated);
    }

    @Test
    void shouldGrantInTheScriptExactlyTheLocalStacksAclsAndTheViewers() {
        // given the ACLs compose must have
        Set<AclBinding> wanted = new HashSet<>(ComposeBrokerAccess.bindings());

        // when the script's kafka-acls.sh calls are expanded as kafka-acls.sh does
        Set<AclBinding> granted = expand(ComposeBrokerAccess.script());

        // then they grant those and nothing else, the local stack's own included
        assertThat(granted).containsExactlyInAnyOrderElementsOf(wanted);
        assertThat(granted).containsAll(new TopicAccess(KafkaCredentials.partners()).bindings());
    }

    @Test
    void shouldCreateEveryCatalogueTopicAndItsDeadLetterTopic() {
        // given the script
        String script = ComposeBrokerAccess.script();

        // then each topic is created with the catalogue's partitions, and a size bound where the catalogue has one
        for (Topic<?, ?> topic : Topics.all(KafkaCredentials.partners())) {
            String bound = topic.bytesPerPartition().map(bytes -> " --config retention.bytes=" + bytes).orElse("");
            assertThat(script).contains("topic " + topic.name() + " --partitions " + topic.partitions());
            assertThat(script).contains("topic " + topic.deadLetterTopic() + " --partitions " + topic.partitions() + bound + "\n");
        }
        assertThat(script).contains("topic intake.bus-positions.partner-demo-dlt --partitions 6 --config retention.bytes=1073741824\n");
    }

    @Test
    void shouldLetTheViewerReadNeitherContactDataNorTheAuditTrail() {
        // given the topic browser's ACLs
        List<AclBinding> viewer = ComposeBrokerAccess.viewerBindings(new TopicAccess(KafkaCredentials.partners()));

        // when we collect the topics it may read or write
        Set<String> read = new HashSet<>();
        viewer.stream().filter(binding -> binding.pattern().resourceType() == ResourceType.TOPIC)
                .forEach(binding -> {
                    assertThat(binding.entry().operation())
                            .isIn(AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS, AclOperation.READ);
                    if (binding.entry().operation() == AclOperation.READ) {
                        read.add(binding.pattern().name());
                    }
                });

        // then it reads bus positions but not inquiries (contact details) nor the audit trail, and writes nothing
        assertThat(read).contains(Topics.BUS_POSITIONS.name())
                .doesNotContain(Topics.INQUIRIES.name(), Topics.INQUIRIES.deadLetterTopic(),
                        Topics.AUDIT_EVENTS.name(), Topics.AUDIT_EVENTS.deadLetterTopic());
    }

    /** The ACLs the script's {@code acl} lines add: every principal × operation × resource of each line. */
    private static Set<AclBinding> expand(String script) {
        Set<AclBinding> bindings = new HashSet<>();
        for (String call : script.replace("\\\n", " ").split("\n")) {
            if (!call.startsWith("acl ")) {
                continue;
            }
            List<String> principals = values(call, "--allow-principal (\\S+)");
            List<String> operations = values(call, "--operation (\\S+)");
            List<String> patternTypes = values(call, "--resource-pattern-type (\\S+)");
            PatternType patternType = patternTypes.isEmpty() ? PatternType.LITERAL
                    : PatternType.fromString(patternTypes.get(0).toUpperCase());
            List<ResourcePattern> resources = new ArrayList<>();
            values(call, "--topic '([^']+)'").forEach(name -> resources.add(new ResourcePattern(ResourceType.TOPIC, name, patternType)));
            values(call, "--group '([^']+)'").forEach(name -> resources.add(new ResourcePattern(ResourceType.GROUP, name, patternType)));
            values(call, "--transactional-id '([^']+)'").forEach(name ->
                    resources.add(new ResourcePattern(ResourceType.TRANSACTIONAL_ID, name, patternType)));
            if (call.contains("--cluster")) {
                resources.add(new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL));
            }
            assertThat(principals).as(call).isNotEmpty();
            assertThat(operations).as(call).isNotEmpty();
            assertThat(resources).as(call).isNotEmpty();
            for (ResourcePattern resource : resources) {
                for (String principal : principals) {
                    for (String operation : operations) {
                        bindings.add(new AclBinding(resource, new AccessControlEntry(principal, "*",
                                SecurityUtils.operation(operation), AclPermissionType.ALLOW)));
                    }
                }
            }
        }
        return bindings;
    }

    private static List<String> values(String call, String option) {
        Matcher matcher = Pattern.compile(option).matcher(call);
        List<String> values = new ArrayList<>();
        while (matcher.find()) {
            values.add(matcher.group(1));
        }
        return values;
    }
}
