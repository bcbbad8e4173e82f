package org.homecoming.reunification.pairing;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.homecoming.catalogue.Topics;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.events.reunification.FieldEvidence;
import org.homecoming.events.reunification.MatchDecided;
import org.homecoming.events.reunification.MatchStatus;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.web.InvalidRequestException;
import org.homecoming.platform.web.PlainText;
import org.homecoming.platform.web.Violation;
import org.homecoming.reunification.inquiries.InquiryFence;
import org.homecoming.reunification.inquiries.InquiryLookup;
import org.homecoming.reunification.inquiries.InquiryService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Service;

/**
 * A caseworker's confirmation or rejection of a match. It is written to {@code reunification.matches}, where every
 * decision is kept; the pairing listener reads it back and, for a confirmation, releases the alerts in the same
 * transaction. A decision re-sent before it was read back publishes nothing again.
 * <p>
 * Each decision names the inquiry revision and the person version the caseworker saw. One that a correction overtakes
 * before the listener reads it back is not applied ({@link MatchBook#applyCaseworker}): the pair stays in review, on
 * the new revision, and the caseworker decides again. A request that carries the version she read is refused 409
 * when a correction landed before it came (the version names the revisions); one overtaken after it was written
 * cannot be told in advance: the queue shows the pair still in review, with the new revision.
 * <p>
 * A decision is written under its inquiry's fence ({@link InquiryFence}), like every write of the inquiry: after taking
 * it the instance reads the inquiry to its end and checks it is still open. A withdrawal or erasure committed on
 * another instance a moment earlier is then seen (409, nothing recorded); one taken at the same moment either comes
 * after the decision on the topics or fences it before its commit (409, nothing recorded). So no caseworker's
 * confirmation lands after the inquiry's tombstone, where it would release an alert for a withdrawn inquiry.
 * <p>
 * The match itself is checked there too, after this instance has read the inquiry's partition of the matches topic to
 * its end, against what the caseworker decided on: the match's {@link MatchView#version() version} she read, sent with
 * her decision. Of two caseworkers deciding one match, on one instance or two, a minute apart or at the same moment,
 * the later one finds the earlier one's decision and is refused 409, not retryable (re-read the match and decide on
 * what it is now), or fences it (409 retryable for the earlier one: sent again, its version is checked again). Before,
 * the decision was checked against the match as the request found it on arrival: a caseworker who confirmed a match
 * another had rejected a minute earlier, on a screen still showing it in review, took the rejection back unknowingly,
 * and the family was alerted about a man ruled out. Reversing a decision (confirming a rejected match, rejecting a
 * confirmed one) requires the version; a first decision on a match in review or auto-matched may go without it, and is
 * then checked against the match as the request found it. Decisions about other inquiries do not wait for this one:
 * the only lock is the inquiry's turn under its fence (before, one monitor for the instance was held across the
 * fence, and a coordinator failing over held every caseworker of the instance for up to {@code max.block.ms}).
 */
@Service
public class CaseworkerDecisions {

    private static final Logger log = LoggerFactory.getLogger(CaseworkerDecisions.class);
    static final int MAX_REASON = 500;
    /** A version is about 50 characters (status, decision time, two revisions); room to spare, not a free text. */
    static final int MAX_VERSION = 200;
    /** What a version is made of: status, decision time, inquiry revision and person version, joined by dots. */
    private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("[A-Za-z0-9_.]+");

    private final MatchBook matches;
    private final KafkaTemplate<String, Object> kafka;
    private final AuditTrail audit;
    private final Clock clock;
    private final Map<String, Submitted> submitted = new ConcurrentHashMap<>();
    private final ObjectProvider<DecisionsElsewhere> elsewhere;
    private final ObjectProvider<InquiryFence> fence;
    private final ObjectProvider<InquiryLookup> inquiries;
    private final ObjectProvider<InquiriesCaughtUp> caughtUp;
    private final ObjectProvider<PairingListener> listener;

    CaseworkerDecisions(MatchBook matches, KafkaTemplate<String, Object> kafka, Clock clock, AuditTrail audit,
                        ObjectProvider<DecisionsElsewhere> elsewhere, ObjectProvider<InquiryFence> fence,
                        ObjectProvider<InquiryLookup> inquiries, ObjectProvider<InquiriesCaughtUp> caughtUp,
                        ObjectProvider<PairingListener> listener) {
        this.caughtUp = caughtUp;
        this.listener = listener;
        this.fence = fence;
        this.inquiries = inquiries;
        this.audit = audit;
        this.matches = matches;
        this.elsewhere = elsewhere;
        this.kafka = kafka;
        this.clock = clock;
    }

