package org.homecoming.reunification.pairing;

import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.homecoming.catalogue.Topics;
import org.homecoming.events.reunification.AlertIssued;
import org.homecoming.events.reunification.InquiryRegistered;
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

    private static final AlertIssued[] NONE = {};

    private final Facts facts;
    private final InquiryBook inquiries;
    private final Clock clock;
    private final Counter counter;
    /** Each inquiry's alerts in the order issued; an array, not a map, since most inquiries have one to four. */
    private Map<String, AlertIssued[]> alertsByInquiry = new HashMap<>();
    /** The alerts as they were when a rebuild began, for REST reads until it ends (see {@link MatchBook}). */
    private Map<String, AlertIssued[]> previous;

    AlertBook(Facts facts, InquiryBook inquiries, Clock clock, Counter counter) {
        this.facts = facts;
        this.inquiries = inquiries;
        this.clock = clock;
        this.counter = counter;
    }

    /** Issues the alerts due for these pairs, each pair once. */
    synchronized void issueDue(Collection<Pair> pairs, List<Emitted> out) {
        for (Pair pair : pairs) {
            issueDue(pair).ifPresent(alert -> out.add(new Emitted(Topics.ALERTS, pair.inquiryId, alert)));
        }
    }

    private Optional<AlertIssued> issueDue(Pair pair) {
        Set<Milestone> issuedForPair = EnumSet.noneOf(Milestone.class);
        for (AlertIssued alert : alertsByInquiry.getOrDefault(pair.inquiryId, NONE)) {
            if (alert.getPersonId().equals(pair.personId)) {
                issuedForPair.add(alert.getMilestone());
            }
        }
        boolean open = facts.inquiry(pair.inquiryId) != null && facts.isOpen(pair.inquiryId);
        Optional<Milestone> due = AlertRules.due(pair.status, open, facts.reached(pair.personId), issuedForPair);
        Optional<InquiryRegistered> inquiry = due.isPresent() ? inquiries.find(pair.inquiryId) : Optional.empty();
        if (inquiry.isEmpty()) {
            return Optional.empty();
        }
        Milestone milestone = due.get();
        AlertIssued alert = AlertIssued.newBuilder()
                .setAlertId(AlertRules.alertId(pair.inquiryId, pair.personId, milestone))
                .setInquiryId(pair.inquiryId)
                .setPersonId(pair.personId)
                .setMilestone(milestone)
                .setLanguage(inquiry.get().getRelative().getLanguage())
                .setChannel(ContactChannel.of(inquiry.get().getRelative()))
                .setFacility(facts.facility(pair.personId, milestone))
                .setIssuedAt(clock.instant())
                .build();
        restore(alert);
        counter.alertIssued(milestone);
        return Optional.of(alert);
    }

    /** Takes an alert read back from the alerts topic as issued. */
    synchronized void restore(AlertIssued alert) {
        alertsByInquiry.merge(alert.getInquiryId(), new AlertIssued[] {alert}, AlertBook::withAlert);
    }

    /** The alerts with this one in place of an earlier record of the same alert id, or after them. */
    private static AlertIssued[] withAlert(AlertIssued[] alerts, AlertIssued[] one) {
        AlertIssued alert = one[0];
        for (int i = 0; i < alerts.length; i++) {
            if (alerts[i].getAlertId().equals(alert.getAlertId())) {
                AlertIssued[] replaced = alerts.clone();
                replaced[i] = alert;
                return replaced;
            }
        }
        AlertIssued[] all = Arrays.copyOf(alerts, alerts.length + 1);
        all[alerts.length] = alert;
        return all;
    }

    public synchronized List<AlertIssued> alertsOf(String inquiryId) {
        AlertIssued[] alerts = alertsByInquiry.get(inquiryId);
        if (alerts == null && previous != null) {
            alerts = previous.get(inquiryId);
        }
        return alerts == null ? List.of() : List.of(alerts);
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
