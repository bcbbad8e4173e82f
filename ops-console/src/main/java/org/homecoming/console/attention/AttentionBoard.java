package org.homecoming.console.attention;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.homecoming.console.operation.BusState;
import org.homecoming.console.operation.BusView;
import org.homecoming.console.operation.OpenIssues;
import org.homecoming.console.operation.OperationSnapshot;
import org.homecoming.console.topics.TopicFigures;
import org.homecoming.console.topics.TopicFigures.DeadLetterCount;
import org.homecoming.console.topics.TopicFigures.GroupLag;

/**
 * Works out what needs a person's attention now, from the operation picture and the recent readings of the
 * topics. Each condition gives one item with a stable id, which disappears when the condition is resolved,
 * or when someone acknowledges it; an acknowledgement lasts while its condition does, so a condition that
 * clears and comes back shows again. No Spring: the clock comes in with each question.
 *
 * <p>Acknowledgements come from {@code console.attention-acknowledgements}, which every console instance reads from its
 * beginning, so the board may learn of one before it lists the item (a console starting), or long after the condition
 * cleared. What tells one occurrence of a condition from the next is its start, the item's {@code since}: an
 * acknowledgement covers the item with the same id and the same start, so a condition that came back, even while no
 * console was running, shows again. Two kinds of item differ: a dead-letter topic's id carries its record count, so the
 * id alone names what was looked at; and a lag or a stalled group is measured from the start of the console's own
 * window of readings, which moves with every reading, so its acknowledgement covers it while it stays on the list of
 * this console, and a restarted console, which cannot tell whether it is the same occurrence, lists it again.
 *
 * <p>Thread-safe.
 */
public final class AttentionBoard {

    /** Items whose start moves with the window of readings: their since cannot tell one occurrence from the next. */
    private static final Set<Concern> WINDOWED = Set.of(Concern.LAG_GROWING, Concern.CONSUMER_STALLED);

    private final AttentionRules rules;
    private final Deque<TopicFigures> readings = new ArrayDeque<>();
    /** The latest acknowledgement of each item id, by the start of the occurrence it covers. */
    private final Map<String, Acknowledged> acknowledged = new HashMap<>();
    /** Open items covered by an acknowledgement when last listed: covered while they stay open. */
    private Set<String> coveredWhileOpen = new HashSet<>();
    /** The open items an acknowledgement took off the list, as last listed: an operator may put one back. */
    private List<AcknowledgedItem> acknowledgedOpen = List.of();
    private Map<String, AttentionItem> open = Map.of();
    private Instant identityProviderAwaySince;

    public AttentionBoard(AttentionRules rules) {
        this.rules = rules;
    }

    /** One reading of the topics; readings must come in time order, a repeated one is ignored. */
    public synchronized void observe(TopicFigures figures) {
        if (figures.readAt() == null || (!readings.isEmpty() && !figures.readAt().isAfter(readings.getLast().readAt()))) {
            return;
        }
        readings.addLast(figures);
        Duration kept = rules.deadLetterWindow().compareTo(rules.lagWindow()) > 0 ? rules.deadLetterWindow() : rules.lagWindow();
        Instant oldestNeeded = figures.readAt().minus(kept);
        // Keep one reading at or before the window's start: it is the base the window is measured from.
        while (readings.size() > 2 && !secondOldest().readAt().isAfter(oldestNeeded)) {
            readings.removeFirst();
        }
    }

    /** What the console's probe of the identity provider found: since when it has not answered, or null while it does. */
    public synchronized void observeIdentityProvider(Instant unreachableSince) {
        identityProviderAwaySince = unreachableSince;
    }

