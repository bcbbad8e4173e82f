package org.homecoming.reunification.pairing;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.AlertChannel;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.events.reunification.Language;
import org.homecoming.events.reunification.Milestone;
import org.homecoming.reunification.inquiries.ContactChannel;
import org.homecoming.reunification.inquiries.InquiryBook;

/**
 * Every alert issued, by inquiry, and the one place that issues them: an alert is due for a pair when
 * {@link AlertRules#due} says so, and it is issued once under its id of (inquiry, person, milestone).
 */
public final class AlertBook {

    /** Reports each alert issued; the caller counts. */
    public interface Counter {
        Counter NONE = milestone -> {
        };

        void alertIssued(Milestone milestone);
    }

    private static final Issued[] NONE = {};
    /** Facility ids shared by the alerts read back (a few dozen places; the bound keeps odd input from growing it). */
    private static final int MOST_FACILITIES = 10_000;

    private final Facts facts;
    private final InquiryBook inquiries;
    private final MatchBook pairs;
    private final Clock clock;
    private final Counter counter;
    /** Each inquiry's alerts in the order issued; an array, not a map, since most inquiries have one to four. */
    private Map<String, Issued[]> alertsByInquiry = new HashMap<>();
    /** The alerts as they were when a rebuild began, for REST reads until it ends (see {@link MatchBook}). */
    private Map<String, Issued[]> previous;
    private final Map<String, String> facilities = new HashMap<>();

    /**
     * An alert as the book holds it: what an {@link AlertIssued} carries, without what the book knows otherwise. The
     * inquiry id is the key it is held under, the alert id is the one derived from inquiry, person and milestone (an
     * alert read back under another id keeps that id), the person's id is shared with the pairs, and the time is in
     * millis, as the record carries it. A service holds a hundred thousand alerts and more; as records, each cost some
     * 400 bytes.
     */
    private record Issued(String personId, Milestone milestone, Language language, AlertChannel channel, String facility,
                          long issuedAt, String otherAlertId) {

        String alertId(String inquiryId) {
            return otherAlertId != null ? otherAlertId : AlertRules.alertId(inquiryId, personId, milestone);
        }

        boolean sameAlert(Issued other, String inquiryId) {
            if (otherAlertId == null && other.otherAlertId == null) {
                return milestone == other.milestone && personId.equals(other.personId);
            }
            return alertId(inquiryId).equals(other.alertId(inquiryId));
        }

        AlertIssued asRecord(String inquiryId) {
            return AlertIssued.newBuilder()
                    .setAlertId(alertId(inquiryId))
                    .setInquiryId(inquiryId)
                    .setPersonId(personId)
                    .setMilestone(milestone)
                    .setLanguage(language)
                    .setChannel(channel)
                    .setFacility(facility)
                    .setIssuedAt(Instant.ofEpochMilli(issuedAt))
                    .build();
        }
    }

    /** @param pairs the pairs whose ids the alerts share */
    AlertBook(Facts facts, InquiryBook inquiries, MatchBook pairs, Clock clock, Counter counter) {
        this.facts = facts;
        this.inquiries = inquiries;
        this.pairs = pairs;
        this.clock = clock;
        this.counter = counter;
    }

    /**
     * Issues the alerts due for these pairs, each pair once; and for a pair that became a match again (see
     * {@link MatchBook#takeStandingAgain}) with nothing new due, its furthest alert once more.
     */
    synchronized void issueDue(Collection<Pair> pairs, List<Emitted> out) {
        List<Pair> standingAgain = this.pairs.takeStandingAgain();
        Set<Pair> all = new LinkedHashSet<>(pairs);
        all.addAll(standingAgain);
        for (Pair pair : all) {
            Optional<AlertIssued> due = issueDue(pair);
            if (due.isEmpty() && standingAgain.contains(pair)) {
                due = issueAgain(pair);
            }
            due.ifPresent(alert -> out.add(new Emitted(Topics.ALERTS, pair.inquiryId, alert)));
        }
    }

