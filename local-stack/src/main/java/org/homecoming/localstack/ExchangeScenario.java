package org.homecoming.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import org.homecoming.synthetic.buses.BusTrackers;
import org.homecoming.synthetic.buses.CrossingRoad;
import org.homecoming.synthetic.buses.PositionSink;

/**
 * Plays stage 1 of the exchange against the running services through their public REST APIs, the way
 * the partner systems, the hotline and the reception point would:
 * <ol>
 *   <li>the two rounds of stage 1 and their release lists (390 people each way, CSV with Cyrillic names);</li>
 *   <li>relatives' inquiries, written the way relatives write names (Latin spellings, swapped order, no
 *       patronymic, only a birth year), one for a person on no list, one for a person later withdrawn;</li>
 *   <li>a last-minute amendment of the list: a withdrawal and corrected names;</li>
 *   <li>buses with their manifests, driven across the border in accelerated time by their GPS trackers
 *       (the workshop's {@link BusTrackers}, which send readings to transport's public positions endpoint);</li>
 *   <li>a wife who arrives at the hospital without knowing her husband was freed registers late;</li>
 *   <li>hand-overs at the reception point and admissions at the hospital;</li>
 * </ol>
 * and prints what happened and where to look. The people are synthetic.
 */
final class ExchangeScenario {

    static final String RECEIVING_ROUND = "agr-2026-11-s1-ru-ua";
    static final String FACILITY = "chernihiv-regional-hospital";
    /** How many times a caseworker decides one match: once, and again on what it is after a 409 (bounded). */
    static final int DECISION_TRIES = 3;

    private final Settings settings;
    private final Path scenarioData;
    // each step acts as the role that does it in the field, with that account's token
    private final Api listOffice;
    private final Api transportOffice;
    private final BusTrackers trackers;
    private final Api reception;
    private final Api hotline;
    private final Api caseworkers;
    private final GreenMail mail;
    private final PrintStream out;
    private final Map<String, Inquiry> inquiries = new LinkedHashMap<>();

    /** How much of the operation to play: the local stack plays it all, the end-to-end test a slice. */
    record Settings(int buses, int personsPerBus, int inquiries, double speedup, Duration patience) {
        static Settings full() {
            return new Settings(8, 49, 24, 900, Duration.ofMinutes(4));
        }
    }

    /** The variation of the second inquiry of a relative who registered twice. */
    static final String REGISTERED_TWICE = "registered twice (same mother)";

    /** An inquiry the scenario registered, and what a caseworker would know is the truth about it. */
    record Inquiry(String inquiryId, String variation, String soughtPersonId, String email) {
    }

    /**
     * @param scenarioData the folder of the scenario's rounds and lists (synthetic's {@code scenario/})
     * @param road         the crossing the buses drive, from transport's GeoJSON
     */
    ExchangeScenario(Settings settings, Path scenarioData, CrossingRoad road, String rosterUrl, String transportUrl,
                     String reunificationUrl, DemoAccounts accounts, GreenMail mail, PrintStream out) {
        this.settings = settings;
        this.scenarioData = scenarioData;
        this.listOffice = new Api(rosterUrl, accounts.accessToken(DemoAccounts.LIST_OFFICER));
        this.transportOffice = new Api(transportUrl, accounts.accessToken(DemoAccounts.TRANSPORT_OFFICER));
        // the trackers are a partner's system: they send positions with their own client's token
        this.trackers = new BusTrackers(road, Api.patiently(Api.eitherInstance(transportUrl,
                url -> PositionSink.overHttp(url, accounts.accessToken(DemoAccounts.TRACKERS)))));
        this.reception = new Api(transportUrl, accounts.accessToken(DemoAccounts.RECEPTION));
        this.hotline = new Api(reunificationUrl, accounts.accessToken(DemoAccounts.HOTLINE));
        this.caseworkers = new Api(reunificationUrl, accounts.accessToken(DemoAccounts.CASEWORKER));
        this.mail = mail;
        this.out = out;
    }

