package org.homecoming.console.operation;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.TreeMap;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.homecoming.events.reunification.AlertDeliveryAttempted;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.DeliveryOutcome;
import org.homecoming.events.reunification.MatchDecided;
import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.events.roster.ExchangeRoundRecorded;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.transport.BusManifestRegistered;
import org.homecoming.events.transport.BusMovementDetected;
import org.homecoming.events.transport.BusPositionRecorded;
import org.homecoming.events.transport.Discrepancy;
import org.homecoming.events.transport.HandoverDiscrepancyFound;
import org.homecoming.events.transport.Movement;
import org.homecoming.events.transport.PersonHandedOver;

/**
 * The operation as ops see it, folded from the topics' events. It keeps ids, states and counts only:
 * no name, birth date or contact detail of anyone is copied out of an event.
 *
 * <p>Each fact is stored per entity id as "the latest state" or "seen at least once", so reading a
 * partition again from its start (after a rebalance) gives the same picture, and events of different
 * topics may arrive in any order: the funnel is worked out from the stored facts when a snapshot is taken.
 *
 * <p>Thread-safe: one consumer thread applies events while web threads take snapshots.
 */
public final class OperationPicture {

    private final Map<String, ExchangeRoundRecorded> rounds = new HashMap<>();
    private final Map<String, Listing> listings = new HashMap<>();
    /**
     * Each bus's trips, one per round, by {@link #trip} key: a bus carries people again in a later round, and one record
     * per bus showed the next round's bus as arrived and crossed before it left, counted the next round's riders as
     * crossed, and took the earlier round's riders off its counts.
     */
    private final Map<String, Bus> trips = new HashMap<>();
    /** Each bus's current trip: the round of its latest manifest (the first trip heard of, before any manifest). */
    private final Map<String, Bus> buses = new HashMap<>();
    private final Map<String, Arrival> arrivals = new HashMap<>();
    private final Map<String, Match> matches = new HashMap<>();
    private final Map<String, String> alertedPersonByAlert = new HashMap<>();
    private final Map<String, String> inquiryByAlert = new HashMap<>();
    /** The latest decision per (inquiry, person), as {@link #pair}: what an alert's match is now. */
    private final Map<String, Match> matchesByPair = new HashMap<>();
    private final Map<String, Delivery> deliveries = new HashMap<>();
    private final Map<String, HandoverDiscrepancyFound> discrepancies = new HashMap<>();
    private long version;

    /**
     * Folds one event into the picture.
     *
     * @return false if the event is of a type the console does not follow
     */
    public synchronized boolean apply(Object event) {
        if (event instanceof ExchangeRoundRecorded round) {
            rounds.put(round.getRoundId(), round);
        } else if (event instanceof PersonListingChanged listing) {
            on(listing);
        } else if (event instanceof BusManifestRegistered manifest) {
            Bus trip = bus(manifest.getBusId(), manifest.getRoundId());
            trip.manifest(manifest);
            Bus current = buses.get(manifest.getBusId());
            if (current.manifestAt == null || !manifest.getRegisteredAt().isBefore(current.manifestAt)) {
                buses.put(manifest.getBusId(), trip);
            }
        } else if (event instanceof BusMovementDetected movement) {
            bus(movement.getBusId(), movement.getRoundId()).moved(movement);
        } else if (event instanceof BusPositionRecorded position) {
            bus(position.getBusId(), position.getRoundId()).positioned(position);
        } else if (event instanceof PersonHandedOver handover) {
            // As transport's ledger: the first hand-over stands, except that one on a manifest replaces one off every
            // manifest (a stranger or a mistyped id recorded under the person's id, which says nothing of the person).
            arrivals.merge(handover.getPersonId(), new Arrival(handover.getRoundId(), handover.getIdentityVerified(),
                    handover.getOnManifest()), (first, next) -> !first.onManifest() && next.onManifest() ? next : first);
            bus(handover.getBusId(), handover.getRoundId()).handedOver(handover);
        } else if (event instanceof HandoverDiscrepancyFound discrepancy) {
            discrepancies.put(discrepancy.getBusId() + "/" + discrepancy.getPersonId(), discrepancy);
            bus(discrepancy.getBusId(), discrepancy.getRoundId()).discrepancies.add(discrepancy);
        } else if (event instanceof MatchDecided match) {
            Match decided = new Match(match.getPersonId(), match.getStatus(), match.getDecidedAt(), match.getReason());
            matches.put(match.getMatchId(), decided);
            matchesByPair.put(pair(match.getInquiryId(), match.getPersonId()), decided);
        } else if (event instanceof AlertIssued alert) {
            alertedPersonByAlert.put(alert.getAlertId(), alert.getPersonId());
            inquiryByAlert.put(alert.getAlertId(), alert.getInquiryId());
        } else if (event instanceof AlertDeliveryAttempted attempt) {
            deliveries.computeIfAbsent(attempt.getAlertId(), id -> new Delivery())
                    .attempted(attempt.getAttempt(), attempt.getOutcome(), attempt.getChannel().name(), attempt.getAttemptedAt(),
                            attempt.getFailureReason());
        } else {
            return false;
        }
        version++;
        return true;
    }

