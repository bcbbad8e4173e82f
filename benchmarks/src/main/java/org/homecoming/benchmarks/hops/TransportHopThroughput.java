package org.homecoming.benchmarks.hops;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.BusPositionReported;
import org.homecoming.testkit.KraftBroker;
import org.homecoming.testkit.RegistryProcess;
import org.homecoming.testkit.TopicProbe;
import org.homecoming.transport.TransportApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * The transport hop (partner GPS reading on its own {@code intake.bus-positions.<partner>} → validated (the bus bound to
 * that partner by its manifest), exactly-once Kafka Streams
 * → {@code transport.bus-positions}) against Kafka's own {@code ProducerPerformance}, on the same broker, in the
 * same run, for the same record size. Target: the hop keeps at least 30% of ProducerPerformance's records/s.
 *
 * <p>The readings are loaded into the intake topic while transport is stopped, then transport starts and works
 * through the backlog: the figure is the service's own pace, not the load driver's.
 *
 * <p>Run: {@code java -cp "benchmarks/target/classes:benchmarks/target/lib/*" -Dhomecoming.registry.home=target/apicurio-registry
 * org.homecoming.benchmarks.hops.TransportHopThroughput [records [--instances=N] [--service.property=value ...]]}
 *
 * <p>Without {@code --instances} the service works through the backlog in the benchmark's JVM. With
 * {@code --instances=N} it runs as N processes of its own (same application id, one {@code group.instance.id} and
 * state directory each), so one and two instances are compared the same way; the CPU each process used between the
 * first and the last output is printed, next to the benchmark JVM's (broker and counting consumer) and the machine's.
 */
public final class TransportHopThroughput {