    Map<String, Inquiry> inquiries() {
        return inquiries;
    }

    void play() throws IOException, InterruptedException {
        Instant start = Instant.now();
        List<ListedPerson> toUkraine = ListedPerson.read(scenarioData.resolve("stage-1-released-by-ru.csv"));

        step("1. Stage 1 is agreed: two rounds, 390 people each way");
        for (JsonNode round : Api.json(Files.readString(scenarioData.resolve("rounds.json")))) {
            JsonNode recorded = listOffice.post("/api/v1/rounds", round);
            say("round %s: %s releases, %s receives, %d soldiers + %d civilians planned",
                    recorded.path("roundId").asText(), recorded.path("releasingSide").asText(),
                    recorded.path("receivingSide").asText(), recorded.path("plannedSoldiers").asInt(),
                    recorded.path("plannedCivilians").asInt());
        }
        publishList(RECEIVING_ROUND, "s1-ru-list", "stage-1-released-by-ru.csv");
        publishList("agr-2026-11-s1-ua-ru", "s1-ua-list", "stage-1-released-by-ua.csv");

        step("2. Relatives register inquiries at the hotline");
        registerInquiries(toUkraine);
        awaitQuietly("alerts that people are on the release list", Duration.ofSeconds(30), () -> mail.getReceivedMessages().length >= 1);
        // The family of the person withdrawn in step 3 hears first that he is on the list: an alert whose match falls
        // before it goes out is withheld, and this story is about what happens after the family was told.
        inquiries.values().stream().filter(inquiry -> inquiry.variation().startsWith("withdrawn")).findFirst().ifPresent(told -> {
            try {
                awaitQuietly("the alert to the family of a person about to be withdrawn", Duration.ofSeconds(60),
                        () -> caseworkers.get("/api/v1/inquiries/" + told.inquiryId() + "/alerts").findValuesAsText("delivery")
                                .contains("DELIVERED"));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        say("%d e-mails sent so far (people on the list; the text warns that lists can change)", mail.getReceivedMessages().length);

        step("3. The list changes at the last minute");
        publishList(RECEIVING_ROUND, "s1-ru-list", "stage-1-released-by-ru-amended.csv");
        List<ListedPerson> travelling = ListedPerson.read(scenarioData.resolve("stage-1-released-by-ru-amended.csv"));

        step("4. Buses leave for the border");
        List<String> busIds = registerBuses(travelling);
        try (BusTrackers.Convoy convoy = trackers.drive(busIds, settings.speedup(), 42)) {
            say("trackers on %d buses: %d GPS readings planned, %s of road time in accelerated time (x%.0f)",
                    busIds.size(), convoy.readingsPlanned(), convoy.simulatedDuration(), settings.speedup());
            await("the first bus to depart", convoy, () -> busIds.stream().anyMatch(this::departed));
            moveRounds("IN_PROGRESS");
            await("every bus to cross the border", convoy, () -> countBuses(busIds, "crossedBorderAt") == busIds.size());
            say("all %d buses crossed the border into Chernihiv region", busIds.size());

            step("5. A wife arrives at the hospital, not knowing her husband was freed");
            ListedPerson husband = travelling.get(1);
            registerInquiry("late: registered after the border crossing", husband,
                    List.of(name(husband.surname(), husband.givenName(), null)), husband.birthDate(), null, "uk");

            await("every bus to arrive at the reception point", convoy, () -> countBuses(busIds, "arrivedAt") == busIds.size());
            say("all buses arrived");
        }

        step("6. Hand-over at the reception point, then the hospital");
        handOver(busIds, travelling);
        // Every bus has closed its hand-overs (handovers-complete): the exchange of stage 1 is over.
        moveRounds("COMPLETED");

        step("7. Caseworkers review what the matcher could not decide alone");
        review();

        awaitQuietly("the last alerts to be delivered", Duration.ofSeconds(30), () -> false);
        summary(Duration.between(start, Instant.now()));
    }

    private void publishList(String roundId, String listId, String file) throws IOException {
        JsonNode published = listOffice.postCsv("/api/v1/rounds/" + roundId + "/lists?listId=" + listId,
                Files.readString(scenarioData.resolve(file), StandardCharsets.UTF_8));
        say("list %s v%d: %d persons (%d listed, %d withdrawn, %d corrected) checksum %s…",
                published.path("listId").asText(), published.path("version").asInt(), published.path("entryCount").asInt(),
                published.path("listedCount").asInt(), published.path("withdrawnCount").asInt(),
                published.path("correctedCount").asInt(), published.path("checksum").asText("").substring(0, 12));
    }

    private void registerInquiries(List<ListedPerson> listed) {
        // Every fourth person has a relative looking for them, written the way relatives write.
        List<String> variations = List.of("as on the list", "Latin spelling, no patronymic", "surname and given name swapped",
                "only the birth year known");
        int registered = 0;
        for (int i = 0; registered < settings.inquiries() && i < listed.size(); i += 4) {
            ListedPerson person = listed.get(i);
            String variation = variations.get(registered % variations.size());
            if (variation.startsWith("Latin") && (person.surnameLatin() == null || person.givenNameLatin() == null)) {
                variation = "surname and given name swapped"; // this row of the list carries no Latin spelling
            }
            String language = List.of("uk", "uk", "ru", "en").get(registered % 4);
            switch (variation) {
                case "as on the list" -> registerInquiry(variation, person,
                        List.of(name(person.surname(), person.givenName(), person.patronymic())), person.birthDate(), null, language);
                case "Latin spelling, no patronymic" -> registerInquiry(variation, person,
                        List.of(name(person.surnameLatin(), person.givenNameLatin(), null)), person.birthDate(), null, language);
                case "surname and given name swapped" -> registerInquiry(variation, person,
                        List.of(name(person.givenName(), person.surname(), null)), person.birthDate(), null, language);
                default -> registerInquiry(variation, person,
                        List.of(name(person.surname(), person.givenName(), person.patronymic())), null,
                        person.birthDate() == null ? null : Integer.parseInt(person.birthDate().substring(0, 4)), language);
            }
            registered++;
        }
        // A family does not know whether their person is in captivity at all: he is on no list.
        registerInquiry("not on any list", null, List.of(name("Кравчук", "Богдан", "Миколайович")), "1991-03-08", null, "uk");
        // Someone on the first version of the list who will be withdrawn from it.
        listed.stream().filter(person -> person.personId().equals("s1-ua-0121")).findFirst().ifPresent(withdrawn ->
                registerInquiry("withdrawn from the list later", withdrawn,
                        List.of(name(withdrawn.surname(), withdrawn.givenName(), withdrawn.patronymic())), withdrawn.birthDate(), null, "uk"));
        // A mother who called the hotline twice: the second operator typed her son's name the other way round. One
        // family: each news reaches her address once (the second inquiry's alerts are withheld as already told).
        inquiries.values().stream().filter(inquiry -> inquiry.variation().equals("as on the list")).findFirst()
                .ifPresent(first -> listed.stream().filter(person -> person.personId().equals(first.soughtPersonId())).findFirst()
                        .ifPresent(son -> registerInquiry(REGISTERED_TWICE, son, List.of(name(son.givenName(), son.surname(),
                                son.patronymic())), son.birthDate(), null, "uk", first.email())));
        say("%d inquiries registered (%s)", inquiries.size(), String.join(", ",
                new TreeSet<>(inquiries.values().stream().map(Inquiry::variation).toList())));
    }

    private void registerInquiry(String variation, ListedPerson sought, List<Map<String, Object>> names, String birthDate,
                                 Integer birthYear, String language) {
        registerInquiry(variation, sought, names, birthDate, birthYear, language, null);
    }

    /** @param sameRelativeAs the e-mail of a relative who registered before and calls again; null for a new one */
    private void registerInquiry(String variation, ListedPerson sought, List<Map<String, Object>> names, String birthDate,
                                 Integer birthYear, String language, String sameRelativeAs) {
        int n = inquiries.size() + 1;
        String email = sameRelativeAs == null ? "relative-" + n + "@families.example" : sameRelativeAs;
        Map<String, Object> soughtPerson = new LinkedHashMap<>();
        soughtPerson.put("names", names);
        soughtPerson.put("birthDate", birthDate);
        soughtPerson.put("birthYear", birthYear);
        soughtPerson.put("category", sought == null ? "SOLDIER" : sought.category());
        Map<String, Object> relative = new LinkedHashMap<>();
        relative.put("name", "Relative " + n);
        relative.put("relationship", n % 3 == 0 ? "mother" : n % 3 == 1 ? "wife" : "brother");
        relative.put("language", language);
        relative.put("consentGiven", true);
        relative.put("email", email);
        JsonNode answer = hotline.post("/api/v1/inquiries", Map.of("sought", soughtPerson, "relative", relative));
        String inquiryId = answer.path("inquiryId").asText();
        inquiries.put(inquiryId, new Inquiry(inquiryId, variation, sought == null ? null : sought.personId(), email));
    }

    private List<String> registerBuses(List<ListedPerson> travelling) {
        List<String> busIds = new ArrayList<>();
        int index = 0;
        for (int bus = 1; bus <= settings.buses() && index < travelling.size(); bus++) {
            List<String> personIds = new ArrayList<>();
            while (personIds.size() < settings.personsPerBus() && index < travelling.size()) {
                personIds.add(travelling.get(index++).personId());
            }
            String busId = "s1-bus-%02d".formatted(bus);
            // the demo partner's trackers report every bus of the scenario: its own intake topic is the only Kafka door
            // for these buses' positions. The simulator below drives them through transport's REST door instead, with
            // the trackers' client, which each manifest names: no other client's token may position these buses.
            transportOffice.post("/api/v1/buses", Map.of("busId", busId, "roundId", RECEIVING_ROUND, "personIds", personIds,
                    "origin", "gomel-assembly-point", "receptionPoint", "chernihiv-reception-point",
                    "trackedBy", KafkaCredentials.DEMO_PARTNER, "trackerClient", DemoAccounts.TRACKERS.clientId()));
            busIds.add(busId);
        }
        say("%d buses registered with %d people on their manifests", busIds.size(), index);
        return busIds;
    }

    private void handOver(List<String> busIds, List<ListedPerson> travelling) {
        int handedOver = 0;
        int unverified = 0;
        int admitted = 0;
        List<String> triage = List.of("MINOR", "DELAYED", "MINOR", "URGENT", "MINOR", "DELAYED", "MINOR", "IMMEDIATE");
        for (String busId : busIds) {
            List<String> manifest = manifestOf(busId, travelling);
            // The last person of the first bus is kept back for medical reasons: a discrepancy for ops.
            int keptBack = busId.equals(busIds.get(0)) ? 1 : 0;
            for (int i = 0; i < manifest.size() - keptBack; i++) {
                String personId = manifest.get(i);
                // Two people per bus arrive without documents: identity not yet verified, no alert for them.
                boolean verified = i % 25 != 7;
                reception.post("/api/v1/handovers", Map.of("personId", personId, "busId", busId, "identityVerified", verified,
                        "triageLevel", triage.get(i % triage.size()), "destinationFacility", FACILITY));
                handedOver++;
                unverified += verified ? 0 : 1;
                if (verified && i % 2 == 0) {
                    reception.post("/api/v1/admissions", Map.of("personId", personId, "facility", FACILITY));
                    admitted++;
                }
            }
            JsonNode discrepancies = reception.post("/api/v1/buses/" + busId + "/handovers-complete", Map.of());
            discrepancies.forEach(found -> say("discrepancy on %s: %s %s", busId, found.path("personId").asText(),
                    found.path("discrepancy").asText()));
        }
        say("%d people handed over (%d without verified identity), %d admitted at %s", handedOver, unverified, admitted, FACILITY);
    }

    private List<String> manifestOf(String busId, List<ListedPerson> travelling) {
        int bus = Integer.parseInt(busId.substring(busId.length() - 2));
        int from = (bus - 1) * settings.personsPerBus();
        return travelling.subList(from, Math.min(from + settings.personsPerBus(), travelling.size())).stream()
                .map(ListedPerson::personId).toList();
    }

    private void review() throws InterruptedException {
        awaitQuietly("matches to settle", Duration.ofSeconds(5), () -> false);
        // the queue's largest page: the scenario's queue is far shorter even at ten times stage 1
        JsonNode queue = caseworkers.get("/api/v1/matches?status=REVIEW&limit=1000");
        int confirmed = 0;
        int rejected = 0;
        for (JsonNode match : queue) {
            Inquiry inquiry = inquiries.get(match.path("inquiryId").asText());
            if (inquiry != null && inquiry.variation().startsWith("withdrawn")) {
                // A withdrawal is for a caseworker to explain to the family by phone; it stays in the queue.
                continue;
            }
            boolean right = inquiry != null && match.path("personId").asText().equals(inquiry.soughtPersonId());
            try {
                if (!decide(caseworkers, match, right)) {
                    say("did not decide %s: it is no longer proposed (rejected or retracted since the queue was read)",
                            match.path("matchId").asText());
                } else if (right) {
                    confirmed++;
                } else {
                    rejected++;
                }
            } catch (IllegalStateException refused) {
                say("could not decide %s: %s", match.path("matchId").asText(), refused.getMessage());
            }
        }
        say("review queue had %d matches: %d confirmed, %d rejected", queue.size(), confirmed, rejected);
    }

    /**
     * The caseworker confirms ({@code right}) or rejects a match as she read it. Who decided comes from her token, not
     * from the body; the version says what she decided on, so a match that changed since she read it (another decision,
     * a correction) is refused 409, not overridden. She then reads the match again and decides on what it is now, up to
     * {@link #DECISION_TRIES} decisions in all, and leaves it only once it is no longer proposed. Before, a 409 left the
     * match undecided in the queue, though it was still there to decide on a version the queue had not shown her.
     *
     * @return whether she decided it; false when it was no longer proposed
     * @throws Api.Refused when the service refuses otherwise than 409, or still 409 at the last try
     */
    static boolean decide(Api caseworkers, JsonNode read, boolean right) {
        String matchId = read.path("matchId").asText();
        String path = "/api/v1/matches/" + matchId + (right ? "/confirm" : "/reject");
        String reason = right ? "photo and unit confirmed by the family" : "different person: unit and capture place differ";
        JsonNode match = read;
        for (int tries = 1; ; tries++) {
            try {
                caseworkers.post(path, Map.of("reason", reason, "version", match.path("version").asText()));
                return true;
            } catch (Api.Refused refused) {
                if (refused.status() != 409 || tries >= DECISION_TRIES) {
                    throw refused;
                }
                // a 409 retryable (a write of the inquiry met hers) is decided afresh too: the version read again is the same
                match = proposed(caseworkers, matchId);
                if (match == null) {
                    return false;
                }
            }
        }
    }

    /** The match as listed now in review, auto-matched or confirmed; null when it is none of these. */
    private static JsonNode proposed(Api caseworkers, String matchId) {
        for (String status : List.of("REVIEW", "AUTO_MATCHED", "CONFIRMED")) {
            for (JsonNode match : caseworkers.get("/api/v1/matches?status=" + status + "&limit=1000")) {
                if (matchId.equals(match.path("matchId").asText())) {
                    return match;
                }
            }
        }
        return null;
    }

    private void summary(Duration took) {
        step("What happened");
        say("%-34s %-12s %s", "inquiry (how the name was written)", "sought", "alerts (milestones)");
        int alerts = 0;
        for (Inquiry inquiry : inquiries.values()) {
            Set<String> milestones = new TreeSet<>();
            caseworkers.get("/api/v1/inquiries/" + inquiry.inquiryId() + "/alerts")
                    .forEach(alert -> milestones.add(alert.path("milestone").asText()));
            alerts += milestones.size();
            say("%-34s %-12s %s", inquiry.variation(), inquiry.soughtPersonId() == null ? "-" : inquiry.soughtPersonId(),
                    milestones.isEmpty() ? "none" : String.join(", ", milestones));
        }
        inquiries.values().stream().filter(inquiry -> inquiry.variation().equals(REGISTERED_TWICE)).forEach(twice -> {
            long toHer = Arrays.stream(mail.getReceivedMessages()).filter(message -> sentTo(message, twice.email())).count();
            say("the mother registered twice (%s): %d e-mails at her address for her two inquiries, one per news", twice.email(), toHer);
        });
        say("");
        say("%d alerts issued, %d e-mails received by the mail sink, review queue now %d, scenario took %ds",
                alerts, mail.getReceivedMessages().length, caseworkers.get("/api/v1/matches?status=REVIEW&limit=1000").size(),
                took.toSeconds());
        say("Look at: the ops console http://127.0.0.1:8080, the APIs' /swagger-ui.html, the registry");
        say("http://127.0.0.1:8085/apis/ccompat/v7/subjects, and the services' logs in the data folder.");
    }

    private static boolean sentTo(MimeMessage message, String address) {
        try {
            return message.getAllRecipients() != null
                    && Arrays.stream(message.getAllRecipients()).anyMatch(to -> to.toString().equalsIgnoreCase(address));
        } catch (MessagingException unreadable) {
            return false;
        }
    }

    /** Both rounds of the stage move together: the exchange happens on both sides at once. */
    private void moveRounds(String status) {
        for (String roundId : List.of(RECEIVING_ROUND, "agr-2026-11-s1-ua-ru")) {
            listOffice.post("/api/v1/rounds/" + roundId + "/status", Map.of("status", status));
        }
        say("rounds of stage 1 are %s", status.replace('_', ' ').toLowerCase());
    }

    private boolean departed(String busId) {
        return !"REGISTERED".equals(transportOffice.get("/api/v1/buses/" + busId).path("state").asText("REGISTERED"));
    }

    private int countBuses(List<String> busIds, String field) {
        int count = 0;
        for (String busId : busIds) {
            JsonNode bus = transportOffice.get("/api/v1/buses/" + busId);
            if (!bus.path(field).isMissingNode() && !bus.path(field).isNull()) {
                count++;
            }
        }
        return count;
    }

    private void await(String what, BusTrackers.Convoy convoy, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(settings.patience());
        while (!condition.getAsBoolean()) {
            if (!convoy.failures().isEmpty()) {
                throw new IllegalStateException("The trackers stopped while waiting for " + what + ": " + convoy.failures());
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Gave up waiting for " + what + " after " + settings.patience());
            }
            Thread.sleep(500);
        }
    }

    private void awaitQuietly(String what, Duration atMost, BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(atMost);
        while (!condition.getAsBoolean() && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
        }
    }

    private static Map<String, Object> name(String surname, String givenName, String patronymic) {
        Map<String, Object> name = new LinkedHashMap<>();
        name.put("surname", surname);
        name.put("givenName", givenName);
        name.put("patronymic", patronymic);
        return name;
    }

    private void step(String title) {
        out.println();
        out.println("== " + title);
    }

    private void say(String format, Object... args) {
        out.println("   " + format.formatted(args));
    }
}