    /** The open items not acknowledged, most urgent concern first. */
    public synchronized List<AttentionItem> items(OperationSnapshot operation, Instant now) {
        List<AttentionItem> all = new ArrayList<>();
        operation.buses().forEach(bus -> onTheRoad(bus, now, all));
        OpenIssues issues = operation.issues();
        issues.discrepancies().forEach(found -> all.add(new AttentionItem(
                "discrepancy:" + found.busId() + "/" + found.personId(), Concern.HANDOVER_DISCREPANCY, found.busId(),
                "Bus " + found.busId() + ": person " + found.personId() + (found.discrepancy().equals("NOT_HANDED_OVER")
                        ? " on the manifest was not handed over" : " was handed over but is not on the manifest"),
                found.foundAt(), busLink(found.busId()))));
        waitingForAChannel(issues, now, all);
        issues.failedDeliveries().forEach(failed -> all.add(new AttentionItem("delivery-failed:" + failed.id(),
                Concern.DELIVERY_FAILED, failed.id(), "Alert " + failed.id() + " to a relative could not be delivered; "
                        + "a hotline operator resends it once the cause is over (provider back, address corrected)",
                failed.since(), "#alerts-panel")));
        issues.unknownDeliveries().forEach(held -> all.add(new AttentionItem("delivery-unknown:" + held.id(),
                Concern.DELIVERY_OUTCOME_UNKNOWN, held.id(), "Alert " + held.id() + " to a relative: delivery interrupted or unanswered, outcome "
                        + "unknown; held until a hotline operator resends it or marks it delivered", held.since(), "#alerts-panel")));
        issues.correctionsDue().forEach(due -> all.add(new AttentionItem("correction-due:" + due.inquiryId() + "/" + due.personId(),
                Concern.CORRECTION_DUE, due.inquiryId(), "The family of inquiry " + due.inquiryId()
                        + (due.delivered() ? " was told" : " may have been told") + " about person " + due.personId() + " ("
                        + due.alertIds().size() + " alert" + (due.alertIds().size() == 1 ? "" : "s") + "), "
                        + (due.withdrawnFromList() ? "who was withdrawn from the release list"
                                : "whose match was " + due.matchStatus().toLowerCase(java.util.Locale.ROOT))
                        + " since: a hotline operator tells them",
                due.since(), "#alerts-panel")));
        issues.reviewsWaiting().stream()
                .filter(review -> review.since() != null && review.since().plus(rules.reviewWait()).isBefore(now))
                .forEach(review -> all.add(new AttentionItem("review:" + review.id(), Concern.REVIEW_WAITING, review.id(),
                        "Match " + review.id() + " has waited for a caseworker's review for " + minutes(review.since(), now),
                        review.since(), "#alerts-panel")));
        deadLettersThatGrew(all);
        lagsThatGrew(all);
        groupsThatStalled(all);
        figuresGoneStale(now, all);
        identityProviderAway(now, all);

        Map<String, AttentionItem> openNow = new HashMap<>();
        all.forEach(item -> openNow.put(item.id(), item));
        Set<String> coveredNow = new HashSet<>();
        List<AttentionItem> shown = new ArrayList<>();
        List<AcknowledgedItem> hidden = new ArrayList<>();
        for (AttentionItem item : all) {
            if (covered(item)) {
                coveredNow.add(item.id());
                Acknowledged acknowledgement = acknowledged.get(item.id());
                hidden.add(new AcknowledgedItem(item, acknowledgement.by(), acknowledgement.at()));
            } else {
                shown.add(item);
            }
        }
        open = openNow;
        coveredWhileOpen = coveredNow;
        acknowledgedOpen = hidden.stream().sorted(Comparator.comparing((AcknowledgedItem acknowledgedItem) -> acknowledgedItem.item().concern())
                .thenComparing(acknowledgedItem -> acknowledgedItem.item().id())).toList();
        return shown.stream().sorted(Comparator.comparing(AttentionItem::concern).thenComparing(AttentionItem::id)).toList();
    }

    /**
     * The open items an acknowledgement keeps off the list, as of the last {@link #items}, most urgent concern first:
     * an item acknowledged by mistake would otherwise stay hidden for as long as its condition lasts, which on exchange
     * day can be the whole day.
     */
    public synchronized List<AcknowledgedItem> acknowledgedItems() {
        return acknowledgedOpen;
    }

    /** When the acknowledgement that holds for {@code itemId} now was made, if one does. */
    public synchronized Optional<Instant> acknowledgedAt(String itemId) {
        return Optional.ofNullable(acknowledged.get(itemId)).map(Acknowledged::at);
    }

    /** Whether {@code itemId} is open and kept off the list by an acknowledgement, as of the last {@link #items}. */
    public synchronized boolean isAcknowledgedAndOpen(String itemId) {
        return open.containsKey(itemId) && coveredWhileOpen.contains(itemId) && acknowledged.containsKey(itemId);
    }

    /** The item with this id as last listed (acknowledged or not), if it is open. */
    public synchronized Optional<AttentionItem> openItem(String itemId) {
        return Optional.ofNullable(open.get(itemId));
    }