    /** {@code version}: the {@link MatchView#version()} the caseworker decided on; null when the caller sent none. */
    public record Decision(String caseworker, String reason, String version) {
    }

    /**
     * A decision written and not read back yet, with the version of the match it was made on. It stands for the match
     * only while the match is still at that version: once the decision is read back, or another caseworker's decision,
     * the matcher's or a correction lands, the match has moved on and the entry says nothing about it. Before, it was
     * kept while the revisions matched, so a later caseworker's reversal of another's decision on this instance was
     * taken for a repeat of the first: answered 202 and never written.
     */
    private record Submitted(MatchStatus status, String decidedOn) {
        boolean stillPending(MatchView match) {
            return decidedOn.equals(match.version());
        }
    }

    /** The oldest {@code limit} pairs with a given status, oldest decision first; {@code null} for all. */
    public List<MatchView> queue(MatchStatus status, int limit) {
        DecisionsElsewhere all = elsewhere.getIfAvailable();
        return all == null ? matches.matches(status, limit) : all.matches(status, limit);
    }

    /** Any instance answers about any match (see {@link DecisionsElsewhere}), and takes a decision about it. */
    public Optional<MatchView> match(String matchId) {
        DecisionsElsewhere all = elsewhere.getIfAvailable();
        return all == null ? matches.match(matchId) : all.match(matchId);
    }

    public MatchView decide(String matchId, MatchStatus decision, Decision body) {
        validate(decision, body);
        // the match as the request found it: what the caseworker decided on when she sent no version
        MatchView seen = match(matchId).orElseThrow(() -> new MatchNotFoundException(matchId));
        Optional<MatchView> repeated = alreadyDecided(matchId, seen, decision);
        if (repeated.isPresent()) {
            // a double-click's second request, or one sent again after a timeout: answered at once, before any wait
            // for the matches partition (nothing is written, so nothing needs the fence), unless the inquiry is known
            // here to be withdrawn or erased
            requireOpen(seen);
            return repeated.get();
        }
        requireVersionToReverse(seen, decision, body);
        InquiryFence inquiryFence = fence.getIfAvailable();
        if (inquiryFence == null) {
            // one instance without Kafka (tests): no fence to take turns under, so one decision at a time
            synchronized (this) {
                return decide(matchId, seen, match(matchId).orElseThrow(() -> new MatchNotFoundException(matchId)),
                        decision, body, kafka, audit);
            }
        }
        try {
            return inquiryFence.decide(seen.inquiryId(), template -> {
                requireDecisionsRead(seen.inquiryId());
                MatchView now = match(matchId).orElseThrow(() -> new MatchNotFoundException(matchId));
                requireOpen(now);
                return decide(matchId, seen, now, decision, body, template, inquiryFence.auditing(audit, template));
            });
        } catch (InquiryFence.InquiryChangedException changed) {
            // fenced by a write of the inquiry on another instance, or another write of it here held it too long. Sent
            // again, the request is checked again against the version it carries, so a retry cannot override a decision
            // it did not see.
            throw new MatchConflictException("Inquiry " + seen.inquiryId() + " of match " + matchId + " was changed, "
                    + "withdrawn or erased, or the match decided, at the same moment; the decision was not recorded. Read "
                    + "the match again, and decide again if it is still in review", true);
        }
    }

    /**
     * The match as already decided this way, by this decision's earlier request or by the same decision of another
     * caseworker: nothing is published again. Checked before the fence (a repeat need not wait for the matches to be
     * read) and again under it.
     */
    private Optional<MatchView> alreadyDecided(String matchId, MatchView match, MatchStatus decision) {
        Submitted unread = submitted.get(matchId);
        boolean pending = unread != null && unread.status() == decision && unread.stillPending(match);
        return match.status() == decision || pending ? Optional.of(match) : Optional.empty();
    }

