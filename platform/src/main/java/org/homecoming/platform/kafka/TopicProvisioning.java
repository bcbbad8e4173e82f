package org.homecoming.platform.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.kafka.clients.admin.NewTopic;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Declares every catalogue topic and its dead-letter topic. Broker auto-creation stays off, so this is
 * the only way topics come to exist; every service declares all of them so that start-up order between
 * services does not matter.
 *
 * <p>At start-up {@link TopicCheck} creates the missing ones and compares the existing ones with the catalogue
 * (partition count, cleanup policy, retention, min.insync.replicas); if one differs, the service does not start, and
 * the message lists every difference with what to do. Nothing existing is changed: Spring's KafkaAdmin is not given
 * these topics, since it would add partitions to one that has fewer, moving keys between partitions.
 *
 * <p>Replication: {@code homecoming.kafka.topics.replication-factor} (default -1, the broker's
 * {@code default.replication.factor}) and {@code homecoming.kafka.topics.min-insync-replicas} (default 0, the broker's
 * {@code min.insync.replicas}); a three-node cluster wants 3 and 2.
 *
 * <p>Partners: {@code homecoming.partners} (comma-separated partner principals, default none) adds each partner's intake
 * topic, {@code intake.bus-positions.<partner>}, and its dead-letter topic.
 */
@Configuration(proxyBeanMethods = false)
public class TopicProvisioning {

    @Bean
    TopicCheck topicCheck(KafkaAdmin kafkaAdmin,
                          @Value("${homecoming.partners:}") String partners,
                          @Value("${homecoming.kafka.topics.replication-factor:-1}") int replicationFactor,
                          @Value("${homecoming.kafka.topics.min-insync-replicas:0}") int minInsyncReplicas) {
        return new TopicCheck(kafkaAdmin, declareAll(Topics.partners(partners), replicationFactor, minInsyncReplicas),
                minInsyncReplicas);
    }

    /** Every fixed catalogue topic ({@link Topics#ALL}, no partner's intake topic) and its dead-letter topic. */
    public static List<NewTopic> declareAll(int replicationFactor, int minInsyncReplicas) {
        return declareAll(List.of(), replicationFactor, minInsyncReplicas);
    }

    /** Every catalogue topic with these partners' intake topics, and each one's dead-letter topic, with this replication. */
    public static List<NewTopic> declareAll(Collection<String> partners, int replicationFactor, int minInsyncReplicas) {
        List<NewTopic> topics = new ArrayList<>();
        for (Topic<?, ?> topic : Topics.all(partners)) {
            topics.add(declare(topic, replicationFactor, minInsyncReplicas));
            topics.add(TopicBuilder.name(topic.deadLetterTopic()).partitions(topic.partitions()).replicas(replicationFactor)
                    .configs(topic.deadLetterSettings(minInsyncReplicas)).build());
        }
        return topics;
    }

    /** The topic with the broker's replication defaults. */
    public static NewTopic declare(Topic<?, ?> topic) {
        return declare(topic, -1, 0);
    }

    /** {@code replicationFactor} -1 and {@code minInsyncReplicas} 0 leave them to the broker's defaults. */
    public static NewTopic declare(Topic<?, ?> topic, int replicationFactor, int minInsyncReplicas) {
        return TopicBuilder.name(topic.name()).partitions(topic.partitions()).replicas(replicationFactor)
                .configs(topic.settings(minInsyncReplicas)).build();
    }
}