    /**
     * An operator acknowledged the occurrence of item {@code itemId} that began at {@code conditionSince} (null: the
     * item showed no start). Takes the item off the list while that occurrence lasts; applying the same
     * acknowledgement again changes nothing.
     */
    public synchronized void acknowledged(String itemId, Instant conditionSince, String by, Instant at) {
        acknowledged.put(itemId, new Acknowledged(millis(conditionSince), by, at));
        AttentionItem item = open.get(itemId);
        if (item != null && (WINDOWED.contains(item.concern()) || Objects.equals(millis(item.since()), millis(conditionSince)))) {
            coveredWhileOpen.add(itemId);
        }
    }

    /** The acknowledgement of {@code itemId} was withdrawn (a tombstone on the topic): the item shows again. */
    public synchronized void acknowledgementWithdrawn(String itemId) {
        acknowledged.remove(itemId);
        coveredWhileOpen.remove(itemId);
        acknowledgedOpen = acknowledgedOpen.stream().filter(acknowledgedItem -> !acknowledgedItem.item().id().equals(itemId)).toList();
    }

    private boolean covered(AttentionItem item) {
        Acknowledged acknowledgement = acknowledged.get(item.id());
        if (acknowledgement == null) {
            return false;
        }
        if (coveredWhileOpen.contains(item.id()) || item.concern() == Concern.DEAD_LETTERS_GREW) {
            return true;
        }
        return !WINDOWED.contains(item.concern()) && Objects.equals(acknowledgement.conditionSince(), millis(item.since()));
    }

    /** The topic keeps a start to the millisecond; the console's own clock gives finer ones. */
    private static Instant millis(Instant at) {
        return at == null ? null : at.truncatedTo(ChronoUnit.MILLIS);
    }

    private record Acknowledged(Instant conditionSince, String by, Instant at) {
    }

    /** An open item kept off the list by an acknowledgement: who acknowledged it (the signed-in operator) and when. */
    public record AcknowledgedItem(AttentionItem item, String acknowledgedBy, Instant acknowledgedAt) {
    }

    /** Open items not acknowledged, per concern (every concern present, most at zero). */
    public static Map<Concern, Integer> countByConcern(List<AttentionItem> items) {
        Map<Concern, Integer> counts = new EnumMap<>(Concern.class);
        for (Concern concern : Concern.values()) {
            counts.put(concern, 0);
        }
        items.forEach(item -> counts.merge(item.concern(), 1, Integer::sum));
        return counts;
    }

    /**
     * One item per channel for the alerts retried for longer than the allowed wait: reunification waits out a mail
     * server or SMS gateway that takes no message (one message's own failure is retried for seconds, then failed), so
     * alerts that have been retrying for a minute wait for their channel, and an operator should know the families are
     * not being told. They go out on their own once the channel is back; nobody need resend them.
     */
    private void waitingForAChannel(OpenIssues issues, Instant now, List<AttentionItem> all) {
        Map<String, List<OpenIssues.Retrying>> byChannel = new TreeMap<>();
        issues.retryingDeliveries().stream()
                .filter(retrying -> retrying.since() != null && retrying.since().plus(rules.deliveryWait()).isBefore(now))
                .forEach(retrying -> byChannel.computeIfAbsent(retrying.channel(), channel -> new ArrayList<>()).add(retrying));
        byChannel.forEach((channel, waiting) -> {
            Instant since = waiting.stream().map(OpenIssues.Retrying::since).min(Comparator.naturalOrder()).orElseThrow();
            String server = "SMS".equals(channel) ? "the SMS gateway" : "the mail server";
            // the latest reason says whether the server is away or is there but cannot be reached encrypted (a
            // certificate to trust again, or someone else answering): the operator's next step differs
            String latest = waiting.stream().filter(retrying -> retrying.reason() != null && retrying.at() != null)
                    .max(Comparator.comparing(OpenIssues.Retrying::at)).map(retrying -> ". Latest attempt: " + retrying.reason())
                    .orElse("");
            all.add(new AttentionItem("delivery-waiting:" + channel, Concern.DELIVERY_WAITING, channel,
                    waiting.size() + (waiting.size() == 1 ? " alert to a relative has" : " alerts to relatives have") + " waited "
                            + minutes(since, now) + " for the " + channel + " channel: " + server
                            + " takes no message. They go out on their own once it is back" + latest, since, "#alerts-panel"));
        });
    }

