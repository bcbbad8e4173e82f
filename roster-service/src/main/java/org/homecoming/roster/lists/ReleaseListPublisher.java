package org.homecoming.roster.lists;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.homecoming.catalogue.Topics;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.events.common.Side;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.roster.ReleaseListPublished;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.observability.MetricNames;
import org.homecoming.platform.web.InvalidRequestException;
import org.homecoming.platform.web.Violation;
import org.homecoming.roster.RecordTracing;
import org.homecoming.roster.RosterFeed;
import org.homecoming.roster.lists.ReleaseList.ListVersion;
import org.homecoming.roster.lists.ReleaseListValidator.Checked;
import org.homecoming.roster.rounds.ExchangeRound;
import org.homecoming.roster.rounds.ExchangeRounds;
import org.homecoming.roster.rounds.RoundTransaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * Validates a release list and publishes it, or the differences of a new version, in one Kafka transaction:
 * the person events first and the ReleaseListPublished header last. A read_committed consumer sees all of a
 * version or none of it; the in-memory state changes only after the commit.
 */
@Service
class ReleaseListPublisher {

    private static final Logger log = LoggerFactory.getLogger(ReleaseListPublisher.class);
    private static final ListPublicationHook NO_HOOK = (transaction, sent) -> { };

    private final ExchangeRounds rounds;
    private final ReleaseLists lists;
    private final ObjectProvider<ListPublicationHook> hook;
    private final RecordTracing tracing;
    private final MeterRegistry meters;
    private final AuditTrail audit;
    private final ObjectProvider<RosterFeed> feed;
    private final ListingFence fence;
    private final Clock clock;

    ReleaseListPublisher(ExchangeRounds rounds, ReleaseLists lists,
                         ObjectProvider<ListPublicationHook> hook, RecordTracing tracing,
                         ObjectProvider<MeterRegistry> meters, AuditTrail audit, ObjectProvider<RosterFeed> feed,
                         ListingFence fence) {
        this.rounds = rounds;
        this.fence = fence;
        this.lists = lists;
        this.hook = hook;
        this.tracing = tracing;
        this.meters = meters.getIfAvailable(SimpleMeterRegistry::new);
        this.audit = audit;
        this.feed = feed;
        this.clock = Clock.systemUTC();
    }

    /** The outcome of an upload: the list's current version, and whether this upload published it. */
    record Publication(String listId, String roundId, Side releasingSide, ListVersion version, boolean published) {
    }

    Publication publish(String roundId, ListUpload upload) {
        return publish(roundId, upload, null);
    }

    /** @param madeFrom the version the upload was made from ({@code If-Match}), or null to replace whatever is there */
    Publication publish(String roundId, ListUpload upload, ListVersionCondition madeFrom) {
        long start = System.nanoTime();
        String outcome = "failed";
        try {
            Publication publication = checkAndPublish(roundId, upload, madeFrom, start);
            outcome = publication.published() ? "published" : "unchanged";
            if (!publication.published()) {
                // An upload all the same: the trail shows who sent the list again, though nothing changed.
                audit.recorded(publication.version().version() == 1 ? AuditAction.LIST_PUBLISHED : AuditAction.LIST_AMENDED,
                        AuditSubject.RELEASE_LIST, publication.listId(), AuditOutcome.SUCCEEDED,
                        "unchanged, version " + publication.version().version());
            }
            return publication;
        } catch (StaleUploadException stale) {
            outcome = "stale";
            audit.recorded(AuditAction.LIST_AMENDED, AuditSubject.RELEASE_LIST, upload.listId(), AuditOutcome.REFUSED,
                    "made from another version than the current one (If-Match)");
            throw stale;
        } catch (InvalidRequestException refused) {
            outcome = "refused";
            // Named by its round (an id already checked): the list id of a refused upload may itself be the problem.
            audit.recorded(AuditAction.LIST_PUBLISHED, AuditSubject.EXCHANGE_ROUND, roundId, AuditOutcome.REFUSED,
                    refused.violations().size() + " problem(s)");
            throw refused;
        } finally {
            Timer.builder(MetricNames.ROSTER_LIST_UPLOADS)
                    .description("Release list uploads, by outcome: published, unchanged (identical), refused, stale (If-Match), failed")
                    .tag("outcome", outcome)
                    .register(meters)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        }
    }

