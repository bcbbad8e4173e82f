package org.homecoming.localstack.faults;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.homecoming.catalogue.Topics;
import org.homecoming.localstack.faults.History.Alert;
import org.homecoming.localstack.faults.History.DeadLetter;
import org.homecoming.localstack.faults.History.ListVersionKey;
import org.homecoming.localstack.faults.History.Listing;
import org.homecoming.localstack.faults.History.Match;

/**
 * Checks a fault-injection run's whole history, record by record, the way Jepsen checks a history rather than counts:
 * every key that must occur once is looked for in every record, every acknowledged request must have left exactly its
 * records, and every effect (an alert, an e-mail) must stem from a committed record. The result lists each invariant
 * with what violated it; a run is green only when all hold.
 */
public final class HistoryChecker {

    /** How many violations of one invariant are spelled out; the count is always complete. */
    static final int SHOWN = 10;

    private HistoryChecker() {
    }

    public static List<Invariant> check(History history) {
        return List.of(
                listVersionsOnce(history),
                listedPersonsOncePerVersion(history),
                crossingsAndBusArrivalsOnce(history),
                partnersReadTheirBusesMovements(history),
                personArrivalsOnce(history),
                admissionsOnce(history),
                inquiriesOnce(history),
                alertsOnce(history),
                expectedAlertsIssued(history),
                mailedOnce(history),
                newsOncePerAddress(history),
                noAbortedRecordVisible(history),
                noEffectOfUncommittedRecords(history),
                noOpenTransaction(history),
                onlyInjectedPoisonDeadLettered(history));
    }

    /** Every acknowledged list version has exactly one header, and no version exists that nobody was told about. */
    static Invariant listVersionsOnce(History history) {
        Map<ListVersionKey, Long> headers = count(history.listVersions(), version -> new ListVersionKey(version.listId(), version.version()));
        List<String> violations = new ArrayList<>();
        for (ListVersionKey acknowledged : history.acknowledged().listVersions()) {
            long found = headers.getOrDefault(acknowledged, 0L);
            if (found != 1) {
                violations.add("list " + acknowledged.listId() + " v" + acknowledged.version() + ": " + found + " headers");
            }
        }
        headers.keySet().stream().filter(key -> !history.acknowledged().listVersions().contains(key))
                .forEach(key -> violations.add("list " + key.listId() + " v" + key.version() + " published but never acknowledged"));
        return new Invariant("each list version published once (acknowledged = published)", headers.size(), violations);
    }

    /** Within a version each person appears once, and a version holds exactly as many changes as its header says. */
    static Invariant listedPersonsOncePerVersion(History history) {
        List<String> violations = new ArrayList<>();
        Map<String, Long> perPerson = count(history.listings(), listing -> listing.listId() + " v" + listing.version() + " " + listing.personId());
        perPerson.forEach((key, times) -> {
            if (times != 1) {
                violations.add("person " + key + " appears " + times + " times");
            }
        });
        Map<ListVersionKey, Long> perVersion = count(history.listings(), listing -> new ListVersionKey(listing.listId(), listing.version()));
        for (History.ListVersion header : history.listVersions()) {
            long found = perVersion.getOrDefault(new ListVersionKey(header.listId(), header.version()), 0L);
            if (found != header.changes()) {
                violations.add("list " + header.listId() + " v" + header.version() + ": header counts " + header.changes()
                        + " changes, the topic holds " + found);
            }
        }
        Set<ListVersionKey> headed = history.listVersions().stream()
                .map(header -> new ListVersionKey(header.listId(), header.version())).collect(Collectors.toSet());
        perVersion.keySet().stream().filter(key -> !headed.contains(key))
                .forEach(key -> violations.add("persons of list " + key.listId() + " v" + key.version() + " without a header"));
        return new Invariant("each listed person once per list version", history.listings().size(), violations);
    }

    /** Every registered bus departed, crossed the border and arrived exactly once. */
    static Invariant crossingsAndBusArrivalsOnce(History history) {
        List<String> violations = new ArrayList<>();
        Map<String, Long> movements = count(allBusMovements(history), movement -> movement.busId() + " " + movement.movement());
        for (String bus : history.acknowledged().buses()) {
            for (String movement : List.of("DEPARTED", "BORDER_CROSSED", "ARRIVED")) {
                long found = movements.getOrDefault(bus + " " + movement, 0L);
                if (found != 1) {
                    violations.add("bus " + bus + " " + movement + " " + found + " times");
                }
            }
        }
        return new Invariant("each bus's crossing and arrival once", history.acknowledged().buses().size() * 3, violations);
    }

