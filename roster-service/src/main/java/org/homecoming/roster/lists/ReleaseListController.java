package org.homecoming.roster.lists;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.audit.AuditOutcome;
import org.homecoming.events.audit.AuditSubject;
import org.homecoming.events.common.PersonCategory;
import org.homecoming.events.common.Side;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.web.EntityId;
import org.homecoming.platform.web.Violation;
import org.homecoming.roster.lists.ReleaseList.ListVersion;
import org.homecoming.roster.lists.ReleaseListPublisher.Publication;
import org.homecoming.roster.rounds.ExchangeRounds.UnknownRoundException;
import org.homecoming.roster.rounds.ExchangeRounds;
import org.homecoming.roster.RosterFeed;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.annotation.JsonDeserialize;

/** Release lists, uploaded by the tracing agency's list system or by ops, as CSV or JSON. */
@RestController
@Tag(name = "Release lists")
class ReleaseListController {

    private static final String UPLOAD_RULES = """
            Publishes the list in one Kafka transaction: a PersonListingChanged per person (roster.listed-persons) \
            and then a ReleaseListPublished header with the entry count and a SHA-256 checksum (roster.release-lists). \
            Uploading the same listId again is a new version that replaces the list: only the differences are \
            published (LISTED, WITHDRAWN, CORRECTED). 201 when a version was published; 200 with the current version \
            when the list is identical to it (the same entries, no other releasingSide; nothing is published, and no \
            other upload is disturbed). 503 problem+json \
            with Retry-After when this instance has not read the roster's topics to their end (a round recorded through \
            another instance a moment ago) or cannot reach the brokers: nothing is published and the rows are not wrong, \
            send it again. Rows with problems of their own are answered 400 even then, and the detail says the list \
            was not checked against its round yet. 400 problem+json lists every problem (row, field, \
            reason) and nothing is published: required values, dates, categories, a person twice on the list, on \
            another list of the round or on a list of another PLANNED or IN_PROGRESS round, an unknown round or one \
            that is no longer PLANNED or IN_PROGRESS, and more \
            soldiers or civilians across the round's lists than planned. \
            An amendment should carry If-Match with the ETag of the version it was made from (the answer to an upload \
            and GET /api/v1/rounds/{roundId}/lists/{listId} give it: the version in quotes, such as "3"): if the list \
            has changed since, the answer is 412 problem+json and nothing is published, instead of an upload made from \
            an old copy undoing the changes made since (withdrawing the persons added meanwhile). If-Match: * asks only \
            that the list exists. Without If-Match the upload replaces whatever version is there.""";

    private static final String IF_MATCH = "The ETag of the version this upload was made from (\"3\"), or *; leave it out to "
            + "replace whatever version is there";

    private final ReleaseListPublisher publisher;
    private final ReleaseLists lists;
    private final ExchangeRounds rounds;
    private final AuditTrail audit;

    ReleaseListController(ReleaseListPublisher publisher, ReleaseLists lists, ExchangeRounds rounds, AuditTrail audit) {
        this.publisher = publisher;
        this.lists = lists;
        this.rounds = rounds;
        this.audit = audit;
    }

