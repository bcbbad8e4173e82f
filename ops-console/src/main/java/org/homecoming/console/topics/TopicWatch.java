package org.homecoming.console.topics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.console.topics.TopicFigures.DeadLetterCount;
import org.homecoming.console.topics.TopicFigures.GroupLag;
import org.homecoming.console.topics.TopicFigures.TopicRate;
import org.homecoming.platform.observability.MetricNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Reads, every few seconds, what the broker knows about the topics: end and start offsets of every
 * catalogue topic and dead-letter topic, and the committed offsets of every consumer group. Only
 * metadata is read, never a record, so this works for topics the console does not consume as well.
 *
 * <p>It also publishes what it reads as metrics, so Prometheus and Grafana see the same figures whichever
 * service wrote the records: {@code homecoming.dead.letter.records{topic}} (records held by each DLT),
 * {@code homecoming.topic.end.offset{topic}} (a counter whose rate is records/s) and
 * {@code homecoming.consumer.group.lag{group}}.
 */
@Component
public class TopicWatch implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(TopicWatch.class);
    private static final long TIMEOUT_SECONDS = 10;
    /**
     * Partners name their own consumer groups (any id under their prefix, any characters Kafka allows), and every group
     * becomes a dashboard row and a metric series: only ids of letters, digits, '.', '_' and '-' are shown, and at most
     * {@link #MAX_GROUPS}, so a partner can neither write markup or right-to-left text onto the console nor flood it.
     */
    static final Pattern SHOWN_GROUP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,248}");
    static final int MAX_GROUPS = 300;
    /** Longer ranges show as offsets (marked inexact) rather than hold up a reading. */
    private static final long MAX_OFFSETS_COUNTED = 2_000_000;
    private static final Duration MAX_COUNT_TIME = Duration.ofSeconds(3);

    /** The catalogue's topics with the configured partners' intake topics. */
    private final List<Topic<?, ?>> topics;
    private final Admin admin;
    private final TopicTraffic traffic;
    /** Records/s each group reads of each topic; keyed by {@link #edge}. */
    private final TopicTraffic consumption;
    private final RecordCounter counter;
    private final RecordTally tally;
    private final Clock clock;
    private final Map<String, Long> deadLetterRecords = new HashMap<>();
    private final Map<String, Long> endOffsets = new HashMap<>();
    private MultiGauge groupLag;
    private volatile TopicFigures figures = TopicFigures.NONE;
    private volatile long version;

    /** @param partners the partner principals, whose intake topics are watched with the catalogue's others */
    @Autowired
    TopicWatch(KafkaAdmin kafkaAdmin, MeterRegistry meters,
               @Value("${homecoming.console.rate-window:30s}") Duration rateWindow,
               @Value("${homecoming.partners:}") String partners) {
        this(Admin.create(kafkaAdmin.getConfigurationProperties()), new TopicTraffic(rateWindow),
                new RecordCounter(countingConsumer(kafkaAdmin), MAX_OFFSETS_COUNTED, MAX_COUNT_TIME), Clock.systemUTC(), Topics.partners(partners));
        for (Topic<?, ?> topic : topics) {
            Gauge.builder(MetricNames.DEAD_LETTER_RECORDS, deadLetterRecords,
                            records -> recordsIn(records, topic.deadLetterTopic()))
                    .description("Records held by a dead-letter topic (end offset minus start offset)")
                    .tag("topic", topic.deadLetterTopic())
                    .register(meters);
            // End offsets only grow, so Prometheus' rate() of this counter is the topic's records/s.
            FunctionCounter.builder(MetricNames.TOPIC_END_OFFSET, endOffsets, offsets -> recordsIn(offsets, topic.name()))
                    .description("Sum of the end offsets of a topic's partitions (records written, transaction markers included)")
                    .tag("topic", topic.name())
                    .register(meters);
        }
        groupLag = MultiGauge.builder(MetricNames.CONSUMER_GROUP_LAG)
                .description("Records written but not yet processed by a consumer group, over all its partitions")
                .register(meters);
    }

    TopicWatch(Admin admin, TopicTraffic traffic, RecordCounter counter, Clock clock) {
        this(admin, traffic, counter, clock, List.of());
    }

    TopicWatch(Admin admin, TopicTraffic traffic, RecordCounter counter, Clock clock, List<String> partners) {
        this.topics = Topics.all(partners);
        this.admin = admin;
        this.traffic = traffic;
        this.consumption = new TopicTraffic(traffic.window());
        this.counter = counter;
        this.tally = new RecordTally(counter);
        this.clock = clock;
    }

    /** Reads bytes only, as a consumer of the operation would see them: committed records, no markers. */
    static Consumer<byte[], byte[]> countingConsumer(KafkaAdmin kafkaAdmin) {
        Map<String, Object> config = new HashMap<>(kafkaAdmin.getConfigurationProperties());
        config.keySet().removeIf(key -> !ConsumerConfig.configNames().contains(key)
                && !key.startsWith("sasl.") && !key.startsWith("ssl."));
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "ops-console-record-count");
        // A group's committed offset below the partition's first retained one (a group far behind on a topic kept a
        // day) is sought to: from there it has the records still kept to read, not none. Kafka's default, "latest",
        // moved such a seek to the end, and the group's lag read as an exact 0, so no stall or growing lag was shown.
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    public TopicFigures figures() {
        return figures;
    }

    /** Grows with every reading, so a reader can tell that the figures are fresh. */
    public long version() {
        return version;
    }

    @Scheduled(initialDelay = 0, fixedDelayString = "${homecoming.console.topic-poll-interval:5s}")
    void read() {
        try {
            figures = readFigures(clock.instant());
            version++;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            // The broker may be restarting; the page keeps the last figures and shows when they were read.
            log.warn("Cannot read topic figures from the broker: {}", e.toString());
        }
    }

    TopicFigures readFigures(Instant now) throws ExecutionException, InterruptedException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        List<String> watched = new ArrayList<>();
        for (Topic<?, ?> topic : topics) {
            watched.add(topic.name());
            watched.add(topic.deadLetterTopic());
        }
        watched.retainAll(existing);
        List<TopicPartition> partitions = new ArrayList<>();
        if (!watched.isEmpty()) {
            Map<String, TopicDescription> described = admin.describeTopics(watched).allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            described.values().forEach(description -> description.partitions().forEach(partition ->
                    partitions.add(new TopicPartition(description.name(), partition.partition()))));
        }

        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = committedOffsets();
        Set<TopicPartition> needingEnd = new HashSet<>(partitions);
        committed.values().forEach(offsets -> needingEnd.addAll(offsets.keySet()));
        // The last stable offset: what a read_committed consumer can reach now (an open transaction stops it).
        Map<TopicPartition, Long> end = offsets(needingEnd, OffsetSpec.latest(), IsolationLevel.READ_COMMITTED);
        Map<TopicPartition, Long> start = offsets(partitions, OffsetSpec.earliest(), IsolationLevel.READ_UNCOMMITTED);

        Map<TopicPartition, long[]> ranges = new HashMap<>();
        Map<String, Long> endByTopic = new HashMap<>();
        for (TopicPartition partition : partitions) {
            long endOffset = end.getOrDefault(partition, 0L);
            ranges.put(partition, new long[] {Math.min(start.getOrDefault(partition, endOffset), endOffset), endOffset});
            endByTopic.merge(partition.topic(), endOffset, Long::sum);
        }
        Map<String, Map<TopicPartition, Long>> positions = new HashMap<>();
        committed.forEach((groupId, offsets) -> {
            Map<TopicPartition, Long> byPartition = new HashMap<>();
            offsets.forEach((partition, offset) -> {
                if (offset != null) {
                    byPartition.put(partition, offset.offset());
                }
            });
            positions.put(groupId, byPartition);
        });
        RecordTally.Reading reading = tally.read(ranges, positions, end);

        Map<String, RecordTally.Figure> heldByTopic = new HashMap<>();
        Map<String, Long> writtenByTopic = new HashMap<>();
        reading.held().forEach((partition, figure) -> heldByTopic.merge(partition.topic(), figure, RecordTally.Figure::plus));
        reading.written().forEach((partition, written) -> writtenByTopic.merge(partition.topic(), written, Long::sum));
        traffic.record(now, writtenByTopic);
        Map<String, Double> rates = traffic.recordsPerSecond();
        Map<String, Long> consumedByEdge = new HashMap<>();
        reading.consumed().forEach((groupId, byTopic) ->
                byTopic.forEach((topic, consumed) -> consumedByEdge.put(edge(groupId, topic), consumed)));
        consumption.record(now, consumedByEdge);
        Map<String, Double> consumedRates = consumption.recordsPerSecond();

        List<TopicRate> topics = new ArrayList<>();
        List<DeadLetterCount> deadLetters = new ArrayList<>();
        for (Topic<?, ?> topic : this.topics) {
            RecordTally.Figure records = heldByTopic.get(topic.name());
            if (records != null) {
                topics.add(new TopicRate(topic.name(), records.records(), rates.get(topic.name()), records.exact()));
            }
            RecordTally.Figure dead = heldByTopic.get(topic.deadLetterTopic());
            if (dead != null) {
                deadLetters.add(new DeadLetterCount(topic.deadLetterTopic(), topic.name(), dead.records(), dead.exact()));
            }
        }
        synchronized (deadLetterRecords) {
            deadLetters.forEach(count -> deadLetterRecords.put(count.topic(), count.records()));
        }
        synchronized (endOffsets) {
            endOffsets.putAll(endByTopic);
        }

        List<GroupLag> groups = new ArrayList<>();
        committed.forEach((groupId, offsets) -> {
            Set<String> topicsOfGroup = new TreeSet<>();
            offsets.keySet().forEach(partition -> topicsOfGroup.add(partition.topic()));
            RecordTally.Figure lag = reading.lag().get(groupId);
            Map<String, Double> consumed = new HashMap<>();
            topicsOfGroup.forEach(topic -> {
                Double rate = consumedRates.get(edge(groupId, topic));
                if (rate != null) {
                    consumed.put(topic, rate);
                }
            });
            groups.add(new GroupLag(groupId, lag.records(), List.copyOf(topicsOfGroup), lag.exact(), Map.copyOf(consumed)));
        });
        groups.sort((a, b) -> a.groupId().compareTo(b.groupId()));
        if (groupLag != null) {
            groupLag.register(groups.stream().map(group ->
                    MultiGauge.Row.of(Tags.of("group", group.groupId()), group.lag())).toList(), true);
        }
        return new TopicFigures(now, topics, deadLetters, groups);
    }

    /**
     * Committed offsets of every consumer group that has committed any. Groups that never commit (this
     * console, one-off readers) have no lag to speak of and are left out.
     */
    private Map<String, Map<TopicPartition, OffsetAndMetadata>> committedOffsets()
            throws ExecutionException, InterruptedException, TimeoutException {
        Collection<GroupListing> groups = admin.listGroups(ListGroupsOptions.forConsumerGroups()).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (groups.isEmpty()) {
            return Map.of();
        }
        Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
        shown(groups.stream().map(GroupListing::groupId).toList()).forEach(groupId -> specs.put(groupId, new ListConsumerGroupOffsetsSpec()));
        Map<String, Map<TopicPartition, OffsetAndMetadata>> committed = new HashMap<>(
                admin.listConsumerGroupOffsets(specs).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        committed.values().removeIf(Map::isEmpty);
        return committed;
    }

    private Map<TopicPartition, Long> offsets(Collection<TopicPartition> partitions, OffsetSpec spec,
                                              IsolationLevel isolation)
            throws ExecutionException, InterruptedException, TimeoutException {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(partition -> request.put(partition, spec));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        admin.listOffsets(request, new ListOffsetsOptions(isolation)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .forEach((partition, info) -> offsets.put(partition, info.offset()));
        return offsets;
    }

    /** The group ids this console shows, the first {@link #MAX_GROUPS} of them by name. */
    static List<String> shown(Collection<String> groupIds) {
        return groupIds.stream().filter(groupId -> SHOWN_GROUP.matcher(groupId).matches()).sorted().limit(MAX_GROUPS).toList();
    }

    /** One read edge of the lineage: a group and a topic it reads (group ids are {@link #SHOWN_GROUP}s: no newline). */
    private static String edge(String groupId, String topic) {
        return groupId + "\n" + topic;
    }

    private static double recordsIn(Map<String, Long> records, String topic) {
        synchronized (records) {
            return records.getOrDefault(topic, 0L);
        }
    }

    @Override
    public void destroy() {
        admin.close(Duration.ofSeconds(5));
        counter.close();
    }
}
