package org.homecoming.reunification.pairing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.homecoming.catalogue.Topics;

/**
 * How the pairing group shares its topics between instances: the partitions of {@code reunification.matches} are
 * divided (their owner decides, matches and alerts for the inquiries keyed to them: inquiries, matches and alerts are
 * all keyed by inquiry id over the same number of partitions), and every member gets every partition of the other
 * topics (persons and inquiries are facts every instance needs: any listed person can match any inquiry, and every
 * instance answers REST reads about every inquiry).
 *
 * <p>The classic protocol lets the leader hand the same partition to several members; offsets committed for those
 * shared partitions mean nothing (each member commits its own) and the listener never starts from them: it rebuilds
 * the facts to the end and goes on from there (see {@link StateRebuild}). A member of an older generation cannot commit
 * a transaction, whatever partitions it held: its offsets go with its group metadata (KIP-447), so a zombie instance's
 * decisions and alerts are aborted.
 */
public final class InquiryOwnership implements ConsumerPartitionAssignor {

    /** The topic whose partitions are owned; its partition number is the owned inquiries' partition. */
    static final String OWNED = Topics.MATCHES.name();

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription groupSubscription) {
        // sorted by member id, so every leader divides the same way
        Map<String, Subscription> members = new TreeMap<>(groupSubscription.groupSubscription());
        Map<String, List<TopicPartition>> assigned = new HashMap<>();
        members.keySet().forEach(member -> assigned.put(member, new ArrayList<>()));
        List<String> owners = members.entrySet().stream().filter(entry -> entry.getValue().topics().contains(OWNED))
                .map(Map.Entry::getKey).toList();
        for (Map.Entry<String, Subscription> member : members.entrySet()) {
            for (String topic : member.getValue().topics()) {
                if (topic.equals(OWNED)) {
                    continue;
                }
                for (PartitionInfo partition : partitions(metadata, topic)) {
                    assigned.get(member.getKey()).add(new TopicPartition(topic, partition.partition()));
                }
            }
        }
        for (PartitionInfo partition : partitions(metadata, OWNED)) {
            if (!owners.isEmpty()) {
                assigned.get(owners.get(partition.partition() % owners.size())).add(new TopicPartition(OWNED, partition.partition()));
            }
        }
        Map<String, Assignment> assignments = new HashMap<>();
        assigned.forEach((member, partitions) -> assignments.put(member, new Assignment(partitions)));
        return new GroupAssignment(assignments);
    }

    private static List<PartitionInfo> partitions(Cluster metadata, String topic) {
        List<PartitionInfo> partitions = metadata.partitionsForTopic(topic);
        return partitions == null ? List.of() : partitions;
    }

    /** The inquiry partitions a member owns, from its assignment. */
    static Set<Integer> owned(java.util.Collection<TopicPartition> assignment) {
        Set<Integer> owned = new java.util.TreeSet<>();
        assignment.stream().filter(partition -> partition.topic().equals(OWNED)).forEach(partition -> owned.add(partition.partition()));
        return owned;
    }

    @Override
    public String name() {
        return "homecoming-inquiry-ownership";
    }
}