    @PostMapping(path = "/api/v1/rounds/{roundId}/lists", consumes = "text/csv")
    @Operation(summary = "Publish or amend a release list from CSV", description = UPLOAD_RULES + """
            \n\nThe body is CSV in UTF-8 (a byte-order mark is allowed; CRLF or LF; RFC 4180 quoting; blank lines \
            are skipped). The first row is the header; columns may come in any order: personId (required), surname \
            (required), givenName (required), patronymic, surnameLatin, givenNameLatin, patronymicLatin (surnameLatin \
            and givenNameLatin are required when any Latin part is given), birthDate, category (required: SOLDIER \
            or CIVILIAN), unit, capturePlace, captureDate. Dates are yyyy-MM-dd or dd.MM.yyyy. An error's row is \
            the line of the file where the row starts (the header is line 1).""",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(
                    mediaType = "text/csv", schema = @Schema(type = "string"), examples = @ExampleObject(value = """
                            personId,surname,givenName,patronymic,surnameLatin,givenNameLatin,patronymicLatin,birthDate,category,unit,capturePlace,captureDate
                            UA-0001,Петренко,Олександр,Іванович,Petrenko,Oleksandr,Ivanovych,1990-04-12,SOLDIER,в/ч А0000,"Вовчанськ, Харківська обл.",2024-06-03
                            """))))
    ResponseEntity<PublishedList> publishCsv(
            @PathVariable String roundId,
            @Parameter(description = "The list's id; the same id again is a new version of the list")
            @RequestParam(required = false) String listId,
            @Parameter(description = "The side that frees these persons; defaults to the round's")
            @RequestParam(required = false) Side releasingSide,
            @Parameter(description = IF_MATCH) @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestBody(required = false) byte[] csv) {
        EntityId.require("roundId", roundId);
        ListVersionCondition madeFrom = ListVersionCondition.of(ifMatch);
        return answer(publisher.publish(roundId, ReleaseListCsv.read(csv, listId, releasingSide), madeFrom));
    }

    @PostMapping(path = "/api/v1/rounds/{roundId}/lists", consumes = "application/json")
    @Operation(summary = "Publish or amend a release list from JSON", description = UPLOAD_RULES + """
            \n\nEntries have the same fields as the CSV columns, all as strings; an error's row is the 1-based \
            position of the entry and its field is entries[i].<field>.""")
    ResponseEntity<PublishedList> publishJson(@PathVariable String roundId,
            @Parameter(description = IF_MATCH) @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch,
            @RequestBody JsonList upload) {
        EntityId.require("roundId", roundId);
        ListVersionCondition madeFrom = ListVersionCondition.of(ifMatch);
        return answer(publisher.publish(roundId, upload.toUpload(), madeFrom));
    }

    @GetMapping("/api/v1/rounds/{roundId}/lists")
    @Operation(summary = "The release lists of a round, with every version's counts and checksum",
            description = "404 problem+json when no round has this id." + RosterFeed.READ_NOT_CAUGHT_UP)
    List<ListSummary> listsOfRound(@PathVariable String roundId) {
        EntityId.require("roundId", roundId);
        if (rounds.find(roundId).isEmpty()) {
            throw new UnknownRoundException(roundId);
        }
        return lists.ofRound(roundId).stream().map(ListSummary::of).toList();
    }

    @GetMapping("/api/v1/rounds/{roundId}/lists/{listId}")
    @Operation(summary = "One release list with the entries of its current version, by personId", description = "The ETag "
            + "header is the version's: send it back as If-Match with an amendment made from these entries. 404 "
            + "problem+json when the round has no such list." + RosterFeed.READ_NOT_CAUGHT_UP)
    ResponseEntity<ListWithEntries> oneList(@PathVariable String roundId, @PathVariable String listId) {
        EntityId.require("roundId", roundId);
        EntityId.require("listId", listId);
        ReleaseList list = lists.find(listId).filter(found -> found.roundId().equals(roundId))
                .orElseThrow(() -> new UnknownListException(roundId, listId));
        // Every entry names a detainee: the read is recorded before the list leaves.
        audit.recorded(AuditAction.PERSONAL_DATA_READ, AuditSubject.RELEASE_LIST, listId, AuditOutcome.SUCCEEDED,
                list.entries().size() + " entries");
        return ResponseEntity.ok().eTag(ListVersionCondition.etag(list.latest().version()))
                .body(new ListWithEntries(ListSummary.of(list), List.copyOf(list.entries().values())));
    }

    private static ResponseEntity<PublishedList> answer(Publication publication) {
        PublishedList body = PublishedList.of(publication);
        String etag = ListVersionCondition.etag(publication.version().version());
        if (!publication.published()) {
            return ResponseEntity.ok().eTag(etag).body(body);
        }
        return ResponseEntity.created(URI.create("/api/v1/rounds/" + publication.roundId() + "/lists")).eTag(etag).body(body);
    }

    @Schema(description = "A release list as JSON")
    record JsonList(@Schema(example = "stage-1-ru-ua") String listId,
                    @Schema(description = "defaults to the round's releasing side") Side releasingSide,
                    @Schema(description = "at most " + ListUpload.MAX_ROWS) @JsonDeserialize(using = BoundedEntries.class)
                    List<JsonEntry> entries) {

        ListUpload toUpload() {
            List<Violation> violations = new ArrayList<>();
            List<ListRow> rows = new ArrayList<>();
            if (entries == null) {
                violations.add(Violation.of("entries", "is required"));
            } else if (entries.size() > ListUpload.MAX_ROWS) {
                violations.add(ListUpload.tooManyRows("entries"));
            } else {
                for (int i = 0; i < entries.size(); i++) {
                    JsonEntry entry = entries.get(i);
                    if (entry == null) {
                        violations.add(Violation.atRow(i + 1, "entries[" + i + "]", "is null"));
                    } else {
                        rows.add(ListRow.of(i + 1, "entries[" + i + "].", entry.values()));
                    }
                }
            }
            return new ListUpload(listId, releasingSide, rows, violations);
        }
    }

    @Schema(description = "One person on a release list; dates are yyyy-MM-dd or dd.MM.yyyy")
    record JsonEntry(@Schema(example = "UA-0001") String personId, @Schema(example = "Петренко") String surname,
                     @Schema(example = "Олександр") String givenName, String patronymic, String surnameLatin,
                     String givenNameLatin, String patronymicLatin, @Schema(example = "1990-04-12") String birthDate,
                     @Schema(example = "SOLDIER", allowableValues = {"SOLDIER", "CIVILIAN"}) String category,
                     String unit, String capturePlace, String captureDate) {

        Map<ListColumn, String> values() {
            Map<ListColumn, String> values = new EnumMap<>(ListColumn.class);
            values.put(ListColumn.PERSON_ID, personId);
            values.put(ListColumn.SURNAME, surname);
            values.put(ListColumn.GIVEN_NAME, givenName);
            values.put(ListColumn.PATRONYMIC, patronymic);
            values.put(ListColumn.SURNAME_LATIN, surnameLatin);
            values.put(ListColumn.GIVEN_NAME_LATIN, givenNameLatin);
            values.put(ListColumn.PATRONYMIC_LATIN, patronymicLatin);
            values.put(ListColumn.BIRTH_DATE, birthDate);
            values.put(ListColumn.CATEGORY, category);
            values.put(ListColumn.UNIT, unit);
            values.put(ListColumn.CAPTURE_PLACE, capturePlace);
            values.put(ListColumn.CAPTURE_DATE, captureDate);
            return values;
        }
    }

    @Schema(description = "The list's current version after the upload")
    record PublishedList(String listId, String roundId, Side releasingSide, int version, int entryCount,
                         String checksum, int listedCount, int withdrawnCount, int correctedCount,
                         Instant publishedAt) {

        static PublishedList of(Publication publication) {
            ListVersion version = publication.version();
            return new PublishedList(publication.listId(), publication.roundId(), publication.releasingSide(),
                    version.version(), version.entryCount(), version.checksum(), version.listedCount(),
                    version.withdrawnCount(), version.correctedCount(), version.publishedAt());
        }
    }

    @Schema(description = "A release list and the entries of its current version")
    record ListWithEntries(ListSummary list, List<ListEntry> entries) {
    }

    @Schema(description = "A release list: its current version and the history of its versions")
    record ListSummary(String listId, String roundId, Side releasingSide, int version, int entryCount, String checksum,
                       long soldiers, long civilians, List<ListVersion> versions) {

        static ListSummary of(ReleaseList list) {
            ListVersion latest = list.latest();
            return new ListSummary(list.listId(), list.roundId(), list.releasingSide(), latest.version(),
                    latest.entryCount(), latest.checksum(),
                    list.count(PersonCategory.SOLDIER),
                    list.count(PersonCategory.CIVILIAN), list.versions());
        }
    }
}