    /**
     * Taking back a decision (a rejection confirmed, a confirmation rejected) needs the version of the decision taken
     * back: without it, a caseworker whose screen still showed the match in review would reverse another's decision
     * she never saw. Taking back a rejection needs a reason too; both problems are answered at once.
     */
    private static void requireVersionToReverse(MatchView seen, MatchStatus decision, Decision body) {
        boolean reversal = (decision == MatchStatus.CONFIRMED && seen.status() == MatchStatus.REJECTED)
                || (decision == MatchStatus.REJECTED && seen.status() == MatchStatus.CONFIRMED);
        if (!reversal) {
            return;
        }
        List<Violation> violations = new ArrayList<>();
        if (decision == MatchStatus.CONFIRMED && (body.reason() == null || body.reason().isBlank())) {
            violations.add(Violation.of("reason", "is required to take back a rejection: say what showed it was wrong"));
        }
        if (body.version() == null || body.version().isBlank()) {
            violations.add(Violation.of("version", "is required to take back a decision: the match is " + seen.status()
                    + "; send the version of the match as read, so that only a decision you saw is taken back"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException("The decision has " + violations.size() + " problem(s)", violations);
        }
    }

    /**
     * Decides match {@code matchId} (as this instance holds it now, {@code match}), which the request found as
     * {@code seen}, writing through {@code template}: under the inquiry's fence, or alone when there is none.
     */
    private MatchView decide(String matchId, MatchView seen, MatchView match, MatchStatus decision, Decision body,
                             KafkaTemplate<String, Object> template, AuditTrail trail) {
        // After the match was read: a pairing batch that moves the pair notes its inquiry in the same step, so a move
        // the read saw is still noted here, unless its records committed (and then this decision lands after them).
        if (matches.uncommitted(match.inquiryId())) {
            throw new InquiryService.InquiryViewBehindException(match.inquiryId());
        }
        Submitted unread = submitted.get(matchId);
        // Read back (the status is the one sent), or overtaken by a correction of the inquiry or the person: the
        // listener does not apply a decision made on an earlier revision, so the caseworker must be able to decide again.
        if (unread != null && !unread.stillPending(match)) {
            submitted.remove(matchId);
            unread = null;
        }
        MatchStatus pending = unread == null ? null : unread.status();
        if (match.status() == decision || pending == decision) {
            return match; // already decided this way (a double-click's second request among them): nothing is published again
        }
        // what the caseworker decided on: the version she read, or without one the match as her request found it
        String decidedOn = body.version() == null || body.version().isBlank() ? seen.version() : body.version().trim();
        if (!match.version().equals(decidedOn) || pending != null) {
            // another caseworker's decision (or the matcher's, or a correction) landed since she read the match: she
            // decided on what she saw, which is no longer so. Not retryable: the same request sent again would be
            // refused again, or, without a version, would decide on what she has not seen.
            MatchStatus is = pending != null ? pending : match.status();
            throw new MatchConflictException("Match " + matchId + " is " + is + " since the caseworker read it (version "
                    + decidedOn + ", now " + match.version() + "); the decision was not recorded. Read the match again, "
                    + "and decide on what it is now");
        }
        // A caseworker may take back a rejection (a mis-click in a long queue, evidence that came later): only a
        // caseworker can, and without it the family would wait for a correction that never comes.
        boolean allowed = decision == MatchStatus.CONFIRMED
                ? match.status() == MatchStatus.REVIEW_REQUESTED || match.status() == MatchStatus.AUTO_MATCHED
                        || match.status() == MatchStatus.REJECTED
                : match.status() == MatchStatus.REVIEW_REQUESTED || match.status() == MatchStatus.AUTO_MATCHED
                        || match.status() == MatchStatus.CONFIRMED;
        if (!allowed) {
            throw new MatchConflictException("Match " + matchId + " is " + match.status() + " and cannot be " + decision);
        }
        boolean takenBack = match.status() == MatchStatus.REJECTED;
        if (takenBack && (body.reason() == null || body.reason().isBlank())) {
            throw new InvalidRequestException("reason", "is required to take back a rejection: say what showed it was wrong");
        }
        if (takenBack) {
            // the inquiry may stand matched to another man since: the family would be told of two
            Optional<MatchView.Competitor> standing = match.competing().stream().filter(other ->
                    other.status() == MatchStatus.CONFIRMED || other.status() == MatchStatus.AUTO_MATCHED).findFirst();
            if (standing.isPresent()) {
                throw new MatchConflictException("Match " + matchId + " cannot be confirmed: inquiry " + match.inquiryId()
                        + " stands matched to another person (match " + standing.get().matchId() + ", "
                        + standing.get().status() + "); reject that one first, so the family is told of one");
            }
        }
        // to the millisecond, as the topic keeps it: the version answered is the one the match has once read back
        Instant now = Instant.ofEpochMilli(clock.instant().toEpochMilli());
        MatchDecided event = MatchDecided.newBuilder()
                .setMatchId(matchId)
                .setInquiryId(match.inquiryId())
                .setPersonId(match.personId())
                .setStatus(decision)
                .setScore(match.score())
                .setEvidence(match.evidence().stream().map(e -> new FieldEvidence(e.field(), e.level(), e.weight())).toList())
                .setDecidedBy(body.caseworker().trim())
                .setReason(body.reason() == null || body.reason().isBlank() ? null : body.reason().trim())
                .setDecidedAt(now)
                .setInquiryRevision(match.inquiryRevision())
                .setPersonChangedAt(Instant.ofEpochMilli(match.personVersion()))
                .build();
        String detail = "inquiry " + match.inquiryId() + ", person " + match.personId() + (takenBack ? ", rejection taken back" : "");
        AuditAction action = decision == MatchStatus.CONFIRMED ? AuditAction.MATCH_CONFIRMED : AuditAction.MATCH_REJECTED;
        publish(template, trail, event, action, detail);
        submitted.put(matchId, new Submitted(decision, match.version()));
        log.info("Match {} of inquiry {} {} by a caseworker", matchId, match.inquiryId(), decision);
        return new MatchView(matchId, match.inquiryId(), match.personId(), decision, match.score(), match.evidence(),
                event.getReason(), event.getDecidedBy(), now, match.inquiryRevision(), match.personVersion(), match.competing());
    }

    /** The decision and its audit entry in one transaction: neither is written without the other. */
    private static void publish(KafkaTemplate<String, Object> template, AuditTrail trail, MatchDecided event,
                                AuditAction action, String detail) {
        template.executeInTransaction(operations -> {
            var sent = operations.send(Topics.MATCHES.name(), event.getInquiryId(), event);
            trail.recorded(action, AuditSubject.MATCH, event.getMatchId(), AuditOutcome.SUCCEEDED, detail);
            return sent;
        }).join();
    }

    /**
     * Waits, bounded, until this instance's books hold every decision committed on the inquiry's partition of the matches
     * topic: under the fence, another instance's decision on the match committed before it is then seen.
     *
     * @throws InquiryService.InquiryViewBehindException when they do not in time: 503, nothing recorded
     */
    private void requireDecisionsRead(String inquiryId) {
        InquiriesCaughtUp reads = caughtUp.getIfAvailable();
        DecisionsElsewhere all = elsewhere.getIfAvailable();
        PairingListener pairing = listener.getIfAvailable();
        if (reads == null || all == null || pairing == null) {
            return; // one instance without Kafka (tests): its books hold what it decided
        }
        if (!reads.awaitMatchesRead(inquiryId, partition -> all.matchesReadTo(partition, pairing::matchesReadTo))) {
            throw new InquiryService.InquiryViewBehindException(inquiryId);
        }
    }

    /** Checked under the inquiry's fence, on this instance's view read to the inquiry's end. */
    private void requireOpen(MatchView match) {
        InquiryLookup lookup = inquiries.getIfAvailable();
        // erased: its key is destroyed, even if its tombstone is not written yet (the sweep finishes such an erasure)
        if (lookup != null && (lookup.isWithdrawn(match.inquiryId()) || lookup.isErased(match.inquiryId())
                || lookup.find(match.inquiryId()).isEmpty())) {
            throw new MatchConflictException("Match " + match.matchId() + " cannot be decided: its inquiry "
                    + match.inquiryId() + " was withdrawn or erased, and nothing is sent for it; the decision was not recorded");
        }
    }

    private static void validate(MatchStatus decision, Decision body) {
        List<Violation> violations = new ArrayList<>();
        if (body == null) {
            throw new InvalidRequestException("body", "is required: {reason}");
        }
        if (body.caseworker() == null || body.caseworker().isBlank()) {
            violations.add(Violation.of("caseworker", "is required"));
        } else if (body.caseworker().length() > 100) {
            violations.add(Violation.of("caseworker", "must be at most 100 characters"));
        }
        if (decision == MatchStatus.REJECTED && (body.reason() == null || body.reason().isBlank())) {
            violations.add(Violation.of("reason", "is required for a rejection"));
        }
        PlainText.check("reason", body.reason(), MAX_REASON, violations);
        if (body.version() != null && !body.version().isBlank() && (body.version().trim().length() > MAX_VERSION
                || !VERSION.matcher(body.version().trim()).matches())) {
            // echoed in the 409's detail: only the characters a version is made of (no control or direction marks)
            violations.add(Violation.of("version", "must be the match's version as read (at most " + MAX_VERSION
                    + " letters, digits, '_' and '.')"));
        }
        if (!violations.isEmpty()) {
            throw new InvalidRequestException("The decision has " + violations.size() + " problem(s)", violations);
        }
    }

    public static final class MatchNotFoundException extends RuntimeException {
        MatchNotFoundException(String matchId) {
            super("No match " + matchId);
        }
    }

    public static final class MatchConflictException extends RuntimeException {
        private final boolean retryable;

        MatchConflictException(String message) {
            this(message, false);
        }

        /** {@code retryable}: lost a race with another write, and the same request sent again is decided afresh. */
        MatchConflictException(String message, boolean retryable) {
            super(message);
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }
}
