package org.homecoming.benchmarks.endtoend;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import org.homecoming.testkit.TestTokens;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.homecoming.catalogue.Topic;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.common.PersonName;
import org.homecoming.events.common.Side;
import org.homecoming.events.reunification.AlertChannel;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.events.reunification.Language;
import org.homecoming.events.reunification.MatchDecided;
import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.events.reunification.Milestone;
import org.homecoming.events.reunification.Relative;
import org.homecoming.events.reunification.SealedContact;
import org.homecoming.events.reunification.SoughtPerson;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.transport.PersonHandedOver;
import org.homecoming.events.transport.TriageLevel;
import org.homecoming.platform.kafka.TopicProvisioning;
import org.homecoming.synthetic.labelled.LabelledSetGenerator;
import org.homecoming.synthetic.labelled.LabelledSetGenerator.SyntheticPerson;
import org.homecoming.synthetic.labelled.WrittenName;
import org.homecoming.synthetic.labelled.WrittenPerson;
import org.homecoming.testkit.KraftBroker;
import org.homecoming.testkit.RegistryProcess;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

/**
 * End to end, arrival to alert: a real KRaft broker and Apicurio registry in this JVM, the reunification service as
 * its own process (its exec jar, its own heap), and a load of hand-overs on {@code transport.person-arrivals}.
 *
 * <p>The service's state is preloaded the way it is rebuilt after a restart: N open inquiries, M of them matched
 * (AUTO_MATCHED) to a listed person whose LISTED_FOR_RELEASE alert already went out, with the pairing group's offsets
 * committed at the end of its input topics. The service rebuilds that state at start-up, then the driver sends
 * arrivals of the M matched persons at a fixed rate and measures, for each, the time from the arrival record's
 * timestamp to the moment its ARRIVED AlertIssued is visible to a read_committed consumer of
 * {@code reunification.alerts}. All clocks are this machine's.
 *
 * <p>System properties: inquiries (N, default 100000), matched (M, default 60000), rate (arrivals/s, default 2000),
 * seconds (default 30), serviceJar, serviceHeap (default 512m), serviceJvmOptions (space-separated), registryHome,
 * histogram (true: a class histogram of the service's heap when it is ready and after the run, histogram-ready.txt and
 * histogram.txt in benchmarks/target/end-to-end).
 */
public final class ArrivalToAlertDriver {

    static final Instant LISTED_AT = Instant.parse("2026-03-01T08:00:00Z");
    /**
     * The matching benchmark's population (its generator and seed): some 750 surnames in both genders, every given name
     * of the workshop's table, dates over 60 years. An earlier preload drew from 16 surnames and 39 given names, so each
     * listed person had hundreds of namesakes among a million inquiries, which no real list has.
     */
    static final long PEOPLE_SEED = 20261127L;

    private ArrivalToAlertDriver() {
    }