    private static final Pattern RATE = Pattern.compile("([0-9.]+) records/sec");
    /** The partner whose trackers report every bus of the benchmark, and its intake topic. */
    private static final String PARTNER = "bench-partner";
    private static final Topic<String, BusPositionReported> INTAKE = Topics.busPositionIntake(PARTNER);

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int instances = 0;
        List<String> serviceOptions = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].startsWith("--instances=")) {
                instances = Integer.parseInt(args[i].substring("--instances=".length()));
            } else {
                serviceOptions.add(args[i]);
            }
        }
        int buses = 100;
        Path scratch = Files.createTempDirectory("homecoming-hop");
        System.setProperty("java.io.tmpdir", scratch.toString());

        EmbeddedKafkaKraftBroker broker = KraftBroker.start();
        RegistryProcess registry = RegistryProcess.startOnFreePort(
                Path.of(System.getProperty(RegistryProcess.HOME_PROPERTY, "target/apicurio-registry")), broker.getBrokersAsString(),
                scratch.resolve("registry.log"));
        String bootstrap = broker.getBrokersAsString();
        System.setProperty("spring.kafka.bootstrap-servers", bootstrap);
        System.setProperty("homecoming.registry.url", registry.url());
        List<String> common = new ArrayList<>(List.of("--server.port=0", "--spring.kafka.bootstrap-servers=" + bootstrap,
                "--homecoming.registry.url=" + registry.url(), "--logging.level.root=WARN", "--homecoming.partners=" + PARTNER));
        // Any further arguments tune the service, e.g. --spring.kafka.streams.properties.num.stream.threads=2
        common.addAll(serviceOptions);
        String[] transportArgs = instanceArgs(common, scratch, 1).toArray(String[]::new);
        try {
            // 1. Transport declares the topics and registers the schemas; the manifests make the buses known.
            ConfigurableApplicationContext transport = start(transportArgs);
            try (KafkaProducer<String, Object> producer = avroProducer()) {
                for (int bus = 0; bus < buses; bus++) {
                    producer.send(new ProducerRecord<>(Topics.BUS_MANIFESTS.name(), busId(bus), BusManifestRegistered.newBuilder()
                            .setBusId(busId(bus)).setRoundId("bench-round").setPersonIds(List.of("bench-person-" + bus))
                            .setOrigin("gomel-assembly-point").setReceptionPoint("chernihiv-reception-point")
                            .setRegisteredAt(Instant.now()).setTrackedBy(PARTNER).build()));
                }
            }
            transport.close();

            // 2. The backlog: readings along the road north of the border, a second apart per bus.
            int recordSize;
            Instant loadStart = Instant.now();
            try (KafkaProducer<String, Object> producer = avroProducer()) {
                Instant t0 = Instant.now().minus(Duration.ofSeconds(records / buses + 60));
                for (int i = 0; i < records; i++) {
                    int bus = i % buses;
                    producer.send(new ProducerRecord<>(INTAKE.name(), busId(bus), BusPositionReported.newBuilder()
                            .setBusId(busId(bus)).setLatitude(52.30 - (i / buses) * 1e-5).setLongitude(30.95)
                            .setSpeedKmh(55.0).setRecordedAt(t0.plusSeconds(i / buses)).build()));
                }
                producer.flush();
                recordSize = sampleSize();
            }
            System.out.printf("Loaded %,d readings of %d bytes into %s in %d ms%n", records, recordSize,
                    INTAKE.name(), Duration.between(loadStart, Instant.now()).toMillis());

            // 3. Kafka's own producer on the same broker, same record count and size.
            double baseline = producerPerformance(bootstrap, records, recordSize);

            // 4. Transport works through the backlog; the output is counted as a read_committed consumer sees it.
            Map<TopicPartition, Long> before = endOffsets(bootstrap, Topics.BUS_POSITIONS.name());
            Instant started = Instant.now();
            HopTiming timing;
            if (instances == 0) {
                ConfigurableApplicationContext again = start(transportArgs);
                CpuUse cpu = new CpuUse(List.of());
                timing = countOutput(bootstrap, before, records, Duration.ofMinutes(10), cpu::atFirstOutput, cpu::atLastOutput);
                again.close();
                cpu.print(List.of());
            } else {
                List<Process> processes = new ArrayList<>();
                try {
                    for (int instance = 1; instance <= instances; instance++) {
                        processes.add(startProcess(instanceArgs(common, scratch, instance), scratch, instance));
                    }
                    CpuUse cpu = new CpuUse(processes);
                    timing = countOutput(bootstrap, before, records, Duration.ofMinutes(10), cpu::atFirstOutput, cpu::atLastOutput);
                    cpu.print(processes);
                } finally {
                    stopAll(processes);
                }
            }
            double hop = records / (Duration.between(timing.first(), timing.last()).toMillis() / 1000.0);
            double overall = records / (Duration.between(started, timing.last()).toMillis() / 1000.0);

            System.out.printf("%nProducerPerformance (acks=all, idempotent): %,.0f records/s%n", baseline);
            System.out.printf("transport hop, intake -> validated positions (exactly_once_v2, %s): %,.0f records/s "
                    + "from first to last output, %,.0f records/s including the service's start%n",
                    instances == 0 ? "1 instance in the benchmark's JVM" : instances + " instance process(es)", hop, overall);
            System.out.printf("hop / ProducerPerformance = %.0f%% (target >= 30%%)%n", 100 * hop / baseline);
        } finally {
            registry.close();
            broker.destroy();
        }
    }

    /** The service's arguments for one instance: its own state directory and static member id. */
    private static List<String> instanceArgs(List<String> common, Path scratch, int instance) {
        List<String> args = new ArrayList<>(common);
        args.add("--spring.kafka.streams.state-dir=" + scratch.resolve("streams-" + instance));
        args.add("--homecoming.transport.instance-id=transport-" + instance);
        return args;
    }

    /** One transport instance as a process of its own, on the benchmark's class path, its output in the scratch directory. */
    private static Process startProcess(List<String> serviceArgs, Path scratch, int instance) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=org.homecoming.events",
                "-Djava.io.tmpdir=" + scratch, "-cp", System.getProperty("java.class.path"),
                TransportApplication.class.getName()));
        command.addAll(serviceArgs);
        Path log = scratch.resolve("transport-" + instance + ".log");
        System.out.printf("Starting transport instance %d as a process (log: %s)%n", instance, log);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void stopAll(List<Process> processes) throws InterruptedException {
        processes.forEach(Process::destroy);
        for (Process process : processes) {
            if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /**
     * CPU time used between the first and the last output: by each instance process, by this JVM (the broker, and the
     * service when it runs here) and by the whole machine (all cores, every process of everyone), from /proc/stat.
     */
    static final class CpuUse {
        private final List<Process> processes;
        private long[] processesAtFirst;
        private long ownAtFirst;
        private long[] machineAtFirst;
        private Instant first;
        private long[] processesAtLast;
        private long ownAtLast;
        private long[] machineAtLast;
        private Instant last;

        CpuUse(List<Process> processes) {
            this.processes = processes;
        }

        void atFirstOutput() {
            first = Instant.now();
            processesAtFirst = processCpu();
            ownAtFirst = ownCpu();
            machineAtFirst = machineJiffies();
        }

        void atLastOutput() {
            last = Instant.now();
            processesAtLast = processCpu();
            ownAtLast = ownCpu();
            machineAtLast = machineJiffies();
        }

        void print(List<Process> processes) {
            double seconds = Duration.between(first, last).toMillis() / 1000.0;
            for (int i = 0; i < processes.size(); i++) {
                double used = (processesAtLast[i] - processesAtFirst[i]) / 1e9;
                System.out.printf("CPU of transport instance %d (pid %d): %.1f s in %.1f s = %.0f%% of one core%n", i + 1,
                        processes.get(i).pid(), used, seconds, 100 * used / seconds);
            }
            double own = (ownAtLast - ownAtFirst) / 1e9;
            System.out.printf("CPU of the benchmark JVM (broker, counting consumer%s): %.1f s = %.0f%% of one core%n",
                    processes.isEmpty() ? ", transport" : "", own, 100 * own / seconds);
            if (machineAtFirst != null && machineAtLast != null) {
                double busy = machineAtLast[0] - machineAtFirst[0];
                double total = machineAtLast[1] - machineAtFirst[1];
                System.out.printf("CPU of the machine: %.0f%% busy over %d cores, load average %s%n", 100 * busy / total,
                        Runtime.getRuntime().availableProcessors(), loadAverage());
            }
        }

        private long[] processCpu() {
            return processes.stream().mapToLong(process -> process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).toArray();
        }

        private static long ownCpu() {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }

        /** {busy, total} jiffies of all cores, or null where there is no /proc/stat. */
        private static long[] machineJiffies() {
            try {
                String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < fields.length; i++) {
                    total += Long.parseLong(fields[i]);
                }
                long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
                return new long[] {total - idle, total};
            } catch (Exception e) {
                return null;
            }
        }

        private static String loadAverage() {
            try {
                return Files.readString(Path.of("/proc/loadavg")).trim().split(" ", 4)[0];
            } catch (Exception e) {
                return "?";
            }
        }
    }

    private static ConfigurableApplicationContext start(String[] args) {
        return new SpringApplicationBuilder(TransportApplication.class).properties(TransportApplication.CONFIG_NAME).run(args);
    }

    private static String busId(int bus) {
        return "bench-bus-%03d".formatted(bus);
    }

    private static KafkaProducer<String, Object> avroProducer() {
        Map<String, Object> config = new HashMap<>(TopicProbe.avroProducerConfig());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        AvroKafkaSerializer<Object> serializer = new AvroKafkaSerializer<>();
        serializer.configure(config, false);
        return new KafkaProducer<>(config, new StringSerializer(), serializer);
    }

    private static int sampleSize() {
        Map<String, Object> config = new HashMap<>(TopicProbe.avroProducerConfig());
        try (AvroKafkaSerializer<Object> serializer = new AvroKafkaSerializer<>()) {
            serializer.configure(config, false);
            return serializer.serialize(INTAKE.name(), BusPositionReported.newBuilder()
                    .setBusId(busId(1)).setLatitude(52.3).setLongitude(30.95).setSpeedKmh(55.0)
                    .setRecordedAt(Instant.now()).build()).length;
        }
    }

    private static double producerPerformance(String bootstrap, int records, int recordSize) throws Exception {
        String topic = "bench.producer-performance";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, INTAKE.partitions(), (short) 1))).all().get();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "org.apache.kafka.tools.ProducerPerformance",
                "--topic", topic, "--num-records", Integer.toString(records), "--record-size", Integer.toString(recordSize),
                "--throughput", "-1", "--producer-props", "bootstrap.servers=" + bootstrap, "acks=all", "linger.ms=20",
                "batch.size=" + 256 * 1024));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        double rate = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.contains("records sent")) {
                    System.out.println("ProducerPerformance: " + line);
                    Matcher matcher = RATE.matcher(line);
                    if (matcher.find()) {
                        rate = Double.parseDouble(matcher.group(1));
                    }
                }
            }
        }
        process.waitFor();
        if (rate < 0) {
            throw new IllegalStateException("ProducerPerformance printed no summary");
        }
        return rate;
    }

    private static Map<TopicPartition, Long> endOffsets(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerConfig(bootstrap),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            return consumer.endOffsets(partitions);
        }
    }

    record HopTiming(Instant first, Instant last) {
    }

    private static HopTiming countOutput(String bootstrap, Map<TopicPartition, Long> from, int expected, Duration timeout,
            Runnable atFirstOutput, Runnable atLastOutput) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerConfig(bootstrap),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            Instant first = null;
            Instant last = null;
            int seen = 0;
            Instant deadline = Instant.now().plus(timeout);
            while (seen < expected && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> ignored : consumer.poll(Duration.ofMillis(100))) {
                    Instant now = Instant.now();
                    if (first == null) {
                        first = now;
                        atFirstOutput.run();
                    }
                    last = now;
                    seen++;
                    if (seen == expected) {
                        atLastOutput.run();
                    }
                }
            }
            if (seen < expected) {
                throw new IllegalStateException("Only " + seen + " of " + expected + " readings came out of the hop");
            }
            // Exactly once: nothing more may follow the last expected reading.
            Instant quiet = Instant.now().plusSeconds(3);
            while (Instant.now().isBefore(quiet)) {
                seen += consumer.poll(Duration.ofMillis(200)).count();
            }
            if (seen != expected) {
                throw new IllegalStateException(seen + " readings came out of the hop for " + expected + " in: duplicates");
            }
            System.out.printf("%,d readings in, %,d out (read_committed): none lost, none duplicated%n", expected, seen);
            return new HopTiming(first, last);
        }
    }

    private static Map<String, Object> consumerConfig(String bootstrap) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        return config;
    }
}
