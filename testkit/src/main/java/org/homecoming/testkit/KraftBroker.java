package org.homecoming.testkit;

import java.util.Map;

import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * A real single-node KRaft broker in this JVM, set up as the project's broker is: auto topic creation off (topics
 * exist only because a service declared them) and one replica for the internal topics. Tests get it through
 * {@link KafkaAndRegistry}; the benchmarks start it directly.
 */
public final class KraftBroker {

    private KraftBroker() {
    }

    /** Starts a broker; {@code extra} adds or overrides broker properties (for example {@code log.dirs}). */
    public static EmbeddedKafkaKraftBroker start(Map<String, String> extra) {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1);
        broker.brokerProperty("auto.create.topics.enable", "false");
        broker.brokerProperty("transaction.state.log.replication.factor", "1");
        broker.brokerProperty("transaction.state.log.min.isr", "1");
        broker.brokerProperty("offsets.topic.replication.factor", "1");
        broker.brokerProperty("group.initial.rebalance.delay.ms", "0");
        extra.forEach(broker::brokerProperty);
        broker.afterPropertiesSet();
        return broker;
    }

    public static EmbeddedKafkaKraftBroker start() {
        return start(Map.of());
    }
}