    private void onTheRoad(BusView bus, Instant now, List<AttentionItem> all) {
        if (bus.untrackedSince() != null && bus.state() != BusState.ARRIVED) {
            all.add(new AttentionItem("untracked:" + bus.busId(), Concern.BUS_UNTRACKED, bus.busId(),
                    "Bus " + bus.busId() + ": its manifest names no tracker (no partner, trackedBy, and no device, trackerClient),"
                            + " so none of its positions is taken; a transport officer registers it again naming its tracker",
                    bus.untrackedSince(), busLink(bus.busId())));
        }
        boolean onTheRoad = bus.state() != BusState.REGISTERED && bus.state() != BusState.ARRIVED;
        if (!onTheRoad) {
            return;
        }
        if (bus.lastSeenAt() == null || bus.lastSeenAt().plus(rules.trackerSilence()).isBefore(now)) {
            all.add(new AttentionItem("tracker-silent:" + bus.busId(), Concern.TRACKER_SILENT, bus.busId(),
                    "Bus " + bus.busId() + ": tracker silent" + (bus.lastSeenAt() == null ? ""
                            : " for " + minutes(bus.lastSeenAt(), now)), bus.lastSeenAt(), busLink(bus.busId())));
        }
        if (bus.estimatedArrival() != null && bus.estimatedArrival().isBefore(now)) {
            all.add(new AttentionItem("overdue:" + bus.busId(), Concern.BUS_OVERDUE, bus.busId(),
                    "Bus " + bus.busId() + " is past its expected arrival by " + minutes(bus.estimatedArrival(), now),
                    bus.estimatedArrival(), busLink(bus.busId())));
        }
    }

    /**
     * A dead-letter topic that holds records stays on the list until someone acknowledges it, and comes back when it
     * grows: each dead letter is a record some service could not process (a list entry, an arrival, an alert), and one
     * that went in while nobody watched must not leave the list on its own after a few quiet minutes. The item's id
     * carries the count, so an acknowledgement covers the records there were, not the next one.
     */
    private void deadLettersThatGrew(List<AttentionItem> all) {
        if (readings.isEmpty()) {
            return;
        }
        TopicFigures newest = readings.getLast();
        TopicFigures base = readings.size() < 2 ? newest : baseFor(rules.deadLetterWindow());
        Map<String, Long> before = new HashMap<>();
        base.deadLetters().forEach(dlt -> before.put(dlt.topic(), dlt.records()));
        for (DeadLetterCount dlt : newest.deadLetters()) {
            if (dlt.records() <= 0) {
                continue;
            }
            long grown = dlt.records() - before.getOrDefault(dlt.topic(), dlt.records());
            all.add(new AttentionItem("dead-letters:" + dlt.topic() + "@" + dlt.records(), Concern.DEAD_LETTERS_GREW, dlt.topic(),
                    dlt.topic() + " holds " + dlt.records() + " record" + (dlt.records() == 1 ? "" : "s")
                            + " no service could process" + (grown > 0 ? " (" + grown + " in the last "
                            + rules.deadLetterWindow().toMinutes() + " min)" : "") + "; acknowledge once looked at",
                    base.readAt(), "#dead-letters-panel"));
        }
    }

    /** Never fell over the window and ended higher than it began; the readings must cover the whole window. */
    private void lagsThatGrew(List<AttentionItem> all) {
        TopicFigures base = lagWindowStart();
        if (base == null) {
            return;
        }
        TopicFigures newest = readings.getLast();
        List<TopicFigures> window = new ArrayList<>();
        readings.forEach(reading -> {
            if (!reading.readAt().isBefore(base.readAt())) {
                window.add(reading);
            }
        });
        for (GroupLag group : newest.consumerGroups()) {
            Long first = null;
            Long previous = null;
            boolean neverFell = true;
            for (TopicFigures reading : window) {
                Long lag = reading.consumerGroups().stream().filter(g -> g.groupId().equals(group.groupId()))
                        .map(GroupLag::lag).findFirst().orElse(null);
                if (lag == null || (previous != null && lag < previous)) {
                    neverFell = false;
                    break;
                }
                first = first == null ? lag : first;
                previous = lag;
            }
            if (neverFell && previous != null && previous > first) {
                all.add(new AttentionItem("lag-growing:" + group.groupId(), Concern.LAG_GROWING, group.groupId(),
                        "Consumer group " + group.groupId() + " falls further behind: lag " + group.lag()
                                + ", not falling once since " + base.readAt(), base.readAt(), "#groups-panel"));
            }
        }
    }