    /**
     * Every registered bus's movements, and nothing more, on the movements topic of one partner, as on
     * {@code transport.bus-movements}: each kind as many times (every bus of the scenario is tracked by a partner, and
     * transport writes a movement and its partner's copy in one transaction, or, when the bus's manifest was not read
     * yet, holds the copy in a changelogged store and writes it once the manifest is read; only a copy held past the
     * holding window is given up, and shows here as missing).
     */
    static Invariant partnersReadTheirBusesMovements(History history) {
        List<String> violations = new ArrayList<>();
        Map<String, Long> all = count(allBusMovements(history), movement -> movement.busId() + " " + movement.movement());
        Map<String, Set<String>> partnersOfBus = new TreeMap<>();
        Map<String, Long> shared = new TreeMap<>();
        for (History.Movement movement : history.movements()) {
            Topics.movementsPartner(movement.at().topic()).ifPresent(partner -> {
                partnersOfBus.computeIfAbsent(movement.busId(), bus -> new TreeSet<>()).add(partner);
                shared.merge(movement.busId() + " " + movement.movement(), 1L, Long::sum);
            });
        }
        partnersOfBus.forEach((bus, partners) -> {
            if (partners.size() > 1) {
                violations.add("bus " + bus + " on the movements topics of " + partners);
            }
        });
        Set<String> buses = new TreeSet<>(history.acknowledged().buses());
        buses.addAll(partnersOfBus.keySet());
        Set<String> kinds = new TreeSet<>(shared.keySet());
        all.keySet().stream().filter(kind -> buses.contains(kind.substring(0, kind.indexOf(' ')))).forEach(kinds::add);
        for (String kind : kinds) {
            long onTransport = all.getOrDefault(kind, 0L);
            long onPartner = shared.getOrDefault(kind, 0L);
            if (onTransport != onPartner) {
                violations.add("bus " + kind + ": " + onTransport + " on transport.bus-movements, " + onPartner + " on its partner's topic");
            }
        }
        return new Invariant("each bus's movements on its partner's topic as on transport's", kinds.size(), violations);
    }

    private static List<History.Movement> allBusMovements(History history) {
        return history.movements().stream().filter(movement -> movement.at().topic().equals(Topics.BUS_MOVEMENTS.name())).toList();
    }

    /** Every acknowledged hand-over is one arrival; no person arrives twice or without a hand-over. */
    static Invariant personArrivalsOnce(History history) {
        return exactlyOnce("each person's arrival (hand-over) once", history.acknowledged().handovers(),
                count(history.arrivals(), History.Arrival::personId), "arrival");
    }

    static Invariant admissionsOnce(History history) {
        return exactlyOnce("each admission once", history.acknowledged().admissions(),
                count(history.admissions(), History.Admission::personId), "admission");
    }

    /** An inquiry sent again after a crash is the same inquiry: one record per acknowledged inquiry id. */
    static Invariant inquiriesOnce(History history) {
        return exactlyOnce("each inquiry registered once", history.acknowledged().inquiries(),
                count(history.inquiries(), Function.identity()), "inquiry record");
    }

    /**
     * No (inquiry, person, milestone) is alerted under two ids, and no alert is issued twice, but for one case: a match
     * that fell (back in review, rejected, retracted) and stood again has its furthest alert issued once more under
     * the same id, because delivery withholds an alert whose match fell; delivery sends an id at most once
     * ({@link #mailedOnce}).
     */
    static Invariant alertsOnce(History history) {
        List<String> violations = new ArrayList<>();
        Map<String, Set<String>> idsByMilestone = new HashMap<>();
        history.alerts().forEach(alert -> idsByMilestone.computeIfAbsent(
                alert.inquiryId() + " " + alert.personId() + " " + alert.milestone(), key -> new HashSet<>()).add(alert.alertId()));
        idsByMilestone.forEach((key, ids) -> {
            if (ids.size() != 1) {
                violations.add("alert (inquiry person milestone) " + key + " issued under " + ids.size() + " ids");
            }
        });
        Set<String> fell = fellMatches(history);
        Map<String, Alert> firstById = new HashMap<>();
        history.alerts().forEach(alert -> firstById.putIfAbsent(alert.alertId(), alert));
        count(history.alerts(), Alert::alertId).forEach((id, times) -> {
            Alert alert = firstById.get(id);
            if (times != 1 && !fell.contains(alert.inquiryId() + " " + alert.personId())) {
                violations.add("alert " + id + " issued " + times + " times, and its match never fell");
            }
        });
        return new Invariant("each alert issued once per (inquiry, person, milestone)", history.alerts().size(), violations);
    }

