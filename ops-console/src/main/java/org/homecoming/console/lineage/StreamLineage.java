package org.homecoming.console.lineage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topic.Owner;
import org.homecoming.catalogue.Topics;
import org.homecoming.console.topics.TopicFigures;
import org.homecoming.console.topics.TopicFigures.GroupLag;
import org.homecoming.console.topics.TopicFigures.TopicRate;

/**
 * How data flows through the system, as one graph: each writer and the catalogue topics it writes (from the
 * catalogue: a topic's one owner), and each consumer group and the topics it reads (from the groups' committed
 * offsets, as the broker reports them). Write edges carry the topic's records/s; read edges carry the records/s the
 * group reads of that topic and the group's lag. A group belongs to the service its id starts with; any other group is
 * drawn as a reader of its own.
 *
 * <p>Laid out in columns along the flow: partners, their intake topics, roster, its topics, transport, its
 * topics, reunification, its topics, the console and its acknowledgements, every service and the audit trail they all
 * write, then readers from outside.
 * Each partner is a writer of its own, of its own intake topic ({@code intake.bus-positions.<partner>}): the partners
 * are those whose intake topics the console watches (see {@code TopicWatch}, {@code homecoming.partners}).
 *
 * @param columns how many columns the layout has
 */
public record StreamLineage(List<Node> nodes, List<Edge> edges, int columns) {

    /** @param kind SERVICE, TOPIC or READER (a consumer group of no known service) */
    public record Node(String id, String kind, String label, int column, int row) {
    }

    /**
     * @param recordsPerSecond of the topic written (write edges), or read by the group (read edges); null while measuring
     * @param groupId          the consumer group of a read edge
     * @param lag              that group's lag in records, over all the topics it reads
     */
    public record Edge(String from, String to, Double recordsPerSecond, String groupId, Long lag, boolean lagExact) {
    }

    /**
     * Along the flow: partners feed intake topics, roster the lists, transport the journeys, reunification the alerts;
     * then the console its operators' acknowledgements; last, every service records what its callers did on the audit trail.
     */
    private static final List<Owner> FLOW = List.of(Owner.PARTNERS, Owner.ROSTER, Owner.TRANSPORT, Owner.REUNIFICATION,
            Owner.CONSOLE, Owner.SERVICES);

    public static StreamLineage of(TopicFigures figures) {
        Map<String, Node> nodes = new LinkedHashMap<>();
        Map<Integer, Integer> rows = new HashMap<>();
        List<Edge> edges = new ArrayList<>();
        Map<String, Double> rates = new HashMap<>();
        figures.topics().forEach((TopicRate topic) -> rates.put(topic.topic(), topic.recordsPerSecond()));

        for (Owner owner : FLOW) {
            if (owner != Owner.PARTNERS) {
                add(nodes, rows, service(owner), "SERVICE", label(owner), 2 * FLOW.indexOf(owner));
            }
        }
        List<String> partners = figures.topics().stream().map(TopicRate::topic)
                .flatMap(name -> Topics.intakePartner(name).stream()).distinct().sorted().toList();
        for (String partner : partners) {
            add(nodes, rows, "partner:" + partner, "SERVICE", "partner " + partner, 2 * FLOW.indexOf(Owner.PARTNERS));
        }
        for (Topic<?, ?> topic : Topics.all(partners)) {
            add(nodes, rows, topic.name(), "TOPIC", topic.name(), 2 * FLOW.indexOf(topic.owner()) + 1);
            String writer = Topics.intakePartner(topic.name()).map(partner -> "partner:" + partner).orElse(service(topic.owner()));
            edges.add(new Edge(writer, topic.name(), rates.get(topic.name()), null, null, true));
        }
        int outside = 2 * FLOW.size();
        for (GroupLag group : figures.consumerGroups()) {
            String reader = readerOf(group.groupId());
            if (!nodes.containsKey(reader)) {
                add(nodes, rows, reader, "READER", group.groupId(), outside);
            }
            for (String topic : group.topics()) {
                if (nodes.containsKey(topic)) {
                    edges.add(new Edge(topic, reader, group.consumedPerSecond().get(topic), group.groupId(), group.lag(),
                            group.exact()));
                }
            }
        }
        boolean anyOutside = nodes.values().stream().anyMatch(node -> node.column() == outside);
        return new StreamLineage(List.copyOf(nodes.values()), List.copyOf(edges), anyOutside ? outside + 1 : outside);
    }

    private static void add(Map<String, Node> nodes, Map<Integer, Integer> rows, String id, String kind, String label,
                            int column) {
        int row = rows.merge(column, 1, Integer::sum) - 1;
        nodes.put(id, new Node(id, kind, label, column, row));
    }

    private static String readerOf(String groupId) {
        for (Owner owner : Owner.values()) {
            if (owner != Owner.PARTNERS && owner != Owner.SERVICES && groupId.toLowerCase(Locale.ROOT).startsWith(owner.name().toLowerCase(Locale.ROOT))) {
                return service(owner);
            }
        }
        return "group:" + groupId;
    }

    private static String service(Owner owner) {
        return "service:" + owner.name().toLowerCase(Locale.ROOT);
    }

    private static String label(Owner owner) {
        return switch (owner) {
            case PARTNERS -> "partners";
            case SERVICES -> "every service";
            case CONSOLE -> "ops-console";
            default -> owner.name().toLowerCase(Locale.ROOT) + "-service";
        };
    }
}