    /** A tombstone on the compacted rounds topic: roster deleted the round. Its persons' facts stay. */
    public synchronized void roundDeleted(String roundId) {
        if (rounds.remove(roundId) != null) {
            version++;
        }
    }

    /** Grows with every applied event, so a reader can tell that something changed. */
    public synchronized long version() {
        return version;
    }

    public synchronized OperationSnapshot snapshot() {
        Map<String, String> roundOfPerson = roundOfEachPerson();
        Set<String> roundIds = new TreeSet<>(rounds.keySet());
        roundOfPerson.values().forEach(roundIds::add);
        trips.values().forEach(bus -> roundIds.add(bus.roundId));

        Set<String> matched = new HashSet<>();
        matches.values().stream().filter(Match::holds).forEach(match -> matched.add(match.personId));
        Set<String> alerted = new HashSet<>(alertedPersonByAlert.values());

        List<RoundView> roundViews = new ArrayList<>();
        for (String roundId : roundIds) {
            Funnel funnel = funnel(roundId, countInRound(matched, roundId, roundOfPerson),
                    countInRound(alerted, roundId, roundOfPerson));
            roundViews.add(view(roundId, funnel));
        }
        roundViews.sort(Comparator.comparing(RoundView::exchangeDate, Comparator.nullsLast(Comparator.<LocalDate>naturalOrder()))
                .thenComparing(RoundView::roundId));

        List<BusView> busViews = buses.values().stream()
                .map(Bus::view)
                .sorted(Comparator.comparing(BusView::roundId).thenComparing(BusView::busId))
                .toList();
        return new OperationSnapshot(List.copyOf(roundViews), busViews, alertFigures(), openIssues());
    }

    /** One bus's journey and hand-overs in time order, or empty for a bus the console has not heard of. */
    public synchronized java.util.Optional<BusTimeline> timeline(String busId) {
        Bus bus = buses.get(busId);
        if (bus == null) {
            return java.util.Optional.empty();
        }
        List<BusTimeline.Entry> entries = new ArrayList<>(bus.movements);
        bus.handovers.forEach(handover -> entries.add(new BusTimeline.Entry(handover.getHandedOverAt(), "HANDED_OVER",
                null, handover.getPersonId(), (handover.getIdentityVerified() ? "identity verified" : "identity not verified")
                        + (handover.getOnManifest() ? "" : ", not on the manifest"))));
        bus.discrepancies.forEach(found -> entries.add(new BusTimeline.Entry(found.getFoundAt(), "DISCREPANCY", null,
                found.getPersonId(), describe(found.getDiscrepancy()) + (resolved(found) ? " (resolved since)" : ""))));
        entries.sort(Comparator.comparing(BusTimeline.Entry::at, Comparator.nullsLast(Comparator.<Instant>naturalOrder())));
        return java.util.Optional.of(new BusTimeline(bus.view(), List.copyOf(entries)));
    }

