package org.homecoming.benchmarks.lists;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.homecoming.testkit.TestTokens;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.roster.ReleaseListPublished;
import org.homecoming.roster.RosterApplication;
import org.homecoming.synthetic.lists.ListCsv;
import org.homecoming.synthetic.names.GivenName;
import org.homecoming.synthetic.names.GivenNames;
import org.homecoming.synthetic.names.Surnames;
import org.homecoming.testkit.KraftBroker;
import org.homecoming.testkit.RegistryProcess;
import org.homecoming.testkit.TopicProbe;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import static org.homecoming.synthetic.names.Transliteration.UKRAINIAN;

/**
 * List ingestion: how long the roster takes to validate a 10,000-row CSV release list and publish it in one
 * Kafka transaction (10,000 PersonListingChanged and the ReleaseListPublished header), measured as a client
 * sees it: from sending the HTTP request to the 201 answer, which comes only after the commit.
 *
 * <p>Runs a real KRaft broker (spring-kafka-test) and the real Apicurio registry (child process) in this JVM's
 * machine, starts the roster service on a free port, warms up, then measures new lists, a last-minute
 * amendment of a 10,000-row list (100 persons changed) and an identical re-upload (nothing published).
 * Finally it reads the topics back, read_committed, to check that every measured list is complete.
 * See benchmarks/README.md for the command.
 */
public final class ListIngestionBenchmark {

    static final int ROWS = 10_000;