    /** The (inquiry person) pairs with a decision out of play: back in review, rejected or retracted. */
    private static Set<String> fellMatches(History history) {
        Set<String> fell = new HashSet<>();
        history.matches().forEach(match -> {
            if (!match.status().equals("AUTO_MATCHED") && !match.status().equals("CONFIRMED")) {
                fell.add(match.inquiryId() + " " + match.personId());
            }
        });
        return fell;
    }

    /**
     * The alerts that must exist: every pair matched automatically or confirmed by a caseworker whose person was
     * admitted at a facility has its AT_FACILITY alert (the furthest milestone, due whatever came before it).
     */
    static Invariant expectedAlertsIssued(History history) {
        Map<String, Match> latest = new LinkedHashMap<>();
        history.matches().forEach(match -> latest.put(match.matchId(), match));
        Set<String> admitted = history.admissions().stream().map(History.Admission::personId).collect(Collectors.toSet());
        Set<String> alerted = history.alerts().stream()
                .map(alert -> alert.inquiryId() + " " + alert.personId() + " " + alert.milestone()).collect(Collectors.toSet());
        List<String> violations = new ArrayList<>();
        int expected = 0;
        for (Match match : latest.values()) {
            boolean paired = match.status().equals("AUTO_MATCHED") || match.status().equals("CONFIRMED");
            if (paired && admitted.contains(match.personId())) {
                expected++;
                if (!alerted.contains(match.inquiryId() + " " + match.personId() + " AT_FACILITY")) {
                    violations.add("no AT_FACILITY alert for inquiry " + match.inquiryId() + " and person " + match.personId());
                }
            }
        }
        return new Invariant("every expected alert issued (matched pairs admitted at a facility)", expected, violations);
    }

    /**
     * The e-mail alerts that delivery has not reached yet: committed, with no delivery record and no mail. Only these
     * may still change by waiting; an alert with any delivery record has had its outcome decided (or is held).
     */
    public static List<String> awaitingDelivery(History history) {
        Set<String> attempted = history.deliveries().stream().map(History.Delivery::alertId).collect(Collectors.toSet());
        Set<String> mailed = history.mails().stream().map(History.Mail::messageId).collect(Collectors.toSet());
        return history.alerts().stream().filter(alert -> "EMAIL".equals(alert.channel()))
                .map(History.Alert::alertId)
                .filter(alertId -> !attempted.contains(alertId) && !mailed.contains(messageId(alertId)))
                .distinct().sorted().toList();
    }