    private static String describe(Discrepancy discrepancy) {
        return discrepancy == Discrepancy.NOT_HANDED_OVER ? "on the manifest, not handed over" : "handed over, not on the manifest";
    }

    /**
     * A person missing at the hand-over was handed over later, from a bus whose manifest names them (a hand-over off
     * the manifest under their id is someone else's, and the person is still missing); one not on the manifest was
     * added to it.
     */
    private boolean resolved(HandoverDiscrepancyFound found) {
        Bus bus = trips.get(trip(found.getBusId(), found.getRoundId()));
        if (found.getDiscrepancy() == Discrepancy.NOT_HANDED_OVER) {
            Arrival arrival = arrivals.get(found.getPersonId());
            return arrival != null && arrival.onManifest();
        }
        return bus != null && bus.personIds.contains(found.getPersonId());
    }

    private OpenIssues openIssues() {
        List<OpenIssues.OpenDiscrepancy> open = discrepancies.values().stream().filter(found -> !resolved(found))
                .map(found -> new OpenIssues.OpenDiscrepancy(found.getBusId(), found.getPersonId(),
                        found.getDiscrepancy().name(), found.getFoundAt()))
                .sorted(Comparator.comparing(OpenIssues.OpenDiscrepancy::busId).thenComparing(OpenIssues.OpenDiscrepancy::personId))
                .toList();
        List<OpenIssues.Waiting> reviews = matches.entrySet().stream()
                .filter(entry -> entry.getValue().status == MatchStatus.REVIEW_REQUESTED)
                .map(entry -> new OpenIssues.Waiting(entry.getKey(), entry.getValue().decidedAt))
                .sorted(Comparator.comparing(OpenIssues.Waiting::id)).toList();
        List<OpenIssues.Waiting> failed = deliveries.entrySet().stream()
                .filter(entry -> entry.getValue().failed && !entry.getValue().delivered)
                .map(entry -> new OpenIssues.Waiting(entry.getKey(), entry.getValue().lastAttemptAt))
                .sorted(Comparator.comparing(OpenIssues.Waiting::id)).toList();
        List<OpenIssues.Waiting> unknown = deliveries.entrySet().stream()
                .filter(entry -> entry.getValue().unknown && !entry.getValue().delivered)
                .map(entry -> new OpenIssues.Waiting(entry.getKey(), entry.getValue().lastAttemptAt))
                .sorted(Comparator.comparing(OpenIssues.Waiting::id)).toList();
        // one correction per family and person, however many of the pair's alerts reached them
        Map<String, List<String>> alertsByPair = new TreeMap<>();
        Map<String, Boolean> deliveredByPair = new HashMap<>();
        deliveries.forEach((alertId, delivery) -> {
            String inquiryId = inquiryByAlert.get(alertId);
            String personId = alertedPersonByAlert.get(alertId);
            Match match = inquiryId == null ? null : matchesByPair.get(pair(inquiryId, personId));
            if ((delivery.delivered || delivery.unknown) && match != null && match.fellForTheFamily()) {
                alertsByPair.computeIfAbsent(pair(inquiryId, personId), key -> new ArrayList<>()).add(alertId);
                deliveredByPair.merge(pair(inquiryId, personId), delivery.delivered, Boolean::logicalOr);
            }
        });
        List<OpenIssues.CorrectionDue> corrections = new ArrayList<>();
        alertsByPair.forEach((pair, alertIds) -> {
            Collections.sort(alertIds);
            Match match = matchesByPair.get(pair);
            corrections.add(new OpenIssues.CorrectionDue(inquiryByAlert.get(alertIds.get(0)), alertedPersonByAlert.get(alertIds.get(0)),
                    List.copyOf(alertIds), deliveredByPair.get(pair), match.status.name(), match.withdrawnFromList(), match.decidedAt));
        });
        List<OpenIssues.Retrying> retrying = deliveries.entrySet().stream()
                .filter(entry -> entry.getValue().retryingSince != null && !entry.getValue().delivered)
                .map(entry -> new OpenIssues.Retrying(entry.getKey(), entry.getValue().channel, entry.getValue().retryingSince,
                        entry.getValue().lastReason, entry.getValue().lastAttemptAt))
                .sorted(Comparator.comparing(OpenIssues.Retrying::alertId)).toList();
        return new OpenIssues(open, reviews, failed, unknown, List.copyOf(corrections), retrying);
    }