    private Publication checkAndPublish(String roundId, ListUpload upload, ListVersionCondition madeFrom, long start) {
        Checked checked = ReleaseListValidator.entries(upload, LocalDate.now(clock));
        boolean mayBeUnchanged = checked.violations().isEmpty() && upload.listId() != null;
        boolean refused = !checked.violations().isEmpty();
        // A round's releasing side never changes once recorded: a list naming the other side is refused whatever the
        // other lists say, from the view read to the topics' end (every other problem listed with it) and without the
        // fences, like rows that are wrong: taking them for an upload that publishes nothing would abort a publication
        // another request has in flight, and a stale If-Match would be answered 412 for a list that is wrong anyway.
        boolean wrongSide = upload.releasingSide() != null && rounds.find(roundId)
                .map(round -> round.releasingSide() != upload.releasingSide()).orElse(false);
        if (rounds.find(roundId).isEmpty() || mayBeUnchanged || refused || wrongSide) {
            // A round perhaps just recorded on another instance: only a view read to the topics' end may call it unknown
            // (400 tells the integrator their data is wrong); one that cannot get there answers 503 with Retry-After.
            // And a list perhaps published through the other instance, which this upload retries (below). And an upload
            // refused for its rows, whose every other problem is listed from a view that holds every list (below).
            RosterFeed current = feed.getIfAvailable();
            RosterFeed.Reach reach = current == null ? RosterFeed.Reach.REACHED : current.catchUp();
            if (reach != RosterFeed.Reach.REACHED) {
                if (refused) {
                    // Its rows are wrong whatever the round says: a 503 would send the integrator to retry only to be
                    // told so then. The problems against the round and its other lists are not listed from a view that
                    // fell short (it may lack the round, or hold a person on a list since withdrawn): the fixed upload
                    // is checked against them.
                    throw new InvalidRequestException("The list has " + checked.violations().size() + " problem(s) in its"
                            + " rows; nothing was published. It was not checked against round " + roundId + " and its"
                            + " other lists yet (this roster instance has not read the latest rounds and lists): the"
                            + " corrected upload is checked against them", checked.violations());
                }
                throw RosterFeed.notCaughtUp(reach, "nothing was published, retry shortly");
            }
        }
        if (rounds.find(roundId).isEmpty()) {
            // Rounds are never removed and a list exists only with its round: no lock needed (nor created) to refuse.
            List<Violation> violations = new ArrayList<>(checked.violations());
            violations.addAll(ReleaseListValidator.againstRound(roundId, null, upload, null, List.of(), List.of(),
                    checked.entries()));
            throw new InvalidRequestException("The list has " + violations.size() + " problem(s); nothing was published",
                    violations);
        }
        // again on the view read to the end: the round may have come in with the catch-up (recorded a moment ago on
        // another instance), and the side it names is only known now
        wrongSide = upload.releasingSide() != null && rounds.find(roundId)
                .map(round -> round.releasingSide() != upload.releasingSide()).orElse(false);
        if (refused || wrongSide) {
            // Refused whatever the other lists say: answered from the view read to the topics' end, without the fences,
            // which would abort a publication another request has in flight, in any round (409 to that writer), for an
            // upload that publishes nothing. The view may move on meanwhile; a retry that is still wrong is told again.
            ReleaseList current = upload.listId() == null ? null : lists.find(upload.listId()).orElse(null);
            throw invalid(violations(roundId, upload, checked, current));
        }
        if (mayBeUnchanged) {
            // An integrator's retry (often through the other instance) of a list already published is answered from the
            // view read to the topics' end, without the fences: taking them would abort a publication another request
            // has in flight, in any round (409 to that writer), for an upload that changes nothing.
            Publication unchanged = unchanged(roundId, upload, checked);
            if (unchanged != null) {
                return unchanged;
            }
        }
        // Serialized across every instance and round (the fence), then per round: the checks against every round's
        // lists and the publication form one step.
        return fence.withListingsFenced(claim -> rounds.withRoundLocked(roundId, transaction -> {
            ReleaseList current = upload.listId() == null ? null : lists.find(upload.listId()).orElse(null);
            Publication unchanged = unchanged(roundId, upload, checked);
            if (unchanged != null) {
                // identical by now: published by another request since the check above
                return unchanged;
            }
            if (madeFrom != null && checked.violations().isEmpty()) {
                // under the lock: no other upload of the list can publish between this check and this publication
                madeFrom.check(upload.listId(), current);
            }
            List<Violation> violations = violations(roundId, upload, checked, current);
            if (!violations.isEmpty()) {
                throw invalid(violations);
            }
            return publish(transaction, claim, rounds.find(roundId).orElse(null), upload.listId(), current,
                    checked.entries(), start);
        }));
    }