    private ListIngestionBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int warmups = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int measured = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "org.homecoming.events");
        Path home = Path.of(System.getProperty(RegistryProcess.HOME_PROPERTY, "target/apicurio-registry"));

        EmbeddedKafkaKraftBroker broker = KraftBroker.start();
        try (RegistryProcess registry = RegistryProcess.startOnFreePort(home, broker.getBrokersAsString(),
                Path.of(System.getProperty("java.io.tmpdir"), "apicurio-registry-benchmark.log"))) {
            System.setProperty("spring.kafka.bootstrap-servers", broker.getBrokersAsString());
            System.setProperty("homecoming.registry.url", registry.url());
            try (ConfigurableApplicationContext roster = new SpringApplicationBuilder(RosterApplication.class)
                    .properties(RosterApplication.CONFIG_NAME).run(rosterArguments())) {
                String base = "http://127.0.0.1:" + roster.getEnvironment().getProperty("local.server.port");
                run(new Client(base), warmups, measured);
            }
        } finally {
            broker.destroy();
        }
    }

    private static void run(Client client, int warmups, int measured) throws Exception {
        for (int i = 0; i < warmups; i++) {
            client.newList("warmup-" + i, csv("w" + i, new Random(i), 0));
        }
        long[] publish = new long[measured];
        List<String> lists = new ArrayList<>();
        for (int i = 0; i < measured; i++) {
            String list = "measured-" + i;
            publish[i] = client.newList(list, csv("m" + i, new Random(1000 + i), 0));
            lists.add(list);
        }
        long[] amend = new long[measured];
        long[] identical = new long[measured];
        for (int i = 0; i < measured; i++) {
            // the same persons as the list's first version, 100 of them changed
            String amended = csv("m" + i, new Random(1000 + i), 100);
            amend[i] = client.upload("round-measured-" + i, "measured-" + i, amended, 201);
            identical[i] = client.upload("round-measured-" + i, "measured-" + i, amended, 200);
        }
        verify(lists);
        System.out.printf("%nList ingestion, %,d rows per list, %d warm-ups, %d measured runs%n", ROWS, warmups, measured);
        report("new list: validate + publish 10,001 records in one transaction", publish);
        report("amendment of a 10,000-row list, 100 persons changed", amend);
        report("identical re-upload, nothing published", identical);
    }

    /** Every measured list is on the topics, complete, read_committed: 10,000 LISTED and one header of 10,000. */
    private static void verify(List<String> lists) {
        List<ReleaseListPublished> headers = TopicProbe.readAll(Topics.RELEASE_LISTS).stream()
                .map(record -> record.value()).filter(header -> lists.contains(header.getListId())).toList();
        long listed = TopicProbe.readAll(Topics.LISTED_PERSONS).stream()
                .filter(record -> lists.contains(record.value().getListId()) && record.value().getListVersion() == 1
                        && record.value().getChange() == ListingChange.LISTED)
                .count();
        long firstVersions = headers.stream().filter(header -> header.getVersion() == 1 && header.getEntryCount() == ROWS).count();
        if (firstVersions != lists.size() || listed != (long) ROWS * lists.size()) {
            throw new IllegalStateException("Incomplete publication: " + firstVersions + " headers of " + lists.size()
                    + ", " + listed + " LISTED events of " + (long) ROWS * lists.size());
        }
        System.out.printf("Checked read_committed: %d lists, %,d LISTED events, every header with %,d entries%n",
                lists.size(), listed, ROWS);
    }

    private static void report(String what, long[] nanos) {
        double[] millis = Arrays.stream(nanos).mapToDouble(n -> n / 1_000_000.0).sorted().toArray();
        System.out.printf("%-62s median %7.0f ms   min %7.0f ms   max %7.0f ms   (all: %s)%n", what,
                millis[millis.length / 2], millis[0], millis[millis.length - 1],
                Arrays.stream(millis).mapToObj(m -> String.format("%.0f", m)).toList());
    }

    /**
     * A synthetic 10,000-row list, 70% soldiers; {@code changed} rows get another surname, and as many are
     * replaced by new persons (so an amendment has corrections, withdrawals and new listings).
     */
    static String csv(String prefix, Random random, int changed) {
        StringBuilder csv = new StringBuilder(ROWS * 190).append(ListCsv.HEADER);
        for (int i = 1; i <= ROWS; i++) {
            boolean replaced = changed > 0 && i <= changed / 2;
            boolean corrected = changed > 0 && i > changed / 2 && i <= changed;
            String surname = Surnames.COMMON.get(random.nextInt(Surnames.COMMON.size()));
            GivenName given = GivenNames.MALE.get(random.nextInt(GivenNames.MALE.size()));
            String patronymic = GivenNames.MALE.get(random.nextInt(GivenNames.MALE.size())).ukrainianPatronymic(false);
            LocalDate birth = LocalDate.of(1965, 1, 1).plusDays(random.nextInt(14_000));
            LocalDate capture = LocalDate.of(2024, 6, 1).plusDays(random.nextInt(800));
            boolean soldier = i % 10 < 7;
            csv.append(ListCsv.row(Arrays.asList(prefix + (replaced ? "-new-" : "-") + i,
                    corrected ? surname + "ук" : surname, given.ukrainian(), patronymic, UKRAINIAN.latin(surname),
                    UKRAINIAN.latin(given.ukrainian()), UKRAINIAN.latin(patronymic), birth.toString(),
                    soldier ? "SOLDIER" : "CIVILIAN", soldier ? "в/ч А" + (1000 + random.nextInt(9000)) : null,
                    "Покровськ, Донецька обл.", capture.toString()))).append("\r\n");
        }
        return csv.toString();
    }

    /** The roster trusts the testkit's token issuer: the benchmark times the list, not an identity provider. */
    private static String[] rosterArguments() {
        List<String> arguments = new java.util.ArrayList<>(List.of("--server.port=0"));
        arguments.addAll(TestTokens.resourceServerArguments());
        return arguments.toArray(String[]::new);
    }

    /** The roster's REST API, timed, as a list officer. */
    private record Client(String base, HttpClient http) {

        Client(String base) {
            this(base, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
        }

        long newList(String list, String csv) throws Exception {
            String round = "round-" + list;
            send(HttpRequest.newBuilder(URI.create(base + "/api/v1/rounds"))
                    .header("Content-Type", "application/json")
                    .header("Authorization", TestTokens.bearer("benchmark", "list-officer"))
                    .POST(HttpRequest.BodyPublishers.ofString("""
                            {"roundId": "%s", "agreementReference": "BENCH", "stage": 1, "stageCount": 1,
                             "exchangeDate": "2026-12-05", "releasingSide": "RU", "receivingSide": "UA",
                             "plannedSoldiers": %d, "plannedCivilians": %d}""".formatted(round, ROWS, ROWS)))
                    .build(), 201);
            return upload(round, list, csv, 201);
        }

        long upload(String round, String list, String csv, int expectedStatus) throws Exception {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/rounds/" + round + "/lists?listId=" + list))
                    .header("Content-Type", "text/csv")
                    .header("Authorization", TestTokens.bearer("benchmark", "list-officer"))
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(csv.getBytes(StandardCharsets.UTF_8)))
                    .build();
            long start = System.nanoTime();
            send(request, expectedStatus);
            return System.nanoTime() - start;
        }

        private void send(HttpRequest request, int expectedStatus) throws Exception {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expectedStatus) {
                throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + " instead of "
                        + expectedStatus + ": " + response.body());
            }
        }
    }
}
