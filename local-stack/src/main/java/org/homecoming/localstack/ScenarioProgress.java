package org.homecoming.localstack;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import org.homecoming.localstack.faults.History;

/**
 * The scenario's progress as a fault-injection run reads it (the step it is at, the calls in flight: the moments of the
 * kills), and the client's history: what the services acknowledged, which the history check holds the topics to.
 */
final class ScenarioProgress implements Api.Observer {

    private final GreenMail mail;
    private final Map<String, Instant> inFlight = new ConcurrentHashMap<>();
    private final Map<String, String> startedOn = new ConcurrentHashMap<>();
    private final Set<History.ListVersionKey> listVersions = ConcurrentHashMap.newKeySet();
    private final Set<String> buses = ConcurrentHashMap.newKeySet();
    private final Set<String> handovers = ConcurrentHashMap.newKeySet();
    private final Set<String> admissions = ConcurrentHashMap.newKeySet();
    private final Set<String> inquiryIds = ConcurrentHashMap.newKeySet();
    /** Buses seen across the border, and inquiries registered: the moments of the later kills. */
    final Set<String> crossed = ConcurrentHashMap.newKeySet();
    final AtomicInteger inquiries = new AtomicInteger();
    /** Calls the client had to send again (a service or broker was down), and how many of those went to another instance. */
    final AtomicInteger retried = new AtomicInteger();
    final AtomicInteger movedInstance = new AtomicInteger();
    /** What is away at the moment (the fault-injection run's faults), and the 5xx answers while each was away. */
    volatile Supplier<Collection<String>> away = List::of;
    private final Map<String, AtomicInteger> serverErrorsWhileAway = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> refusalsForAnAbsence = new ConcurrentHashMap<>();
    private final List<String> serverErrorsOfServicesUp = new CopyOnWriteArrayList<>();
    /** The problem types of a refusal for another process's absence (ProblemAccessResponses, ProblemResponses). */
    private static final String IDENTITY_UNAVAILABLE = "identity-provider-unavailable";
    /** Every refusal for the registry's absence names it: "Schema registry unavailable", "… the schema registry is …". */
    private static final String REGISTRY_UNAVAILABLE = "schema registry";
    volatile String step = "";
    /** E-mails received when the current step began. */
    volatile int mailsAtStep;

    ScenarioProgress(GreenMail mail) {
        this.mail = mail;
    }

    @Override
    public void started(String method, String baseUrl, String path) {
        inFlight.put(method + " " + path, Instant.now());
        startedOn.put(method + " " + path, baseUrl);
    }

    @Override
    public void serverError(String method, String path, int status, String said) {
        Collection<String> awayNow = away.get();
        awayNow.forEach(process -> serverErrorsWhileAway.computeIfAbsent(process, unused -> new AtomicInteger()).incrementAndGet());
        if (!awayNow.isEmpty() && !awayNow.contains(answeredBy(path))) {
            boolean fromAnAbsence = status == 500 || said.contains(IDENTITY_UNAVAILABLE)
                    || said.toLowerCase(Locale.ROOT).contains(REGISTRY_UNAVAILABLE);
            if (fromAnAbsence) {
                awayNow.forEach(process -> refusalsForAnAbsence.computeIfAbsent(process, unused -> new AtomicInteger())
                        .incrementAndGet());
            }
            if (serverErrorsOfServicesUp.size() < 20) {
                serverErrorsOfServicesUp.add("%s %s answered %d at %s while away: %s (%s)".formatted(method, path, status,
                        Instant.now(), String.join(", ", awayNow), said.length() > 300 ? said.substring(0, 300) + "…" : said));
            }
        }
    }

    /**
     * The 5xx answers, while {@code process} was away, of a service that was not away itself, that an absence can
     * cause: the identity provider's (503 identity-provider-unavailable), the schema registry's (503, also when the
     * registry is up but its token cannot be renewed), or an error nobody handled (500). A service that is starting
     * again may answer 503 until it is ready, and one that has just started until its stream processor has its state
     * ("not available on this instance yet"): that is its own restart, and it is printed, not counted.
     */
    int refusalsForAnAbsence(String process) {
        AtomicInteger counted = refusalsForAnAbsence.get(process);
        return counted == null ? 0 : counted.get();
    }

    /** The first 5xx answers of services that were up while something else was away, with what they said. */
    List<String> serverErrorsOfServicesUp() {
        return List.copyOf(serverErrorsOfServicesUp);
    }

    /** The service that answers a path of the scenario's calls. */
    static String answeredBy(String path) {
        if (path.startsWith("/api/v1/rounds")) {
            return "roster-service";
        }
        if (path.startsWith("/api/v1/buses") || path.startsWith("/api/v1/handovers") || path.startsWith("/api/v1/admissions")) {
            return "transport-service";
        }
        return "reunification-service";
    }