    /** Every problem of the upload: its rows', and against its round and every other list in the view. */
    private List<Violation> violations(String roundId, ListUpload upload, Checked checked, ReleaseList current) {
        ExchangeRound round = rounds.find(roundId).orElse(null);
        List<ReleaseList> others = lists.ofRound(roundId).stream()
                .filter(list -> !list.listId().equals(upload.listId())).toList();
        List<ReleaseList> openElsewhere = lists.outsideRound(roundId).stream()
                .filter(list -> rounds.find(list.roundId()).map(ExchangeRound::acceptsLists).orElse(false))
                .toList();
        List<Violation> violations = new ArrayList<>(checked.violations());
        violations.addAll(ReleaseListValidator.againstRound(roundId, round, upload, current, others, openElsewhere,
                checked.entries(), personId -> lists.listedOutside(personId, roundId)));
        return violations;
    }

    private static InvalidRequestException invalid(List<Violation> violations) {
        return new InvalidRequestException("The list has " + violations.size() + " problem(s); nothing was published",
                violations);
    }

    /**
     * The list's current version when the upload is identical to it (in any row order): already published, nothing to
     * send, even if the round has moved on. Checked before If-Match: a retried amendment whose answer was lost finds its
     * own version current and is told it is there (200), not sent to read the list again and redo a change already
     * made (412). Null when the upload would change the list (or has problems of its own), and when it differs in a
     * list-level field: a releasing side other than the list's is refused (400), not answered 200 as if
     * the list were what the integrator sent.
     */
    private Publication unchanged(String roundId, ListUpload upload, Checked checked) {
        ReleaseList current = upload.listId() == null ? null : lists.find(upload.listId()).orElse(null);
        if (checked.violations().isEmpty() && current != null && current.roundId().equals(roundId)
                && (upload.releasingSide() == null || upload.releasingSide() == current.releasingSide())
                && ListAmendment.between(current.entries(), checked.entries()).isEmpty()) {
            return new Publication(current.listId(), roundId, current.releasingSide(), current.latest(), false);
        }
        return null;
    }

    private Publication publish(RoundTransaction transaction, ListingFence.Claim claim, ExchangeRound round, String listId,
                                ReleaseList current, List<ListEntry> entries, long start) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        ListVersionRecords records = ListVersionRecords.of(round.roundId(), round.releasingSide(), listId, current,
                entries, now);
        List<PersonListingChanged> changes = records.changes();
        ReleaseListPublished header = records.header();
        ListPublicationHook afterSend = hook.getIfAvailable(() -> NO_HOOK);
        long validated = System.nanoTime();
        tracing.inSpan("roster list publication", trace -> transaction.kafka().executeInTransaction(operations -> {
            int sent = 0;
            afterSend.afterSend(operations, sent);
            for (PersonListingChanged change : changes) {
                operations.send(trace.record(Topics.LISTED_PERSONS.name(), change.getPersonId(), change));
                afterSend.afterSend(operations, ++sent);
            }
            operations.send(trace.record(Topics.RELEASE_LISTS.name(), listId, header));
            afterSend.afterSend(operations, ++sent);
            // In the list's transaction: the trail holds the upload exactly when the list was published.
            transaction.audit().recorded(current == null ? AuditAction.LIST_PUBLISHED : AuditAction.LIST_AMENDED, AuditSubject.RELEASE_LIST,
                    listId, AuditOutcome.SUCCEEDED, "version " + header.getVersion() + ", " + header.getEntryCount()
                            + " entries, " + changes.size() + " change(s)");
            // Its records are in the log (in this open transaction) before the fence is checked.
            operations.flush();
            claim.confirm(round.roundId(), listId);
            return null;
        }));
        long committed = System.nanoTime();
        lists.apply(header, changes);
        log.info("List {} version {} of round {} published: {} entries, {} listed, {} withdrawn, {} corrected; "
                        + "checked in {} ms, sent and committed in {} ms", listId, header.getVersion(), round.roundId(),
                header.getEntryCount(), header.getListedCount(), header.getWithdrawnCount(), header.getCorrectedCount(),
                (validated - start) / 1_000_000, (committed - validated) / 1_000_000);
        return new Publication(listId, round.roundId(), header.getReleasingSide(), ListVersion.from(header), true);
    }
}