    private static String pair(String inquiryId, String personId) {
        return inquiryId + "\u0000" + personId;
    }

    private void on(PersonListingChanged listing) {
        // A correction keeps a person on the list; only a withdrawal takes them off.
        boolean listed = listing.getChange() != ListingChange.WITHDRAWN;
        listings.put(listing.getPersonId(), new Listing(listing.getRoundId(), listed));
    }

    /** The bus's trip of the round (its current trip for an event that names no round). */
    private Bus bus(String busId, String roundId) {
        Bus current = buses.get(busId);
        if (roundId == null && current != null) {
            return current;
        }
        String round = roundId == null ? "" : roundId;
        Bus trip = trips.computeIfAbsent(trip(busId, round), key -> new Bus(busId, round));
        if (current == null) {
            buses.put(busId, trip);
        }
        return trip;
    }

    private static String trip(String busId, String roundId) {
        return busId + "\u0000" + roundId;
    }

    /**
     * The round of every person the console has heard of. Matches and alerts name only the person, so
     * their round comes from the list, else the manifest, else the hand-over. A person known only from a
     * match or an alert (their listing not read yet) is counted in no round until it is.
     */
    private Map<String, String> roundOfEachPerson() {
        Map<String, String> roundOfPerson = new HashMap<>();
        arrivals.forEach((personId, arrival) -> roundOfPerson.put(personId, arrival.roundId));
        trips.values().forEach(bus -> bus.personIds.forEach(personId -> roundOfPerson.put(personId, bus.roundId)));
        listings.forEach((personId, listing) -> roundOfPerson.put(personId, listing.roundId));
        return roundOfPerson;
    }

    private Funnel funnel(String roundId, int matched, int alerted) {
        int listed = (int) listings.values().stream().filter(l -> l.listed && l.roundId.equals(roundId)).count();
        Set<String> onBus = new HashSet<>();
        Set<String> crossed = new HashSet<>();
        for (Bus bus : trips.values()) {
            if (roundId.equals(bus.roundId)) {
                onBus.addAll(bus.personIds);
                if (bus.crossedBorder) {
                    crossed.addAll(bus.personIds);
                }
            }
        }
        // only hand-overs on a manifest: one off it, under a listed person's id, is not that person's arrival
        int arrived = (int) arrivals.values().stream().filter(a -> a.onManifest && a.roundId.equals(roundId)).count();
        int verified = (int) arrivals.values().stream().filter(a -> a.onManifest && a.roundId.equals(roundId) && a.identityVerified).count();
        return new Funnel(listed, onBus.size(), crossed.size(), arrived, verified, matched, alerted);
    }

    private static int countInRound(Set<String> personIds, String roundId, Map<String, String> roundOfPerson) {
        return (int) personIds.stream().filter(personId -> roundId.equals(roundOfPerson.get(personId))).count();
    }

    private RoundView view(String roundId, Funnel funnel) {
        ExchangeRoundRecorded round = rounds.get(roundId);
        if (round == null) {
            return new RoundView(roundId, null, null, null, null, null, null, null, funnel);
        }
        return new RoundView(roundId, round.getStage(), round.getStageCount(), round.getExchangeDate(),
                round.getReleasingSide().name(), round.getReceivingSide().name(), round.getStatus().name(),
                round.getPlannedSoldiers() + round.getPlannedCivilians(), funnel);
    }

    private AlertFigures alertFigures() {
        int delivered = 0;
        int failed = 0;
        for (Delivery delivery : deliveries.values()) {
            if (delivery.delivered) {
                delivered++;
            } else if (delivery.failed) {
                failed++;
            }
        }
        int awaiting = (int) alertedPersonByAlert.keySet().stream().filter(alertId -> {
            Delivery delivery = deliveries.get(alertId);
            return delivery == null || !(delivery.delivered || delivery.failed || delivery.withheld);
        }).count();
        // A match leaves the queue when a caseworker decides it, or when the matcher retracts it
        // (for example after a correction): either way nobody needs to look at it any more.
        int reviewQueue = (int) matches.values().stream().filter(match -> match.status == MatchStatus.REVIEW_REQUESTED).count();
        return new AlertFigures(alertedPersonByAlert.size(), delivered, failed, awaiting, reviewQueue);
    }

