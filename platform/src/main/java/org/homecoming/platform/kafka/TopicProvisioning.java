package org.homecoming.platform.kafka;

import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Declares every catalogue topic and its dead-letter topic. Broker auto-creation stays off, so this is
 * the only way topics come to exist; every service declares all of them so that start-up order between
 * services does not matter (creating an existing topic is a no-op).
 */
@Configuration(proxyBeanMethods = false)
public class TopicProvisioning {

    @Bean
    KafkaAdmin.NewTopics homecomingTopics() {
        List<NewTopic> topics = new ArrayList<>();
        for (Topic<?, ?> topic : Topics.ALL) {
            topics.add(declare(topic));
            topics.add(TopicBuilder.name(topic.deadLetterTopic()).partitions(topic.partitions()).replicas(-1).build());
        }
        return new KafkaAdmin.NewTopics(topics.toArray(NewTopic[]::new));
    }

    public static NewTopic declare(Topic<?, ?> topic) {
        TopicBuilder builder = TopicBuilder.name(topic.name()).partitions(topic.partitions()).replicas(-1);
        if (topic.compacted()) {
            builder.compact();
        }
        topic.retention().ifPresent(retention ->
                builder.config(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retention.toMillis())));
        return builder.build();
    }
}
