package org.homecoming.roster.lists;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.homecoming.catalogue.Topics;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.roster.RecordTracing;
import org.homecoming.roster.rounds.RoundCancellation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.stereotype.Component;

/** The lists of a cancelled round, each taken to a version without anyone on it (see {@link RoundCancellation}). */
@Component
class CancelledRoundLists implements RoundCancellation {

    private static final Logger log = LoggerFactory.getLogger(CancelledRoundLists.class);

    private final ReleaseLists lists;
    private final RecordTracing tracing;

    CancelledRoundLists(ReleaseLists lists, RecordTracing tracing) {
        this.lists = lists;
        this.tracing = tracing;
    }

    @Override
    public Runnable withdrawEveryone(KafkaOperations<String, Object> operations, AuditTrail audit, String roundId, Instant at) {
        List<ListVersionRecords> versions = new ArrayList<>();
        for (ReleaseList list : lists.ofRound(roundId)) {
            if (list.entries().isEmpty()) {
                continue; // nobody left on it: a version without anyone again would say nothing
            }
            ListVersionRecords records = ListVersionRecords.of(roundId, list.releasingSide(), list.listId(), list, List.of(), at);
            tracing.inSpan("roster list withdrawal", trace -> {
                for (PersonListingChanged change : records.changes()) {
                    operations.send(trace.record(Topics.LISTED_PERSONS.name(), change.getPersonId(), change));
                }
                operations.send(trace.record(Topics.RELEASE_LISTS.name(), list.listId(), records.header()));
                return null;
            });
            audit.recorded(AuditAction.LIST_AMENDED, AuditSubject.RELEASE_LIST, list.listId(), AuditOutcome.SUCCEEDED,
                    "version " + records.header().getVersion() + ", 0 entries, " + records.changes().size()
                            + " withdrawn: round cancelled");
            versions.add(records);
        }
        return () -> versions.forEach(records -> {
            lists.apply(records.header(), records.changes());
            log.info("List {} version {} of cancelled round {}: {} persons withdrawn", records.header().getListId(),
                    records.header().getVersion(), roundId, records.header().getWithdrawnCount());
        });
    }
}