    /**
     * Every e-mail alert reached the mail sink exactly once, under its own Message-ID, and no other mail did. The one
     * exception the delivery rule allows: an alert whose delivery was interrupted between SENDING and its outcome is
     * recorded UNKNOWN and held for an operator, because resending it could tell a family twice. Such an alert may
     * have been mailed once or not at all (never twice), and each one is listed as held, so a run never hides it.
     */
    static Invariant mailedOnce(History history) {
        Map<String, Long> mails = count(history.mails(), History.Mail::messageId);
        Set<String> emailAlerts = history.alerts().stream().filter(alert -> "EMAIL".equals(alert.channel()))
                .map(alert -> alert.alertId()).collect(Collectors.toSet());
        Map<String, String> lastOutcome = new HashMap<>();
        Set<String> delivered = new HashSet<>();
        Map<String, Boolean> lastWithheld = new HashMap<>();
        Map<String, String> lastToldThrough = new HashMap<>();
        Set<String> fell = fellMatches(history);
        Map<String, String> pairOf = new HashMap<>();
        Map<String, Alert> alertById = new HashMap<>();
        Map<String, String> alertOfNews = new HashMap<>();
        Map<String, Set<String>> alertsOfSameNews = new HashMap<>();
        history.alerts().forEach(alert -> {
            pairOf.put(alert.alertId(), alert.inquiryId() + " " + alert.personId());
            alertById.putIfAbsent(alert.alertId(), alert);
            alertOfNews.putIfAbsent(alert.inquiryId() + " " + alert.personId() + " " + alert.milestone(), alert.alertId());
            alertsOfSameNews.computeIfAbsent(alert.personId() + " " + alert.milestone(), news -> new java.util.TreeSet<>()).add(alert.alertId());
        });
        history.deliveries().forEach(delivery -> {
            lastOutcome.put(delivery.alertId(), delivery.outcome());
            lastWithheld.put(delivery.alertId(), delivery.withheld());
            lastToldThrough.put(delivery.alertId(), delivery.toldThrough());
            if ("DELIVERED".equals(delivery.outcome())) {
                delivered.add(delivery.alertId());
            }
        });
        List<String> violations = new ArrayList<>();
        List<String> held = new ArrayList<>();
        for (String alertId : emailAlerts.stream().sorted().toList()) {
            long found = mails.getOrDefault(messageId(alertId), 0L);
            boolean isHeld = "UNKNOWN".equals(lastOutcome.get(alertId)) && !delivered.contains(alertId);
            boolean withheldAsFallen = lastWithheld.getOrDefault(alertId, false) && fell.contains(pairOf.get(alertId));
            // withheld because the same news went to the same address through another inquiry: that one was mailed once
            String toldThrough = lastWithheld.getOrDefault(alertId, false) ? lastToldThrough.get(alertId) : null;
            Alert alert = alertById.get(alertId);
            // the reason names no inquiry (which two inquiries share an address is contact data): any other alert of
            // the same news counts, as long as it was mailed once; a reason of an older run names it
            String named = toldThrough == null ? null : alertOfNews.get(toldThrough + " " + alert.personId() + " " + alert.milestone());
            Set<String> twins = toldThrough == null ? Set.of() : named != null ? Set.of(named)
                    : alertsOfSameNews.getOrDefault(alert.personId() + " " + alert.milestone(), Set.of());
            boolean twinMailed = twins.stream().filter(twin -> !twin.equals(alertId)).anyMatch(twin -> mails.getOrDefault(messageId(twin), 0L) == 1
                    || ("UNKNOWN".equals(lastOutcome.get(twin)) && mails.getOrDefault(messageId(twin), 0L) <= 1));
            if (withheldAsFallen && found == 0 && !delivered.contains(alertId)) {
                held.add("withheld: alert " + messageId(alertId) + " (its match fell before it went out, e-mailed 0 times)");
            } else if (toldThrough != null && twinMailed && found == 0 && !delivered.contains(alertId)) {
                held.add("withheld: alert " + messageId(alertId) + " (the same news went to the same address through "
                        + (named != null ? "inquiry " + toldThrough : toldThrough) + ", e-mailed there once; e-mailed 0 times)");
            } else if (isHeld && found <= 1) {
                held.add("held for an operator: alert " + messageId(alertId) + " (outcome unknown, e-mailed " + found + " time"
                        + (found == 1 ? "" : "s") + ")");
            } else if (found != 1) {
                // where the delivery stopped says whose fault it is: no record (never read), SENDING (stuck mid-send), ...
                violations.add("alert " + messageId(alertId) + " e-mailed " + found + " times" + (isHeld ? " (held for an operator)" : "")
                        + ", last delivery record: " + lastOutcome.getOrDefault(alertId, "none"));
            }
        }
        Set<String> expectedIds = emailAlerts.stream().map(HistoryChecker::messageId).collect(Collectors.toSet());
        mails.keySet().stream().filter(id -> !expectedIds.contains(id))
                .forEach(id -> violations.add("e-mail " + id + " for no committed alert"));
        return new Invariant("each e-mail alert mailed once, or held for an operator and mailed at most once (Message-IDs unique)",
                emailAlerts.size(), violations, held);
    }

    /**
     * No address got the same news twice: each e-mail's alert names a person and a milestone, and a family that
     * registered twice (two inquiries, one address) is told each once.
     */
    static Invariant newsOncePerAddress(History history) {
        Map<String, Alert> alertByMessageId = new HashMap<>();
        history.alerts().forEach(alert -> alertByMessageId.putIfAbsent(messageId(alert.alertId()), alert));
        Map<String, Long> told = new HashMap<>();
        history.mails().stream().filter(mail -> mail.recipient() != null && alertByMessageId.containsKey(mail.messageId()))
                .forEach(mail -> {
                    Alert alert = alertByMessageId.get(mail.messageId());
                    told.merge(mail.recipient() + " " + alert.milestone() + " of " + alert.personId(), 1L, Long::sum);
                });
        List<String> violations = new ArrayList<>();
        told.forEach((news, times) -> {
            if (times > 1) {
                violations.add(news + ": e-mailed " + times + " times");
            }
        });
        return new Invariant("no address e-mailed the same news twice (one family, two inquiries: told once)", told.size(), violations);
    }

    private static String messageId(String alertId) {
        return "<" + alertId + "@homecoming>";
    }

