package org.homecoming.roster.lists;

import java.util.List;
import java.util.Objects;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.events.common.Side;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.web.EntityId;
import org.homecoming.roster.lists.ReleaseLists.PersonChange;
import org.homecoming.roster.RosterFeed;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A person's place on the release lists: where they are listed now, and every change that led there. */
@RestController
@Tag(name = "Listed persons")
class PersonController {

    private final ReleaseLists lists;
    private final AuditTrail audit;

    PersonController(ReleaseLists lists, AuditTrail audit) {
        this.lists = lists;
        this.audit = audit;
    }

    @GetMapping("/api/v1/persons/{personId}")
    @Operation(summary = "A person's current listings and listing history",
            description = "status is LISTED while the person is on at least one list, WITHDRAWN otherwise. "
                    + "404 when no list ever held the person." + RosterFeed.READ_NOT_CAUGHT_UP)
    PersonView person(@PathVariable String personId) {
        EntityId.require("personId", personId);
        List<PersonChange> history = lists.history(personId);
        if (history.isEmpty()) {
            throw new UnknownPersonException(personId);
        }
        List<Listing> listings = history.stream().map(PersonChange::listId).distinct()
                .map(listId -> lists.find(listId).orElse(null))
                .filter(Objects::nonNull)
                .filter(list -> list.entries().containsKey(personId))
                .map(list -> new Listing(list.roundId(), list.listId(), list.version(), list.releasingSide(),
                        list.entries().get(personId)))
                .toList();
        // A detainee's personal data: recorded before it leaves, and not handed out if it cannot be recorded.
        audit.recorded(AuditAction.PERSONAL_DATA_READ, AuditSubject.PERSON, personId, AuditOutcome.SUCCEEDED);
        return new PersonView(personId, listings.isEmpty() ? ListingChange.WITHDRAWN : ListingChange.LISTED,
                listings, history);
    }

    @Schema(description = "A person on the release lists")
    record PersonView(String personId, @Schema(allowableValues = {"LISTED", "WITHDRAWN"}) ListingChange status,
                      List<Listing> listings, List<PersonChange> history) {
    }

    @Schema(description = "The person as the current version of one list holds them")
    record Listing(String roundId, String listId, int listVersion, Side releasingSide, ListEntry entry) {
    }
}
