package org.homecoming.localstack.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which process the fault-injection run kills ({@code kill -9}), or takes away (the mail server), and at which moment
 * of the scenario, and what then happened: when each fault was injected, what was in flight, and when the supervisor had the process back. The
 * moments are where a crash can lose or double something: a list publication's transaction, a border crossing in a
 * Kafka Streams application, a batch of matches, an e-mail between sending and recording it.
 */
public final class FaultSchedule {

    public enum Target {
        ROSTER("roster-service"), TRANSPORT("transport-service"), REUNIFICATION("reunification-service"),
        REGISTRY("schema registry"), BROKER("Kafka broker"), MAIL("mail server"), IDENTITY("identity provider");

        private final String process;

        Target(String process) {
            this.process = process;
        }

        public String process() {
            return process;
        }
    }

    /** A fault to inject: the process, and the scenario's moment it waits for. */
    public record Planned(Target target, String moment) {
    }

    /** A fault as it happened; {@code recovered} is empty until the process is back (ready again). */
    public record Injected(Planned planned, Instant at, String inFlight, Optional<Instant> recovered) {

        public Optional<Duration> recovery() {
            return recovered.map(back -> Duration.between(at, back));
        }
    }

    /** How long the mail server is away: longer than every delivery retry of one alert, which took seconds. */
    public static final Duration MAIL_OUTAGE = Duration.ofSeconds(45);

    /**
     * How often the services fetch the identity provider's signing keys in this run (5 minutes otherwise): shorter than
     * the provider's restart, so that the keys of every service that is called meanwhile come due while it is away.
     */
    public static final Duration IDENTITY_KEYS_REFRESH = Duration.ofSeconds(10);

    /**
     * Each service killed while the identity provider is away. The provider is started again only once all three are
     * back: each must start from the keys it saved and serve signed-in requests, as on exchange day when a service
     * restarts during a Keycloak outage.
     */
    public static final List<Planned> WITHOUT_IDENTITY = List.of(
            withoutIdentity(Target.ROSTER), withoutIdentity(Target.TRANSPORT), withoutIdentity(Target.REUNIFICATION));

    /**
     * The scenario's order: list publication, matching, amendment, crossing, the identity provider while the buses
     * still report (once transport is back from its kill, so that it has the provider's keys) and each service
     * meanwhile, hand-overs
     * (reunification killed, then the mail server away: after the kill, so that the kill's moment, ten e-mails into the
     * hand-overs, is never held up by the outage), review.
     */
    public static final List<Planned> STANDARD = List.of(
            new Planned(Target.ROSTER, "in the middle of a list publication (all its persons in one transaction)"),
            new Planned(Target.REUNIFICATION, "mid-batch: matching the inquiries being registered"),
            new Planned(Target.REGISTRY, "as the amended list is published"),
            new Planned(Target.TRANSPORT, "in the middle of the border crossing (some buses crossed, others not)"),
            new Planned(Target.IDENTITY, "while the buses report their positions (the services' keys due every "
                    + IDENTITY_KEYS_REFRESH.toSeconds() + " s meanwhile)"),
            WITHOUT_IDENTITY.get(0),
            WITHOUT_IDENTITY.get(1),
            WITHOUT_IDENTITY.get(2),
            new Planned(Target.REUNIFICATION, "mid-delivery: alerts being e-mailed during the hand-overs"),
            new Planned(Target.MAIL, "unreachable for " + MAIL_OUTAGE.toSeconds() + " s during the hand-overs (alerts of the admissions due)"),
            new Planned(Target.BROKER, "as the caseworkers review matches"));

    private static Planned withoutIdentity(Target service) {
        return new Planned(service, "while the identity provider is away (started from its saved keys; the provider waits"
                + " until every service is back)");
    }

    private final List<Planned> planned;
    private final List<Injected> injected = new ArrayList<>();

    public FaultSchedule(List<Planned> planned) {
        this.planned = List.copyOf(planned);
    }

    public List<Planned> planned() {
        return planned;
    }

    public synchronized void injected(Planned fault, Instant at, String inFlight) {
        injected.add(new Injected(fault, at, inFlight, Optional.empty()));
    }

    /** The target's process is back: its last fault without a recovery has one now. */
    public synchronized void recovered(Target target, Instant at) {
        for (int i = injected.size() - 1; i >= 0; i--) {
            Injected fault = injected.get(i);
            if (fault.planned().target() == target && fault.recovered().isEmpty()) {
                injected.set(i, new Injected(fault.planned(), fault.at(), fault.inFlight(), Optional.of(at)));
                return;
            }
        }
    }

    /** Whether the target is up and has been for at least {@code settled} since it recovered from its last fault. */
    public synchronized boolean backFor(Target target, Duration settled, Instant now) {
        return injected.stream().filter(fault -> fault.planned().target() == target)
                .reduce((first, second) -> second)
                .map(last -> last.recovered().map(back -> !back.plus(settled).isAfter(now)).orElse(false))
                .orElse(true);
    }

    /** Whether the fault was injected and its process is back. */
    public synchronized boolean over(Planned fault) {
        return injected.stream().anyMatch(happened -> happened.planned().equals(fault) && happened.recovered().isPresent());
    }

    /** Whether the target has a fault it has not recovered from yet (a second kill waits for the first recovery). */
    public synchronized boolean down(Target target) {
        return injected.stream().anyMatch(fault -> fault.planned().target() == target && fault.recovered().isEmpty());
    }

    /** The processes away at this moment (a fault injected, not recovered from yet). */
    public synchronized List<String> away() {
        return injected.stream().filter(fault -> fault.recovered().isEmpty())
                .map(fault -> fault.planned().target().process()).distinct().toList();
    }

    public synchronized List<Injected> injected() {
        return List.copyOf(injected);
    }

    /** A planned fault that never happened, or a process that never came back, fails the run. */
    public synchronized List<String> violations() {
        List<String> violations = new ArrayList<>();
        List<Planned> happened = injected.stream().map(Injected::planned).toList();
        for (Planned fault : planned) {
            if (!happened.contains(fault)) {
                violations.add("not injected: " + fault.target().process() + " " + fault.moment());
            }
        }
        injected.stream().filter(fault -> fault.recovered().isEmpty())
                .forEach(fault -> violations.add("never recovered: " + fault.planned().target().process() + " killed " + fault.planned().moment()));
        return violations;
    }

    /** The faults as a table: what was killed, when (seconds into the run), what was in flight, how long until ready again. */
    public synchronized String table(Instant runStart) {
        StringBuilder table = new StringBuilder();
        table.append("%-22s %-8s %-10s %s%n".formatted("kill -9 (or away)", "at", "recovered", "moment (what was in flight)"));
        for (Injected fault : injected) {
            table.append("%-22s %-8s %-10s %s (%s)%n".formatted(fault.planned().target().process(),
                    "+" + Duration.between(runStart, fault.at()).toSeconds() + "s",
                    fault.recovery().map(took -> "%.1fs".formatted(took.toMillis() / 1000.0)).orElse("NEVER"),
                    fault.planned().moment(), fault.inFlight()));
        }
        return table.toString();
    }
}