    /** A read_committed reader sees none of the records that only a read_uncommitted reader sees. */
    static Invariant noAbortedRecordVisible(History history) {
        Set<History.Position> aborted = new HashSet<>(history.aborted());
        List<String> violations = history.committed().stream().filter(aborted::contains)
                .map(position -> "aborted record visible at " + position.topic() + "-" + position.partition() + "@" + position.offset())
                .toList();
        return new Invariant("no record of an aborted transaction visible (" + history.aborted().size() + " aborted records seen uncommitted)",
                history.committed().size(), violations);
    }

    /** Every alert stems from a committed inquiry and a committed listing, and every e-mail from a committed alert. */
    static Invariant noEffectOfUncommittedRecords(History history) {
        Set<String> inquiries = new HashSet<>(history.inquiries());
        Set<String> listed = history.listings().stream().map(Listing::personId).collect(Collectors.toSet());
        List<String> violations = new ArrayList<>();
        for (Alert alert : history.alerts()) {
            if (!inquiries.contains(alert.inquiryId())) {
                violations.add("alert " + alert.alertId() + " for an inquiry not committed: " + alert.inquiryId());
            }
            if (!listed.contains(alert.personId())) {
                violations.add("alert " + alert.alertId() + " for a person never committed on a list: " + alert.personId());
            }
        }
        return new Invariant("every alert stems from committed records", history.alerts().size(), violations);
    }

    /** After the run every transaction has ended: committed, aborted, or fenced by the restarted producer. */
    static Invariant noOpenTransaction(History history) {
        List<String> violations = history.openTransactions().stream()
                .map(partition -> "transaction still open on " + partition).toList();
        return new Invariant("no transaction left open (last stable offset = end)", history.committed().size(), violations);
    }

    /** The dead-letter topics hold exactly the poison the run injected: each once, and nothing else. */
    static Invariant onlyInjectedPoisonDeadLettered(History history) {
        Map<DeadLetter, Long> found = count(history.deadLetters(), Function.identity());
        Map<DeadLetter, Long> injected = count(history.injectedPoison(), Function.identity());
        List<String> violations = new ArrayList<>();
        injected.forEach((poison, times) -> {
            long seen = found.getOrDefault(poison, 0L);
            if (seen != times) {
                violations.add("injected poison on " + poison.topic() + " dead-lettered " + seen + " times, expected " + times);
            }
        });
        found.forEach((letter, times) -> {
            if (!injected.containsKey(letter)) {
                violations.add(times + " dead letter(s) on " + letter.topic() + " the run did not inject (value " + letter.valueDigest() + ")");
            }
        });
        return new Invariant("dead-letter topics hold only the injected poison, once each", history.deadLetters().size(), violations);
    }

    private static Invariant exactlyOnce(String name, Set<String> acknowledged, Map<String, Long> found, String what) {
        List<String> violations = new ArrayList<>();
        for (String id : acknowledged) {
            long times = found.getOrDefault(id, 0L);
            if (times != 1) {
                violations.add(id + ": " + times + " " + what + "s");
            }
        }
        found.forEach((id, times) -> {
            if (!acknowledged.contains(id)) {
                violations.add(id + ": " + times + " " + what + "(s) without an acknowledged request");
            }
        });
        return new Invariant(name, acknowledged.size(), violations);
    }

    private static <T, K> Map<K, Long> count(List<T> items, Function<T, K> key) {
        Map<K, Long> counts = new HashMap<>();
        items.forEach(item -> counts.merge(key.apply(item), 1L, Long::sum));
        return counts;
    }

    /** The invariants as a table: name, items checked, result, and the first violations of each. */
    public static String table(List<Invariant> invariants) {
        StringBuilder table = new StringBuilder();
        table.append("%-100s %8s  %s%n".formatted("Invariant", "checked", "result"));
        for (Invariant invariant : invariants) {
            table.append("%-100s %8d  %s%n".formatted(invariant.name(), invariant.checked(),
                    (invariant.holds() ? "holds" : "VIOLATED (" + invariant.violations().size() + ")")
                            + (invariant.notes().isEmpty() ? "" : ", " + invariant.notes().size() + " listed below")));
            invariant.violations().stream().limit(SHOWN).forEach(violation -> table.append("      - ").append(violation).append('\n'));
            // every note, not the first ten: a held alert is work for a person, and none may go unlisted
            invariant.notes().forEach(note -> table.append("      * ").append(note).append('\n'));
        }
        return table.toString();
    }
}