    /** The 5xx answers received while {@code process} was away. */
    int serverErrorsWhileAway(String process) {
        AtomicInteger counted = serverErrorsWhileAway.get(process);
        return counted == null ? 0 : counted.get();
    }

    @Override
    public void finished(Api.Call call) {
        String key = call.method() + " " + call.path();
        inFlight.remove(key);
        String firstTried = startedOn.remove(key);
        if (call.attempts() > 1) {
            retried.incrementAndGet();
            if (firstTried != null && !firstTried.equals(call.baseUrl())) {
                movedInstance.incrementAndGet();
            }
        }
        if (call.status() / 100 != 2) {
            return;
        }
        JsonNode answer = call.answer();
        String path = call.path();
        if (call.method().equals("POST") && path.contains("/lists?listId=")) {
            listVersions.add(new History.ListVersionKey(answer.path("listId").asText(), answer.path("version").asInt()));
        } else if (call.method().equals("POST") && path.equals("/api/v1/buses")) {
            buses.add(Api.json(call.requestBody()).path("busId").asText());
        } else if (call.method().equals("POST") && path.equals("/api/v1/handovers")) {
            handovers.add(Api.json(call.requestBody()).path("personId").asText());
        } else if (call.method().equals("POST") && path.equals("/api/v1/admissions")) {
            admissions.add(Api.json(call.requestBody()).path("personId").asText());
        } else if (call.method().equals("POST") && path.equals("/api/v1/inquiries")) {
            inquiryIds.add(answer.path("inquiryId").asText());
            inquiries.incrementAndGet();
        } else if (call.method().equals("GET") && path.startsWith("/api/v1/buses/")
                && !answer.path("crossedBorderAt").isMissingNode() && !answer.path("crossedBorderAt").isNull()) {
            crossed.add(answer.path("busId").asText(path));
        }
    }

    /** The scenario's output, passed through to {@code out}; its "== N. ..." lines move the step on. */
    PrintStream tap(PrintStream out) {
        return new PrintStream(new Lines(out, this::line), true, StandardCharsets.UTF_8);
    }

    private void line(String line) {
        if (line.startsWith("== ")) {
            mailsAtStep = mail.getReceivedMessages().length;
            step = line.substring(3);
        }
    }

    boolean inFlightFor(String pathPart, Duration atLeast) {
        Instant now = Instant.now();
        return inFlight.entrySet().stream().anyMatch(call -> call.getKey().contains(pathPart)
                && Duration.between(call.getValue(), now).compareTo(atLeast) >= 0);
    }

    String describe() {
        Instant now = Instant.now();
        List<String> calls = inFlight.entrySet().stream()
                .map(call -> call.getKey().replaceAll("\\?.*", "") + " for " + Duration.between(call.getValue(), now).toMillis() + " ms")
                .toList();
        return "step " + step.replaceAll(":.*", "").replaceAll("^(\\d+)\\..*", "$1") + "; in flight: "
                + (calls.isEmpty() ? "no request" : String.join(", ", calls)) + "; " + inquiries.get() + " inquiries, "
                + crossed.size() + " buses crossed, " + mail.getReceivedMessages().length + " e-mails so far";
    }

    History.Acknowledged acknowledged() {
        return new History.Acknowledged(Set.copyOf(listVersions), Set.copyOf(buses), Set.copyOf(handovers),
                Set.copyOf(admissions), Set.copyOf(inquiryIds));
    }

    /** Waits until the mail sink has received nothing new for 30 s: the last alerts delivered (at most 5 minutes). */
    void awaitQuietMail() {
        System.out.println("\n   waiting for the system to settle (no new e-mail for 30 s) ...");
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        int seen = -1;
        Instant quietSince = Instant.now();
        while (Instant.now().isBefore(deadline)) {
            int now = mail.getReceivedMessages().length;
            if (now != seen) {
                seen = now;
                quietSince = Instant.now();
            } else if (Duration.between(quietSince, Instant.now()).compareTo(Duration.ofSeconds(30)) >= 0) {
                return;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Passes the scenario's output through, and each whole line to a listener. */
    private static final class Lines extends OutputStream {
        private final PrintStream out;
        private final Consumer<String> listener;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        Lines(PrintStream out, Consumer<String> listener) {
            this.out = out;
            this.listener = listener;
        }

        @Override
        public synchronized void write(int b) {
            out.write(b);
            if (b == '\n') {
                listener.accept(line.toString(StandardCharsets.UTF_8).strip());
                line.reset();
            } else {
                line.write(b);
            }
        }

        @Override
        public void flush() {
            out.flush();
        }
    }
}