    /**
     * A group with records to read that read none over the whole window: its lag is above zero and the same in every
     * reading, and it consumed nothing. A stuck alert delivery or pairing looks like this once no new records arrive
     * (on exchange day, between two buses): its lag never grows, so {@link #lagsThatGrew} would never name it.
     */
    private void groupsThatStalled(List<AttentionItem> all) {
        TopicFigures base = lagWindowStart();
        if (base == null) {
            return;
        }
        TopicFigures newest = readings.getLast();
        for (GroupLag group : newest.consumerGroups()) {
            boolean stalled = group.lag() > 0;
            for (TopicFigures reading : readings) {
                if (!stalled || reading.readAt().isBefore(base.readAt())) {
                    continue;
                }
                GroupLag then = reading.consumerGroups().stream().filter(g -> g.groupId().equals(group.groupId()))
                        .findFirst().orElse(null);
                stalled = then != null && then.lag() == group.lag()
                        && then.consumedPerSecond().values().stream().allMatch(rate -> rate == 0);
            }
            if (stalled) {
                all.add(new AttentionItem("consumer-stalled:" + group.groupId(), Concern.CONSUMER_STALLED, group.groupId(),
                        "Consumer group " + group.groupId() + " has read nothing since " + base.readAt() + " with "
                                + group.lag() + " record" + (group.lag() == 1 ? "" : "s") + " waiting", base.readAt(),
                        "#groups-panel"));
            }
        }
    }

    /**
     * The console's own view went blind: no topic figures could be read for {@code figures-stale-after} (a minute; the
     * broker or the network is away, and readings come every 5 s). The page keeps the last figures, and every item worked out from them would be as
     * old, so "nothing needs attention" would be a claim the console cannot make.
     */
    private void figuresGoneStale(Instant now, List<AttentionItem> all) {
        if (readings.isEmpty()) {
            return;
        }
        Instant readAt = readings.getLast().readAt();
        if (readAt.plus(rules.figuresStaleAfter()).isBefore(now)) {
            all.add(new AttentionItem("figures-stale", Concern.FIGURES_STALE, "kafka", "The console has not been able to read"
                    + " Kafka for " + minutes(readAt, now) + ": topic, lag and dead-letter figures are from " + readAt
                    + ", and what they would show since is not known", readAt, "#groups-panel"));
        }
    }

    /**
     * The identity provider has not answered for {@code identity-provider-silence}. One item per outage: an
     * acknowledgement covers this one, and the next outage shows again.
     */
    private void identityProviderAway(Instant now, List<AttentionItem> all) {
        Instant since = identityProviderAwaySince;
        if (since != null && since.plus(rules.identityProviderSilence()).isBefore(now)) {
            all.add(new AttentionItem("identity-provider-unreachable@" + since.getEpochSecond(),
                    Concern.IDENTITY_PROVIDER_UNREACHABLE, "identity-provider", "The identity provider has not answered for "
                    + minutes(since, now) + ": nobody can sign in or get a new token, and tokens live 15 minutes; the"
                    + " services keep checking the tokens already issued against its last keys, for up to 12 hours",
                    since, "#attention-panel"));
        }
    }

    /** The reading the lag window starts at, or null while the readings do not cover the whole window yet. */
    private TopicFigures lagWindowStart() {
        if (readings.size() < 3) {
            return null;
        }
        TopicFigures base = baseFor(rules.lagWindow());
        return base.readAt().isAfter(readings.getLast().readAt().minus(rules.lagWindow())) ? null : base;
    }

    /** The latest reading at or before the window's start, else the oldest. */
    private TopicFigures baseFor(Duration window) {
        Instant start = readings.getLast().readAt().minus(window);
        TopicFigures base = readings.getFirst();
        for (TopicFigures reading : readings) {
            if (!reading.readAt().isAfter(start)) {
                base = reading;
            }
        }
        return base;
    }

    private TopicFigures secondOldest() {
        var iterator = readings.iterator();
        iterator.next();
        return iterator.next();
    }

    private static String busLink(String busId) {
        return "#bus/" + busId;
    }

    private static String minutes(Instant since, Instant now) {
        Duration waited = Duration.between(since, now);
        if (waited.toMinutes() < 1) {
            return "under a minute";
        }
        if (waited.toHours() < 2) {
            return waited.toMinutes() + " min";
        }
        return waited.toDays() < 2 ? waited.toHours() + " h" : waited.toDays() + " days";
    }
}