    public static void main(String[] args) throws Exception {
        int inquiries = Integer.getInteger("inquiries", 100_000);
        int matched = Integer.getInteger("matched", 60_000);
        int rate = Integer.getInteger("rate", 2_000);
        int seconds = Integer.getInteger("seconds", 30);
        Path serviceJar = Path.of(System.getProperty("serviceJar", "reunification-service/target/reunification-service-0.1.0-SNAPSHOT-exec.jar"));
        String serviceHeap = System.getProperty("serviceHeap", "512m");
        Path registryHome = Path.of(System.getProperty("registryHome", "target/apicurio-registry"));
        int arrivals = Math.min(matched, rate * seconds);
        Path work = Files.createDirectories(Path.of("benchmarks/target/end-to-end"));
        System.out.printf("inquiries=%d matched=%d arrivals=%d rate=%d/s serviceHeap=%s%n", inquiries, matched, arrivals, rate, serviceHeap);

        EmbeddedKafkaKraftBroker broker = KraftBroker.start(Map.of("log.dirs", work.resolve("kafka-" + System.nanoTime()).toAbsolutePath().toString()));
        Process service = null;
        try (RegistryProcess registry = RegistryProcess.startOnFreePort(registryHome.toAbsolutePath(), broker.getBrokersAsString(),
                work.resolve("registry.log"))) {
            String bootstrap = broker.getBrokersAsString();
            createTopics(bootstrap);
            long preloadStart = System.nanoTime();
            preload(bootstrap, registry.url(), inquiries, matched);
            commitPairingOffsets(bootstrap);
            System.out.printf("preload: %d records in %d s%n", inquiries + 3L * matched, secondsSince(preloadStart));

            int port = org.homecoming.testkit.FreePorts.next();
            long startAt = System.nanoTime();
            List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx" + serviceHeap, "-Xms" + serviceHeap,
                    "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=org.homecoming.events"));
            String jvmOptions = System.getProperty("serviceJvmOptions", "").trim();
            if (!jvmOptions.isEmpty()) {
                command.addAll(List.of(jvmOptions.split("\\s+")));
            }
            command.addAll(List.of("-jar", serviceJar.toAbsolutePath().toString(),
                    "--spring.kafka.bootstrap-servers=" + bootstrap,
                    "--homecoming.registry.url=" + registry.url(),
                    "--server.port=" + port,
                    "--reunification.delivery.enabled=false",
                    "--management.health.mail.enabled=false",
                    // its own contact-data KEK and vault, made at the first run; the preloaded inquiries are plaintext,
                    // and re-sealing them (the retention sweep) is kept out of the measurement
                    "--reunification.retention.first-sweep-after=P1D",
                    "--reunification.contact-keys.keystore=" + work.resolve("contact-kek.p12").toAbsolutePath(),
                    "--reunification.contact-keys.keystore-password=benchmark-only",
                    "--reunification.contact-keys.create-keystore=true",
                    "--reunification.contact-keys.vault=" + work.resolve("contact-keys-" + System.nanoTime()).toAbsolutePath()));
            // its metrics need the ops-viewer role: the driver signs its own tokens
            command.addAll(TestTokens.resourceServerArguments());
            service = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(work.resolve("service.log").toFile()).start();
            awaitReady(service, port, Duration.ofMinutes(15));
            long readyIn = secondsSince(startAt);
            if (Boolean.getBoolean("histogram")) {
                // first, at the moment readiness turned UP: its full GC shows what is live then
                classHistogram(service, work.resolve("histogram-ready.txt"));
            }
            System.out.printf("service ready (state rebuilt) in %d s; heap used after GC: %d MB%n", readyIn,
                    heapAfterGc(service, port) / (1024 * 1024));

