package org.homecoming.localstack.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The failover run's kills ({@code --fault-injection --brokers=3 --instances=2}): one instance of each service and one
 * Kafka node, killed with SIGKILL in the middle of the scenario and not started again, and how long the survivors took
 * to take their work over. What "taken over" means is measured per kill and named in the table:
 * <ul>
 *   <li>a service instance: every consumer group in which it had a member is stable again, with no member of the
 *       dead instance, so the partitions it held are assigned to the surviving instance (for a static member, the
 *       broker waits out its session first);</li>
 *   <li>a Kafka node: every partition it led has a new leader among the survivors, and a new quorum leader is elected
 *       if it was the active controller.</li>
 * </ul>
 */
public final class Takeovers {

    /** A kill as it happened; {@code tookOver} is empty until the survivors have the work (or never). */
    public record Kill(String killed, String moment, Instant at, String inFlight, Optional<Instant> tookOver, String measured) {

        public Optional<Duration> takeover() {
            return tookOver.map(done -> Duration.between(at, done));
        }
    }

    private final List<Kill> kills = new ArrayList<>();

    public synchronized int killed(String killed, String moment, Instant at, String inFlight, String measured) {
        kills.add(new Kill(killed, moment, at, inFlight, Optional.empty(), measured));
        return kills.size() - 1;
    }

    public synchronized void tookOver(int kill, Instant at, String measured) {
        Kill before = kills.get(kill);
        kills.set(kill, new Kill(before.killed(), before.moment(), before.at(), before.inFlight(), Optional.of(at), measured));
    }

    public synchronized void notTakenOver(int kill, String measured) {
        Kill before = kills.get(kill);
        kills.set(kill, new Kill(before.killed(), before.moment(), before.at(), before.inFlight(), Optional.empty(), measured));
    }

    public synchronized List<Kill> kills() {
        return List.copyOf(kills);
    }

    /** A kill whose work nobody took over fails the run. */
    public synchronized List<String> violations() {
        List<String> violations = new ArrayList<>();
        kills.stream().filter(kill -> kill.tookOver().isEmpty())
                .forEach(kill -> violations.add("not taken over: " + kill.killed() + " (" + kill.measured() + ")"));
        return violations;
    }

    /** The kills as a table: what, when (seconds into the run), how long until taken over, and what was measured. */
    public synchronized String table(Instant runStart) {
        StringBuilder table = new StringBuilder();
        table.append("%-26s %-7s %-10s %s%n".formatted("kill -9 (not restarted)", "at", "taken over", "moment; what was measured; in flight"));
        for (Kill kill : kills) {
            table.append("%-26s %-7s %-10s %s; %s; %s%n".formatted(kill.killed(), "+" + Duration.between(runStart, kill.at()).toSeconds() + "s",
                    kill.takeover().map(took -> "%.1fs".formatted(took.toMillis() / 1000.0)).orElse("NEVER"),
                    kill.moment(), kill.measured(), kill.inFlight()));
        }
        return table.toString();
    }
}
