package org.homecoming.console.messaging;

import java.util.List;
import java.util.UUID;

import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;

/**
 * The topics the console reads and the consumer group it reads them with: the operation's, and the console's own
 * acknowledgements of attention items, which every instance reads from the beginning like the rest (so an acknowledgement
 * made on one instance holds on all, and after a restart).
 *
 * <p>Left out on purpose: {@code reunification.inquiries}, because it holds relatives' names and contact
 * details and the console must never hold them; the partner intake and release-list topics, because
 * the console shows only what transport and roster made of them.
 *
 * <p>Each console process gets a group of its own ({@code ops-console-<uuid>}) and never commits an
 * offset: it rebuilds its picture from the start of every topic when it starts, two consoles never split
 * the partitions between them, and a stopped console leaves no group behind to show stale lag.
 */
public final class ObservedTopics {

    static final List<Topic<?, ?>> OBSERVED = List.of(
            Topics.EXCHANGE_ROUNDS, Topics.LISTED_PERSONS,
            Topics.BUS_MANIFESTS, Topics.BUS_MOVEMENTS, Topics.BUS_POSITIONS, Topics.PERSON_ARRIVALS,
            Topics.HANDOVER_DISCREPANCIES,
            Topics.MATCHES, Topics.ALERTS, Topics.ALERT_DELIVERIES,
            Topics.ATTENTION_ACKNOWLEDGEMENTS);

    private final String groupId = "ops-console-" + UUID.randomUUID();

    public String[] names() {
        return OBSERVED.stream().map(Topic::name).toArray(String[]::new);
    }

    public String groupId() {
        return groupId;
    }
}