    /**
     * The furthest alert of a pair that is a match again, issued once more under its own id. Delivery withholds an alert
     * whose match fell before it went out (a queue behind a mail outage, a caseworker's rejection, a correction); without
     * this a match confirmed again would never reach the family, since its milestone counts as announced. The same id
     * makes it safe: delivery sends an alert id at most once, so one delivered before the fall is not sent again.
     */
    private Optional<AlertIssued> issueAgain(Pair pair) {
        boolean open = facts.inquiry(pair.inquiryId) != null && facts.isOpen(pair.inquiryId);
        if (!open || !pair.alerting()) {
            return Optional.empty();
        }
        Issued furthest = null;
        for (Issued alert : alertsByInquiry.getOrDefault(pair.inquiryId, NONE)) {
            if (alert.personId().equals(pair.personId) && (furthest == null || alert.milestone().ordinal() > furthest.milestone().ordinal())) {
                furthest = alert;
            }
        }
        if (furthest == null) {
            return Optional.empty();
        }
        Issued again = new Issued(furthest.personId(), furthest.milestone(), furthest.language(), furthest.channel(),
                furthest.facility(), clock.millis(), furthest.otherAlertId());
        hold(pair.inquiryId, again);
        return Optional.of(again.asRecord(pair.inquiryId));
    }

    private Optional<AlertIssued> issueDue(Pair pair) {
        Set<Milestone> issuedForPair = EnumSet.noneOf(Milestone.class);
        for (Issued alert : alertsByInquiry.getOrDefault(pair.inquiryId, NONE)) {
            if (alert.personId().equals(pair.personId)) {
                issuedForPair.add(alert.milestone());
            }
        }
        boolean open = facts.inquiry(pair.inquiryId) != null && facts.isOpen(pair.inquiryId);
        Optional<Milestone> due = AlertRules.due(pair.status, open, facts.reached(pair.personId), issuedForPair);
        Optional<InquiryRegistered> inquiry = due.isPresent() ? inquiries.find(pair.inquiryId) : Optional.empty();
        if (inquiry.isEmpty()) {
            return Optional.empty();
        }
        Milestone milestone = due.get();
        Issued issued = new Issued(pair.personId, milestone, inquiry.get().getRelative().getLanguage(),
                ContactChannel.of(inquiry.get().getRelative()), facts.facility(pair.personId, milestone), clock.millis(), null);
        hold(pair.inquiryId, issued);
        counter.alertIssued(milestone);
        return Optional.of(issued.asRecord(pair.inquiryId));
    }

    /** Takes an alert read back from the alerts topic as issued. */
    synchronized void restore(AlertIssued alert) {
        String inquiryId = pairs.sharedInquiryId(alert.getInquiryId());
        String personId = pairs.sharedPersonId(alert.getPersonId());
        String alertId = alert.getAlertId();
        boolean derived = alertId.equals(AlertRules.alertId(inquiryId, personId, alert.getMilestone()));
        hold(inquiryId, new Issued(personId, alert.getMilestone(), alert.getLanguage(), alert.getChannel(),
                facility(alert.getFacility()), alert.getIssuedAt().toEpochMilli(), derived ? null : alertId));
    }

    /** The alert in place of an earlier record of the same alert id, or after the inquiry's alerts. */
    private void hold(String inquiryId, Issued alert) {
        Issued[] alerts = alertsByInquiry.getOrDefault(inquiryId, NONE);
        for (int i = 0; i < alerts.length; i++) {
            if (alerts[i].sameAlert(alert, inquiryId)) {
                Issued[] replaced = alerts.clone();
                replaced[i] = alert;
                alertsByInquiry.put(inquiryId, replaced);
                return;
            }
        }
        Issued[] all = Arrays.copyOf(alerts, alerts.length + 1);
        all[alerts.length] = alert;
        alertsByInquiry.put(inquiryId, all);
    }

    private String facility(String facility) {
        if (facility == null) {
            return null;
        }
        String shared = facilities.get(facility);
        if (shared == null && facilities.size() < MOST_FACILITIES) {
            facilities.put(facility, facility);
            shared = facility;
        }
        return shared == null ? facility : shared;
    }

    public synchronized List<AlertIssued> alertsOf(String inquiryId) {
        Issued[] alerts = alertsByInquiry.get(inquiryId);
        if (alerts == null && previous != null) {
            alerts = previous.get(inquiryId);
        }
        return alerts == null ? List.of() : Arrays.stream(alerts).map(alert -> alert.asRecord(inquiryId)).toList();
    }

    /** A rebuild begins: the book starts empty, and the alerts it held answer reads until {@link #rebuilt}. */
    synchronized void reset() {
        if (previous == null) {
            previous = alertsByInquiry;
        }
        alertsByInquiry = new HashMap<>();
    }

    /** The rebuild is done: reads are answered by the rebuilt book alone. */
    synchronized void rebuilt() {
        previous = null;
    }
}
