package org.homecoming.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topic.Owner;
import org.homecoming.catalogue.Topics;
import org.junit.jupiter.api.Test;

class TopicAccessTest {

    private final TopicAccess access = new TopicAccess(List.of("partner-demo", "partner-tracking"));
    private final List<AclBinding> bindings = access.bindings();

    @Test
    void shouldGiveEveryPartnerAQuotaAndNoServiceOne() {
        // when we look at the broker quotas
        Map<ClientQuotaEntity, Map<String, Long>> quotas = access.quotas();

        // then each partner may send and fetch 1 MiB a second, and nothing limits the services
        assertThat(quotas).hasSize(2);
        for (String partner : List.of("partner-demo", "partner-tracking")) {
            assertThat(quotas.get(new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, partner))))
                    .containsEntry("producer_byte_rate", 1_048_576L).containsEntry("consumer_byte_rate", 1_048_576L);
        }
    }

    @Test
    void shouldLetEachPartnerReadItsOwnBusesMovementsAndNotWhereEveryBusIs() {
        // when we look at who may read every bus's movements and positions, and each partner's movements topic
        Set<String> allMovements = principalsAllowed(AclOperation.READ, ResourceType.TOPIC, Topics.BUS_MOVEMENTS.name());
        Set<String> allPositions = principalsAllowed(AclOperation.READ, ResourceType.TOPIC, Topics.BUS_POSITIONS.name());
        Set<String> demo = principalsAllowed(AclOperation.READ, ResourceType.TOPIC, "outbound.bus-movements.partner-demo");
        Set<String> tracking = principalsAllowed(AclOperation.READ, ResourceType.TOPIC, "outbound.bus-movements.partner-tracking");

        // then no partner reads every bus's whereabouts, and each reads its own movements topic, not the other's
        assertThat(allMovements).doesNotContain("partner-demo", "partner-tracking").contains(TopicAccess.CONSOLE);
        assertThat(allPositions).doesNotContain("partner-demo", "partner-tracking").contains(TopicAccess.CONSOLE);
        assertThat(demo).contains("partner-demo").doesNotContain("partner-tracking");
        assertThat(tracking).contains("partner-tracking").doesNotContain("partner-demo");
        assertThat(principalsAllowed(AclOperation.WRITE, ResourceType.TOPIC, "outbound.bus-movements.partner-demo"))
                .containsExactly(TopicAccess.TRANSPORT);
        assertThat(bindings).as("a partner reads no topic but its own movements topic")
                .filteredOn(binding -> binding.entry().principal().startsWith("User:partner-"))
                .filteredOn(binding -> binding.pattern().resourceType() == ResourceType.TOPIC)
                .filteredOn(binding -> binding.entry().operation() == AclOperation.READ)
                .allSatisfy(binding -> assertThat(binding.pattern().name())
                        .isEqualTo("outbound.bus-movements." + binding.entry().principal().substring("User:".length())));
    }

    @Test
    void shouldLetExactlyTheOwnerWriteEveryServiceTopic() {
        // given the ACLs generated from the catalogue
        // when we look for the principals allowed to write each topic
        for (Topic<?, ?> topic : access.topics()) {
            Set<String> writers = principalsAllowed(AclOperation.WRITE, ResourceType.TOPIC, topic.name());

            // then a service topic has one writer, its owner, and a partner's intake topic that partner only
            if (topic.owner() == Owner.PARTNERS) {
                assertThat(writers).as("writers of %s", topic.name())
                        .containsExactly(topic.name().substring(Topics.BUS_POSITION_INTAKE_PREFIX.length()));
            } else if (topic.owner() == Owner.SERVICES) {
                assertThat(writers).as("writers of %s", topic.name()).containsExactlyInAnyOrderElementsOf(TopicAccess.SERVICES);
            } else {
                assertThat(writers).as("writers of %s", topic.name()).containsExactly(TopicAccess.principalOf(topic.owner()));
            }
        }
    }

    @Test
    void shouldLetPartnersWriteNothingButIntakeTopics() {
        // given the ACLs of a partner
        List<AclBinding> partnerWrites = bindings.stream()
                .filter(binding -> binding.entry().principal().equals("User:partner-demo"))
                .filter(binding -> binding.pattern().resourceType() == ResourceType.TOPIC)
                .filter(binding -> Set.of(AclOperation.WRITE, AclOperation.ALL, AclOperation.CREATE)
                        .contains(binding.entry().operation()))
                .toList();

        // then every topic it may write is a literal intake topic
        assertThat(partnerWrites).isNotEmpty().allSatisfy(binding -> {
            assertThat(binding.pattern().patternType()).isEqualTo(PatternType.LITERAL);
            assertThat(binding.pattern().name()).startsWith("intake.");
        });
    }

    @Test
    void shouldGiveEachPartnerItsOwnIntakeTopicAndNoOtherPartnersNorASharedOne() {
        // when we look at who may write each partner's intake topic, and a shared one
        Set<String> demo = principalsAllowed(AclOperation.WRITE, ResourceType.TOPIC, "intake.bus-positions.partner-demo");
        Set<String> tracking = principalsAllowed(AclOperation.WRITE, ResourceType.TOPIC, "intake.bus-positions.partner-tracking");

        // then each partner writes its own topic only, transport writes each one's dead-letter topic, and no one
        // writes a shared intake topic
        assertThat(demo).containsExactly("partner-demo");
        assertThat(tracking).containsExactly("partner-tracking");
        assertThat(principalsAllowed(AclOperation.WRITE, ResourceType.TOPIC, "intake.bus-positions")).isEmpty();
        assertThat(principalsAllowed(AclOperation.WRITE, ResourceType.TOPIC, "intake.bus-positions.partner-demo-dlt"))
                .contains(TopicAccess.TRANSPORT).doesNotContain("partner-demo", "partner-tracking");
        assertThat(bindings).as("no prefixed topic ACL for a partner")
                .filteredOn(binding -> binding.entry().principal().startsWith("User:partner-"))
                .filteredOn(binding -> binding.pattern().resourceType() == ResourceType.TOPIC)
                .allSatisfy(binding -> assertThat(binding.pattern().patternType()).isEqualTo(PatternType.LITERAL));
    }

    @Test
    void shouldLetOnlyReunificationReadTheInquiries() {
        // when we look for the principals allowed to read the topic with relatives' contact details
        Set<String> readers = principalsAllowed(AclOperation.READ, ResourceType.TOPIC, Topics.INQUIRIES.name());

        // then it is reunification alone: no other service, not the console, no partner
        assertThat(readers).containsExactly(TopicAccess.REUNIFICATION);
        assertThat(principalsAllowed(AclOperation.WRITE, ResourceType.TOPIC, Topics.INQUIRIES.deadLetterTopic()))
                .containsExactly(TopicAccess.REUNIFICATION);
    }

    @Test
    void shouldLetEveryServiceWriteTheAuditTrailAndOnlyTheAuditorReadIt() {
        // when we look for who may write and who may read the audit trail
        Set<String> writers = principalsAllowed(AclOperation.WRITE, ResourceType.TOPIC, Topics.AUDIT_EVENTS.name());
        Set<String> readers = principalsAllowed(AclOperation.READ, ResourceType.TOPIC, Topics.AUDIT_EVENTS.name());

        // then every service and the console record what their callers did, no partner does, and only the auditor
        // reads who looked at whose record
        assertThat(writers).containsExactlyInAnyOrder(TopicAccess.ROSTER, TopicAccess.TRANSPORT, TopicAccess.REUNIFICATION,
                TopicAccess.CONSOLE);
        assertThat(readers).containsExactly(TopicAccess.AUDITOR);
        assertThat(principalsAllowed(AclOperation.READ, ResourceType.GROUP, TopicAccess.AUDITOR + "-review"))
                .containsExactly(TopicAccess.AUDITOR);
    }

    @Test
    void shouldLetEveryDeadLetterWriterReadTheDeadLettersItWrote() {
        // given the ACLs generated from the catalogue
        for (Topic<?, ?> topic : access.topics()) {
            // when we look for who may write and who may read a dead-letter topic
            Set<String> writers = principalsAllowed(AclOperation.WRITE, ResourceType.TOPIC, topic.deadLetterTopic());
            Set<String> readers = principalsAllowed(AclOperation.READ, ResourceType.TOPIC, topic.deadLetterTopic());

            // then every writer may read it back (the dead-letter policy does, to send a record once)
            assertThat(writers).as("writers of %s", topic.deadLetterTopic()).isNotEmpty();
            assertThat(readers).as("readers of %s", topic.deadLetterTopic()).containsAll(writers);
        }
    }

    @Test
    void shouldLetTheConsoleReadWhatItObservesAndWriteNothingButTheAuditTrailAndItsAcknowledgements() {
        // then the console reads alerts and arrivals, and may only read, describe and read settings, but for recording its
        // operators' acknowledgements on the audit trail and on its own topic, in transactions of its own
        assertThat(principalsAllowed(AclOperation.READ, ResourceType.TOPIC, Topics.ALERTS.name())).contains(TopicAccess.CONSOLE);
        assertThat(principalsAllowed(AclOperation.READ, ResourceType.TOPIC, Topics.PERSON_ARRIVALS.name())).contains(TopicAccess.CONSOLE);
        assertThat(principalsAllowed(AclOperation.WRITE, ResourceType.TOPIC, Topics.ATTENTION_ACKNOWLEDGEMENTS.name()))
                .containsOnly(TopicAccess.CONSOLE);
        assertThat(bindings).filteredOn(binding -> binding.entry().principal().equals("User:" + TopicAccess.CONSOLE))
                .filteredOn(binding -> !binding.pattern().name().equals(Topics.AUDIT_EVENTS.name()))
                .filteredOn(binding -> !binding.pattern().name().equals(Topics.ATTENTION_ACKNOWLEDGEMENTS.name()))
                .filteredOn(binding -> binding.pattern().resourceType() != ResourceType.TRANSACTIONAL_ID)
                .isNotEmpty()
                .allSatisfy(binding -> assertThat(binding.entry().operation())
                        .isIn(AclOperation.READ, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS));
        assertThat(bindings).filteredOn(binding -> binding.entry().principal().equals("User:" + TopicAccess.CONSOLE))
                .filteredOn(binding -> binding.pattern().name().equals(Topics.AUDIT_EVENTS.name()))
                .extracting(binding -> binding.entry().operation())
                .containsExactlyInAnyOrder(AclOperation.WRITE, AclOperation.DESCRIBE, AclOperation.DESCRIBE_CONFIGS);
    }

    @Test
    void shouldKeepGroupsAndTransactionalIdsToTheirPrincipal() {
        // then every group or transactional id right is a prefix named after its principal (or the registry's)
        assertThat(bindings)
                .filteredOn(binding -> binding.pattern().resourceType() == ResourceType.TRANSACTIONAL_ID
                        || binding.pattern().resourceType() == ResourceType.GROUP && binding.entry().operation() == AclOperation.READ)
                .isNotEmpty()
                .allSatisfy(binding -> {
                    String principal = binding.entry().principal().substring("User:".length());
                    assertThat(binding.pattern().patternType()).isEqualTo(PatternType.PREFIXED);
                    assertThat(binding.pattern().name()).isEqualTo(principal.equals(TopicAccess.REGISTRY)
                            ? TopicAccess.REGISTRY_GROUP_PREFIX : principal + "-");
                });
    }

    private Set<String> principalsAllowed(AclOperation operation, ResourceType type, String name) {
        return bindings.stream()
                .filter(binding -> binding.pattern().resourceType() == type)
                .filter(binding -> binding.pattern().patternType() == PatternType.LITERAL
                        ? binding.pattern().name().equals(name) || binding.pattern().name().equals("*")
                        : name.startsWith(binding.pattern().name()))
                .filter(binding -> binding.entry().operation() == operation || binding.entry().operation() == AclOperation.ALL)
                .map(binding -> binding.entry().principal().substring("User:".length()))
                .collect(Collectors.toSet());
    }
}