            Result result = measure(bootstrap, registry.url(), arrivals, rate);
            result.print();
            System.out.printf("service heap used after GC, after the run: %d MB (of -Xmx%s)%n",
                    heapAfterGc(service, port) / (1024 * 1024), serviceHeap);
            if (Boolean.getBoolean("histogram")) {
                classHistogram(service, work.resolve("histogram.txt"));
            }
        } finally {
            if (service != null) {
                service.destroy();
                if (!service.waitFor(20, TimeUnit.SECONDS)) {
                    service.destroyForcibly();
                }
            }
            broker.destroy();
        }
    }

    // ------------------------------------------------------------------ set-up

    static void createTopics(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            // Exactly as the service declares them (retention too): its start-up check refuses topics that differ.
            admin.createTopics(TopicProvisioning.declareAll(1, 0)).all().get(60, TimeUnit.SECONDS);
        }
    }

    static String inquiryId(int i) {
        return UUID.nameUUIDFromBytes(("benchmark-inquiry-" + i).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String personId(int i) {
        return "person-" + i;
    }

    /** The written name as the events carry it: the first form written. */
    static PersonName name(WrittenPerson written) {
        WrittenName name = written.names().get(0);
        return new PersonName(name.surname(), name.givenName(), name.patronymic());
    }

    /**
     * A relative's contact data as the service writes it (sealed since v3: {@code 0x01 | nonce | ciphertext | tag} per
     * field, see reunification's AesGcm): random bytes of the sizes a name and an e-mail address seal to. Delivery is
     * off, so nothing opens them; an inquiry in plaintext would be one written before sealing, which the service keeps
     * on its heap until retention re-publishes it sealed.
     */
    static SealedContact sealedContact(int i) {
        return SealedContact.newBuilder().setKeyId(UUID.nameUUIDFromBytes(("key-" + i).getBytes(StandardCharsets.UTF_8)).toString())
                .setName(sealedBytes(("Synthetic relative " + i).length()))
                .setEmail(sealedBytes(("relative-" + i + "@example.org").length()))
                .build();
    }

    private static ByteBuffer sealedBytes(int plaintextLength) {
        byte[] sealed = new byte[1 + 12 + plaintextLength + 16];
        ThreadLocalRandom.current().nextBytes(sealed);
        sealed[0] = 1;
        return ByteBuffer.wrap(sealed);
    }

    static void preload(String bootstrap, String registryUrl, int inquiries, int matched) throws Exception {
        AvroKafkaSerializer<Object> serializer = avroSerializer(registryUrl);
        // the hand-over's schema is in the registry before the service starts, as transport registers it when it
        // starts; serializing one publishes nothing
        serializer.serialize(Topics.PERSON_ARRIVALS.name(), sampleHandover());
        try (KafkaProducer<String, Object> producer = avroProducer(bootstrap, serializer)) {
            AtomicReference<Exception> failure = new AtomicReference<>();
            Instant now = Instant.now();
            LabelledSetGenerator people = new LabelledSetGenerator(PEOPLE_SEED);
            for (int i = 0; i < inquiries; i++) {
                String inquiryId = inquiryId(i);
                SyntheticPerson person = people.nextPerson();
                // a matched person is listed as the relative wrote them, so the matcher, scoring again at start-up,
                // confirms the preloaded match; the other inquiries are written as relatives write them
                WrittenPerson listed = people.listingOf(person);
                WrittenPerson sought = i < matched ? listed : people.inquiryAbout(person);
                InquiryRegistered inquiry = new InquiryRegistered(inquiryId, 1,
                        SoughtPerson.newBuilder().setNames(List.of(name(sought))).setBirthDate(sought.birthDate())
                                .setBirthYear(sought.birthYear()).setCategory(sought.category()).build(),
                        Relative.newBuilder().setRelationship("wife").setLanguage(Language.UK).setConsentGiven(true)
                                .setSealed(sealedContact(i)).build(),
                        now, now, null);
                producer.send(new ProducerRecord<>(Topics.INQUIRIES.name(), inquiryId, inquiry), (metadata, e) -> failure.compareAndSet(null, e));
                if (i < matched) {
                    String personId = personId(i);
                    producer.send(new ProducerRecord<>(Topics.LISTED_PERSONS.name(), personId, PersonListingChanged.newBuilder()
                            .setPersonId(personId).setChange(ListingChange.LISTED).setRoundId("round-1").setListId("list-1")
                            .setListVersion(1).setReleasingSide(Side.RU).setNativeName(name(listed)).setBirthDate(listed.birthDate())
                            .setCategory(listed.category()).setChangedAt(LISTED_AT).build()), (metadata, e) -> failure.compareAndSet(null, e));
                    producer.send(new ProducerRecord<>(Topics.MATCHES.name(), inquiryId, MatchDecided.newBuilder()
                            .setMatchId(UUID.randomUUID().toString()).setInquiryId(inquiryId).setPersonId(personId)
                            .setStatus(MatchStatus.AUTO_MATCHED).setScore(20.0).setEvidence(List.of()).setDecidedBy("matcher")
                            .setReason("auto-match").setDecidedAt(now).setInquiryRevision(1).setPersonChangedAt(LISTED_AT)
                            .build()), (metadata, e) -> failure.compareAndSet(null, e));
                    producer.send(new ProducerRecord<>(Topics.ALERTS.name(), inquiryId, AlertIssued.newBuilder()
                            .setAlertId(UUID.randomUUID().toString()).setInquiryId(inquiryId).setPersonId(personId)
                            .setMilestone(Milestone.LISTED_FOR_RELEASE).setLanguage(Language.UK).setChannel(AlertChannel.EMAIL)
                            .setIssuedAt(now).build()), (metadata, e) -> failure.compareAndSet(null, e));
                }
                if (failure.get() != null) {
                    throw failure.get();
                }
            }
            producer.flush();
            if (failure.get() != null) {
                throw failure.get();
            }
        }
    }

    /** The pairing group has processed everything preloaded: the service takes it as history, not as new input. */
    static void commitPairingOffsets(String bootstrap) throws Exception {
        List<Topic<?, ?>> inputs = List.of(Topics.LISTED_PERSONS, Topics.BUS_MANIFESTS, Topics.BUS_MOVEMENTS, Topics.PERSON_ARRIVALS,
                Topics.FACILITY_ADMISSIONS, Topics.INQUIRIES, Topics.MATCHES);
        Map<String, Object> config = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Topic<?, ?> topic : inputs) {
                for (int p = 0; p < topic.partitions(); p++) {
                    partitions.add(new TopicPartition(topic.name(), p));
                }
            }
            consumer.endOffsets(partitions).forEach((partition, end) -> offsets.put(partition, new OffsetAndMetadata(end)));
            admin.alterConsumerGroupOffsets("reunification-pairing", offsets).all().get(60, TimeUnit.SECONDS);
        }
    }

    // ------------------------------------------------------------------ the measured run

    /** Latencies by arrival number (-1: no alert seen); the first {@code warmUp} arrivals are reported apart. */
    record Result(int sent, int received, long[] latenciesMs, Phases phases, int warmUp, int rate, double sendSeconds, double spanSeconds) {
        void print() {
            System.out.printf(Locale.ROOT, "arrivals sent: %d in %.1f s (%.0f/s offered)%n", sent, sendSeconds, sent / sendSeconds);
            System.out.printf(Locale.ROOT, "ARRIVED alerts received: %d; sustained %.0f arrivals/s (first send to last alert: %.1f s)%n",
                    received, received / spanSeconds, spanSeconds);
            report("all arrivals", 0, sent);
            report("after the first " + warmUp + " (JIT warm-up)", warmUp, sent);
            // arrivals go out in order at a fixed rate, so the n-th second's are a slice: this shows where a slow start ends
            StringBuilder bySecond = new StringBuilder("p99 ms by second of sending:");
            for (int from = 0; from < sent; from += rate) {
                long[] sorted = Arrays.stream(latenciesMs, from, Math.min(sent, from + rate)).filter(latency -> latency >= 0).sorted().toArray();
                bySecond.append(' ').append(sorted.length == 0 ? "-" : Long.toString(at(sorted, 0.99)));
            }
            System.out.println(bySecond);
            // the first second in tenths: where in it the slow arrivals are
            StringBuilder byTenth = new StringBuilder("p99 ms by tenth of the first second:");
            for (int from = 0; from < Math.min(sent, rate); from += Math.max(1, rate / 10)) {
                long[] sorted = Arrays.stream(latenciesMs, from, Math.min(sent, from + Math.max(1, rate / 10))).filter(latency -> latency >= 0).sorted().toArray();
                byTenth.append(' ').append(sorted.length == 0 ? "-" : Long.toString(at(sorted, 0.99)));
            }
            System.out.println(byTenth);
            phases.report("first second", 0, Math.min(sent, rate));
            phases.report("after the first second", Math.min(sent, rate), sent);
        }

        void report(String label, int from, int to) {
            long[] sorted = Arrays.stream(latenciesMs, from, to).filter(latency -> latency >= 0).sorted().toArray();
            if (sorted.length > 0) {
                System.out.printf(Locale.ROOT, "latency arrival->alert ms, %s (%d): p50=%d p90=%d p99=%d p99.9=%d max=%d%n", label,
                        sorted.length, at(sorted, 0.50), at(sorted, 0.90), at(sorted, 0.99), at(sorted, 0.999), sorted[sorted.length - 1]);
            }
        }

        static long at(long[] sorted, double quantile) {
            if (sorted.length == 0) {
                return -1;
            }
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
        }
    }

    /**
     * Where an arrival's time went, in three phases that add up to its latency: the driver's own {@code send} call (its
     * producer's metadata and serializer; the arrival is not on Kafka before it returns), from the send call's return to
     * the alert's record timestamp (the service's producer stamps it when the service sends the alert: the arrival's
     * batching and fetch, the service's processing), and from that stamp until this driver's read_committed consumer
     * saw it (the service's commit, the fetch, the driver's deserializer). All on this machine's clock, in ms.
     */
    record Phases(long[] sendCall, long[] toAlertSent, long[] toSeen) {
        Phases(int arrivals) {
            this(filled(arrivals), filled(arrivals), filled(arrivals));
        }

        private static long[] filled(int n) {
            long[] values = new long[n];
            Arrays.fill(values, -1);
            return values;
        }

        void report(String label, int from, int to) {
            System.out.printf(Locale.ROOT, "phases ms, %s: driver send call %s | send return -> alert sent by the service %s | alert sent -> seen read_committed %s%n",
                    label, quantiles(sendCall, from, to), quantiles(toAlertSent, from, to), quantiles(toSeen, from, to));
        }

        private static String quantiles(long[] values, int from, int to) {
            long[] sorted = Arrays.stream(values, from, to).filter(value -> value >= 0).sorted().toArray();
            return sorted.length == 0 ? "-" : "p50=" + Result.at(sorted, 0.5) + " p99=" + Result.at(sorted, 0.99) + " max=" + sorted[sorted.length - 1];
        }
    }

    static Result measure(String bootstrap, String registryUrl, int arrivals, int rate) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        long[] latencies = new long[arrivals];
        Arrays.fill(latencies, -1);
        Phases phases = new Phases(arrivals);
        AtomicLongArray sendReturned = new AtomicLongArray(arrivals);
        AtomicInteger received = new AtomicInteger();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger otherInquiries = new AtomicInteger();
        Set<String> alertIds = new HashSet<>();
        AtomicLong lastReceived = new AtomicLong();
        AvroKafkaDeserializer<AlertIssued> deserializer = alertDeserializer(registryUrl);
        KafkaConsumer<String, AlertIssued> consumer = alertConsumer(bootstrap, deserializer);
        AvroKafkaSerializer<Object> serializer = avroSerializer(registryUrl);
        KafkaProducer<String, Object> producer = avroProducer(bootstrap, serializer);
        if (Boolean.parseBoolean(System.getProperty("warmDriverClients", "true"))) {
            warmDriverClients(registryUrl, producer, serializer, deserializer);
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < Topics.ALERTS.partitions(); p++) {
            partitions.add(new TopicPartition(Topics.ALERTS.name(), p));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        Thread reader = new Thread(() -> {
            try (consumer) {
                while (received.get() < arrivals && !Thread.currentThread().isInterrupted()) {
                    for (ConsumerRecord<String, AlertIssued> record : consumer.poll(Duration.ofMillis(50))) {
                        long now = System.currentTimeMillis();
                        if (record.value().getMilestone() == Milestone.ARRIVED) {
                            String personId = record.value().getPersonId();
                            Long sent = sentAt.get(personId);
                            if (sent != null) {
                                int arrival = Integer.parseInt(personId.substring("person-".length()));
                                if (!alertIds.add(record.value().getAlertId())) {
                                    duplicates.incrementAndGet();
                                } else if (latencies[arrival] >= 0) {
                                    // a second inquiry about the same person: its relative is told too, not counted twice
                                    otherInquiries.incrementAndGet();
                                } else {
                                    received.incrementAndGet();
                                    latencies[arrival] = now - sent;
                                    phases.toSeen()[arrival] = Math.max(0, now - record.timestamp());
                                    phases.toAlertSent()[arrival] = Math.max(0, record.timestamp() - sendReturned.get(arrival));
                                    lastReceived.set(now);
                                }
                            }
                        }
                    }
                }
            } catch (org.apache.kafka.common.errors.InterruptException stopped) {
                // the measurement stopped waiting for more alerts (15 s after the last one) and interrupted this reader
            }
        }, "alert-reader");
        reader.start();

        long firstSend = System.currentTimeMillis();
        System.out.println("first arrival sent at " + Instant.ofEpochMilli(firstSend));
        long started = System.nanoTime();
        try (producer) {
            long tickNanos = TimeUnit.MILLISECONDS.toNanos(10);
            int perTick = Math.max(1, rate / 100);
            int next = 0;
            long tick = 0;
            while (next < arrivals) {
                long due = started + tick * tickNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                for (int k = 0; k < perTick && next < arrivals; k++, next++) {
                    String personId = personId(next);
                    long now = System.currentTimeMillis();
                    sentAt.put(personId, now);
                    producer.send(new ProducerRecord<>(Topics.PERSON_ARRIVALS.name(), null, now, personId,
                            new PersonHandedOver(personId, "bus-" + (next / 50), "round-1", Instant.ofEpochMilli(now), true,
                                    TriageLevel.DELAYED, "Chernihiv Regional Hospital", true, "chernihiv-regional-hospital")));
                    long returned = System.currentTimeMillis();
                    sendReturned.set(next, returned);
                    phases.sendCall()[next] = returned - now;
                }
                tick++;
            }
            producer.flush();
        }
        double sendSeconds = (System.nanoTime() - started) / 1e9;
        // every arrival but a few (a person whose only pair went to review) is alerted: once no alert came for 15 s
        // after the last send, the rest are not coming. At most 120 s.
        long sentAll = System.currentTimeMillis();
        long waitUntil = sentAll + TimeUnit.SECONDS.toMillis(120);
        while (reader.isAlive() && System.currentTimeMillis() < waitUntil
                && System.currentTimeMillis() - Math.max(sentAll, lastReceived.get()) < TimeUnit.SECONDS.toMillis(15)) {
            reader.join(200);
        }
        reader.interrupt();
        reader.join(TimeUnit.SECONDS.toMillis(10));
        System.out.printf("duplicate ARRIVED alerts seen (an alert id twice): %d; ARRIVED alerts to a second inquiry about the same person: %d%n",
                duplicates.get(), otherInquiries.get());
        int count = Math.min(received.get(), arrivals);
        double span = Math.max(1, lastReceived.get() - firstSend) / 1000.0;
        return new Result(arrivals, count, latencies, phases, Math.min(arrivals / 3, rate * 10), rate, sendSeconds, span);
    }

    // ------------------------------------------------------------------ plumbing

    static KafkaProducer<String, Object> avroProducer(String bootstrap, String registryUrl) {
        return avroProducer(bootstrap, avroSerializer(registryUrl));
    }

    static AvroKafkaSerializer<Object> avroSerializer(String registryUrl) {
        Map<String, Object> config = new HashMap<>(serde(registryUrl));
        config.put("apicurio.registry.auto-register", true);
        AvroKafkaSerializer<Object> serializer = new AvroKafkaSerializer<>();
        serializer.configure(config, false);
        return serializer;
    }

    static KafkaProducer<String, Object> avroProducer(String bootstrap, AvroKafkaSerializer<Object> serializer) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        return new KafkaProducer<>(config, new StringSerializer(), serializer);
    }

    static AvroKafkaDeserializer<AlertIssued> alertDeserializer(String registryUrl) {
        Map<String, Object> config = new HashMap<>(serde(registryUrl));
        config.put("apicurio.registry.use-specific-avro-reader", true);
        AvroKafkaDeserializer<AlertIssued> deserializer = new AvroKafkaDeserializer<>();
        deserializer.configure(config, false);
        return deserializer;
    }

    static KafkaConsumer<String, AlertIssued> alertConsumer(String bootstrap, AvroKafkaDeserializer<AlertIssued> deserializer) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(config, new StringDeserializer(), deserializer);
    }

    /**
     * The driver's own clients, made ready before the first measured arrival, publishing nothing: the producer's
     * metadata of the arrivals topic, its serializer's schema of a hand-over (registered now, as transport registers its
     * schemas when it starts, not at the first measured send), and its consumer's deserializer's schema of an alert as
     * the service writes it (the latest version, looked up by id once per deserializer). Without this, the measured
     * latency included the driver's first registry calls, before the arrival was on Kafka and after the alert was.
     */
    static PersonHandedOver sampleHandover() {
        return new PersonHandedOver("person-warm-up", "bus-warm-up", "round-1", Instant.now(), true, TriageLevel.DELAYED,
                "Chernihiv Regional Hospital", true, "chernihiv-regional-hospital");
    }

    static void warmDriverClients(String registryUrl, KafkaProducer<String, Object> producer, AvroKafkaSerializer<Object> serializer,
                                  AvroKafkaDeserializer<AlertIssued> deserializer) {
        long started = System.nanoTime();
        producer.partitionsFor(Topics.PERSON_ARRIVALS.name());
        serializer.serialize(Topics.PERSON_ARRIVALS.name(), sampleHandover());
        Map<String, Object> asTheServiceWrites = new HashMap<>(serde(registryUrl));
        asTheServiceWrites.put("apicurio.registry.auto-register", false);
        asTheServiceWrites.put("apicurio.registry.find-latest", true);
        try (AvroKafkaSerializer<Object> service = new AvroKafkaSerializer<>()) {
            service.configure(asTheServiceWrites, false);
            byte[] alert = service.serialize(Topics.ALERTS.name(), AlertIssued.newBuilder().setAlertId(UUID.randomUUID().toString())
                    .setInquiryId(inquiryId(0)).setPersonId(personId(0)).setMilestone(Milestone.ARRIVED).setLanguage(Language.UK)
                    .setChannel(AlertChannel.EMAIL).setIssuedAt(Instant.now()).build());
            deserializer.deserialize(Topics.ALERTS.name(), alert);
        }
        System.out.printf("driver's clients warmed in %d ms (nothing published)%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    static Map<String, Object> serde(String registryUrl) {
        return Map.of("apicurio.registry.url", registryUrl + "/apis/registry/v3",
                "apicurio.registry.use-id", "contentId",
                "apicurio.registry.id-handler", "io.apicurio.registry.serde.Default4ByteIdHandler",
                "apicurio.registry.headers.enabled", false);
    }

    static void awaitReady(Process service, int port, Duration timeout) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("The service exited with " + service.exitValue() + "; see benchmarks/target/end-to-end/service.log");
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still rebuilding its state
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        throw new IllegalStateException("The service was not ready within " + timeout);
    }

    /** Heap in use after a full GC (jcmd GC.run), as the service's own actuator reports it. */
    static long heapAfterGc(Process service, int port) throws Exception {
        new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(service.pid()), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(60, TimeUnit.SECONDS);
        String body = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + port + "/actuator/metrics/jvm.memory.used?tag=area:heap"))
                        .header("Authorization", TestTokens.bearer("benchmark", "ops-viewer")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Matcher value = Pattern.compile("\"value\"\\s*:\\s*([0-9.Ee+]+)").matcher(body);
        return value.find() ? (long) Double.parseDouble(value.group(1)) : -1;
    }

    /** The live classes of the service's heap (jcmd GC.class_histogram: a full GC first), written to {@code file}. */
    static void classHistogram(Process service, Path file) throws Exception {
        new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(service.pid()),
                "GC.class_histogram").redirectErrorStream(true).redirectOutput(file.toFile())
                .start().waitFor(60, TimeUnit.SECONDS);
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static long secondsSince(long nanos) {
        return TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - nanos);
    }
}