    private record Listing(String roundId, boolean listed) {
    }

    private record Arrival(String roundId, boolean identityVerified, boolean onManifest) {
    }

    /** The latest decision on one match; the topic is keyed by inquiry, so a match's decisions stay in order. */
    private record Match(String personId, MatchStatus status, Instant decidedAt, String reason) {
        /** Reunification's reason for the pairs of an inquiry its relative withdrew. */
        static final String INQUIRY_WITHDRAWN = "inquiry withdrawn";
        /** The matcher's reason for sending a match back to review when its person was withdrawn from the list. */
        static final String WITHDRAWN_FROM_LIST = "withdrawn from list";

        boolean holds() {
            return status == MatchStatus.AUTO_MATCHED || status == MatchStatus.CONFIRMED;
        }

        /**
         * Whether the family must be told their person is no longer thought found: rejected by a caseworker, or retracted
         * (the listing corrected to someone else), not retracted because the family withdrew the inquiry. A match back
         * in review is not: the person may still be theirs (an arrival whose identity was not verified, a correction),
         * and a caseworker decides.
         */
        boolean fellForTheFamily() {
            return status == MatchStatus.REJECTED || (status == MatchStatus.RETRACTED && !INQUIRY_WITHDRAWN.equals(reason))
                    || withdrawnFromList();
        }

        /**
         * Back in review because the person was withdrawn from the release list: the person is still theirs, but what
         * the family was told ("on the release list") is no longer true, and they may be travelling to the reception
         * point for nobody. Until the person is listed again (the match is decided again) or a caseworker decides.
         */
        boolean withdrawnFromList() {
            return status == MatchStatus.REVIEW_REQUESTED && WITHDRAWN_FROM_LIST.equals(reason);
        }
    }

    private static final class Delivery {
        boolean delivered;
        /**
         * The latest record says FAILED: every attempt failed, and reunification does not try again on its own. An
         * operator's resend follows it with SENDING and a new outcome, so it is the latest record, not any record.
         */
        boolean failed;
        boolean withheld;
        /** The latest record says UNKNOWN: held by reunification until an operator resends it or marks it delivered. */
        boolean unknown;
        Instant lastAttemptAt;
        /**
         * When the run of retries the alert is in began: set by its first RETRYING, kept through the SENDING and RETRYING
         * records that follow (reunification tries an alert whose channel is away again and again), cleared by an outcome.
         */
        Instant retryingSince;
        String channel;
        /** Why the latest failed attempt failed (a mail server away, or one that could not be reached encrypted). */
        String lastReason;

        void attempted(int attempt, DeliveryOutcome outcome, String channel, Instant at, String failureReason) {
            this.channel = channel;
            if (outcome == DeliveryOutcome.RETRYING && failureReason != null) {
                lastReason = readable(failureReason);
            }
            if (outcome == DeliveryOutcome.RETRYING && retryingSince == null) {
                retryingSince = at;
            } else if (outcome != DeliveryOutcome.RETRYING && outcome != DeliveryOutcome.SENDING) {
                retryingSince = null;
            }
            if (lastAttemptAt == null || (at != null && at.isAfter(lastAttemptAt))) {
                lastAttemptAt = at;
            }
            unknown = outcome == DeliveryOutcome.UNKNOWN; // records of one alert share a key, so they come in order
            // Attempt 0 is reunification's record of an alert it withheld on purpose, never trying to send it: the
            // inquiry was withdrawn, or the contact data erased. Nothing failed and there is nothing to resend, so it
            // is neither a failure for an operator nor an alert awaiting delivery.
            withheld = outcome == DeliveryOutcome.FAILED && attempt == 0;
            failed = outcome == DeliveryOutcome.FAILED && !withheld;
            if (outcome == DeliveryOutcome.DELIVERED) {
                delivered = true;
            }
        }
    }

    /** A reason as the page may show it: one line, control characters out, at most 300 characters. */
    private static String readable(String reason) {
        String line = reason.codePoints().map(c -> Character.isISOControl(c) ? ' ' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    private static final class Bus {
        final String busId;
        final String roundId;
        Set<String> personIds = Set.of();
        Instant manifestAt;
        BusState state = BusState.REGISTERED;
        boolean crossedBorder;
        Instant silentSince;
        String lastPlace;
        Instant lastSeenAt;
        Instant estimatedArrival;
        Instant positionAt;
        Double latitude;
        Double longitude;
        Instant untrackedSince;
        final List<BusTimeline.Entry> movements = new ArrayList<>();
        final Map<String, PersonHandedOver> handoversByPerson = new HashMap<>();
        final Collection<PersonHandedOver> handovers = handoversByPerson.values();
        final Set<HandoverDiscrepancyFound> discrepancies = new HashSet<>();

        Bus(String busId, String roundId) {
            this.busId = busId;
            this.roundId = roundId;
        }

        void handedOver(PersonHandedOver handover) {
            handoversByPerson.put(handover.getPersonId(), handover);
        }

        void manifest(BusManifestRegistered manifest) {
            // A later manifest for the same bus replaces the earlier one, its trackers too.
            if (manifestAt != null && manifest.getRegisteredAt().isBefore(manifestAt)) {
                return; // an older manifest read late (another partition, a re-read) changes nothing
            }
            manifestAt = manifest.getRegisteredAt();
            personIds = Set.copyOf(manifest.getPersonIds());
            boolean noTracker = manifest.getTrackedBy() == null && manifest.getTrackerClient() == null;
            untrackedSince = noTracker ? manifest.getRegisteredAt() : null;
        }

        void moved(BusMovementDetected movement) {
            Instant at = movement.getOccurredAt();
            BusTimeline.Entry entry = new BusTimeline.Entry(at, movement.getMovement().name(), movement.getPlace(), null,
                    movement.getEstimatedArrival() == null ? null : "expected arrival " + movement.getEstimatedArrival());
            // Re-read after a rebalance, the same movement must not appear twice.
            if (!movements.contains(entry)) {
                movements.add(entry);
            }
            BusState reached = BusState.reachedBy(movement.getMovement());
            state = state.furthest(reached);
            if (movement.getMovement() == Movement.BORDER_CROSSED) {
                crossedBorder = true;
            }
            if (movement.getMovement() == Movement.TRACKER_SILENT) {
                silentSince = later(silentSince, at);
            } else {
                seen(at);
            }
            if (movement.getEstimatedArrival() != null) {
                estimatedArrival = movement.getEstimatedArrival();
            }
            if (movement.getPlace() != null && reached != null) {
                lastPlace = movement.getPlace();
            }
            if (movement.getLatitude() != null && movement.getLongitude() != null) {
                position(movement.getLatitude(), movement.getLongitude(), at);
            }
        }

        void positioned(BusPositionRecorded position) {
            seen(position.getRecordedAt());
            position(position.getLatitude(), position.getLongitude(), position.getRecordedAt());
        }

        private void seen(Instant at) {
            lastSeenAt = later(lastSeenAt, at);
        }

        /** Positions can arrive late or twice: only a newer one moves the marker. */
        private void position(double lat, double lon, Instant at) {
            if (positionAt == null || !at.isBefore(positionAt)) {
                positionAt = at;
                latitude = lat;
                longitude = lon;
            }
        }

        private static Instant later(Instant current, Instant candidate) {
            return current == null || candidate.isAfter(current) ? candidate : current;
        }

        BusView view() {
            boolean silent = silentSince != null && (lastSeenAt == null || !lastSeenAt.isAfter(silentSince));
            return new BusView(busId, roundId, state, personIds.size(), silent, lastPlace, lastSeenAt,
                    estimatedArrival, latitude, longitude, untrackedSince);
        }
    }
}
