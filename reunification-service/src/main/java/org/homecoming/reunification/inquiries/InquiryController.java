package org.homecoming.reunification.inquiries;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.platform.security.Roles;
import org.homecoming.platform.web.EntityId;
import org.homecoming.platform.web.InvalidRequestException;
import org.homecoming.platform.web.PlainText;
import org.homecoming.platform.web.Violation;
import org.homecoming.reunification.contactkeys.ContactSeal;
import org.homecoming.reunification.inquiries.InquiryService.InquiryConflictException;
import org.homecoming.reunification.inquiries.InquiryService.InquiryNotFoundException;
import org.homecoming.reunification.inquiries.InquiryService.InquiryViewBehindException;
import org.homecoming.reunification.inquiries.InquiryService.Registration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** Relatives' inquiries, registered by the hotline, a partner's system or a web form. */
@RestController
class InquiryController {

    private static final Logger log = LoggerFactory.getLogger(InquiryController.class);

    private static final String HOTLINE = "ROLE_" + Roles.HOTLINE_OPERATOR;

    private final InquiryService inquiries;
    private final ContactDataAudit audit;
    private final ContactSeal contacts;
    private final InquiryReads reads;

    private final ObjectProvider<ContactDataRetention> retention;
    private final Duration renewalNotice;

    InquiryController(InquiryService inquiries, ObjectProvider<ContactDataAudit> audit, ContactSeal contacts,
                      ObjectProvider<InquiryReads> reads, ObjectProvider<ContactDataRetention> retention,
                      @Value("${reunification.retention.renewal-notice:P30D}") Duration renewalNotice) {
        this.retention = retention;
        this.renewalNotice = renewalNotice;
        this.reads = reads.getIfAvailable(() -> InquiryReads.CAUGHT_UP);
        this.inquiries = inquiries;
        this.contacts = contacts;
        this.audit = audit.getIfAvailable(() -> ContactDataAudit.NOT_RECORDED);
    }

    @Operation(summary = "Register an inquiry",
            description = "JSON body: sought {names[{surname, givenName, patronymic}] and/or fullName (the whole name as heard, any "
                    + "script and order, e.g. \"Петренко Олександр Іванович\" or \"Sasha Petrenko\"), sex MALE|FEMALE, "
                    + "birthDate | birthYear | age, category, unit, "
                    + "capturePlace, captureDate} and relative {name, relationship, language uk|ru|en, consentGiven=true, email and/or "
                    + "phone (E.164)}. Answers 201 with the inquiry id; re-sending the same request (same Idempotency-Key, or the same "
                    + "content without one) answers 200 with the same id and publishes nothing.")
    @PostMapping(path = "/api/v1/inquiries", consumes = "application/json")
    ResponseEntity<Registered> register(
            @Parameter(description = "client-chosen key that makes re-sending safe") @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(mediaType = "application/json", examples = {
                    @ExampleObject(name = "one string, Cyrillic", summary = "the hotline typed the name as heard", value = """
                            {"sought": {"fullName": "Петренко Олександр Іванович", "sex": "MALE", "birthYear": 1990,
                                        "category": "SOLDIER", "unit": "72 ОМБр"},
                             "relative": {"name": "Олена Петренко", "relationship": "wife", "language": "uk",
                                          "consentGiven": true, "phone": "+380501234567"}}"""),
                    @ExampleObject(name = "one string, Latin", summary = "given name first, a diminutive, an age", value = """
                            {"sought": {"fullName": "Sasha Petrenko", "sex": "FEMALE", "age": 34},
                             "relative": {"name": "Ivan Petrenko", "relationship": "father", "language": "en",
                                          "consentGiven": true, "email": "ivan@example.org"}}"""),
                    @ExampleObject(name = "split names", summary = "every form the relative knows", value = """
                            {"sought": {"names": [{"surname": "Петренко", "givenName": "Олександр", "patronymic": "Іванович"},
                                                  {"surname": "Petrenko", "givenName": "Oleksandr"}],
                                        "sex": "MALE", "birthDate": "1990-04-12"},
                             "relative": {"name": "Олена Петренко", "relationship": "wife", "language": "uk",
                                          "consentGiven": true, "email": "olena@example.org"}}""")}))
            @RequestBody InquiryForm form) {
        if (idempotencyKey != null) {
            List<Violation> violations = new ArrayList<>();
            PlainText.check("Idempotency-Key", idempotencyKey, 200, violations);
            if (!violations.isEmpty()) {
                throw new InvalidRequestException("The Idempotency-Key is refused", violations);
            }
        }
        Registration registration = inquiries.register(idempotencyKey, form);
        Registered body = new Registered(registration.inquiryId(), registration.revision());
        if (!registration.changed()) {
            return ResponseEntity.ok(body);
        }
        return ResponseEntity.created(URI.create("/api/v1/inquiries/" + registration.inquiryId())).body(body);
    }

    @Operation(summary = "Read an inquiry", description = "The current revision. The relative's contact details (email, phone) "
            + "are returned to hotline operators only, and each such read is recorded; caseworkers get the inquiry without them. "
            + "An erased inquiry answers status ERASED and nothing else.")
    @GetMapping("/api/v1/inquiries/{inquiryId}")
    ResponseEntity<InquiryView> read(@PathVariable String inquiryId, Authentication caller) {
        EntityId.require("inquiryId", inquiryId);
        reads.awaitCaughtUp(inquiryId);
        if (contacts.isErased(inquiryId)) {
            return ResponseEntity.ok(InquiryView.erased(inquiryId));
        }
        if (inquiries.isWithdrawn(inquiryId)) {
            return ResponseEntity.ok(InquiryView.withdrawn(inquiryId));
        }
        InquiryRegistered inquiry = inquiries.find(inquiryId).orElseThrow(() -> new InquiryNotFoundException(inquiryId));
        InquiryView view = contacts.open(inquiry).map(InquiryView::of).orElseGet(() -> InquiryView.erased(inquiryId));
        if (view.revision() == null) {
            return ResponseEntity.ok(view);
        }
        boolean hotline = caller.getAuthorities().stream().anyMatch(authority -> HOTLINE.equals(authority.getAuthority()));
        if (!hotline) {
            audit.inquiryRead(inquiryId, caller.getName());
            return ResponseEntity.ok(view.withoutContactData());
        }
        audit.contactDataRead(inquiryId, caller.getName());
        return ResponseEntity.ok(view);
    }

    @Operation(summary = "Update an inquiry", description = "Same body as the registration. The revision goes up by one and matching runs again; "
            + "a body equal to the current revision changes nothing.")
    @PutMapping(path = "/api/v1/inquiries/{inquiryId}", consumes = "application/json")
    Registered update(@PathVariable String inquiryId, @RequestBody InquiryForm form) {
        EntityId.require("inquiryId", inquiryId);
        Registration registration = inquiries.update(inquiryId, form);
        return new Registered(registration.inquiryId(), registration.revision());
    }

    @Operation(summary = "Withdraw an inquiry", description = "The relative's data is deleted (a tombstone on the compacted topic) and no alert follows.")
    @DeleteMapping("/api/v1/inquiries/{inquiryId}")
    ResponseEntity<Void> withdraw(@PathVariable String inquiryId) {
        EntityId.require("inquiryId", inquiryId);
        inquiries.withdraw(inquiryId);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Renew an inquiry", description = "The family, asked by the hotline, still searches: the inquiry is kept "
            + "for another retention period (reunification.retention.after-last-change, 365 days by default) from now, instead "
            + "of being erased when its period ends. Nothing else changes and matching does not run again. Answers the date "
            + "until which it is now kept; 409 for a withdrawn or erased inquiry.")
    @PostMapping("/api/v1/inquiries/{inquiryId}/renewal")
    Renewed renew(@PathVariable String inquiryId) {
        EntityId.require("inquiryId", inquiryId);
        InquiryRegistered renewed = inquiries.renew(inquiryId);
        return new Renewed(inquiryId, renewed.getRevision(), retention.getObject().keptUntil(renewed));
    }

    @Operation(summary = "Inquiries due for renewal", description = "The open inquiries whose retention period ends within "
            + "reunification.retention.renewal-notice (30 days by default), or has ended (the next sweep erases them), the "
            + "soonest first: ids and dates only. The hotline calls each family and renews the inquiry if it still searches.")
    @GetMapping("/api/v1/inquiry-renewals")
    List<ContactDataRetention.RenewalDue> renewalsDue() {
        return retention.getObject().renewalsDue(renewalNotice);
    }

    @ExceptionHandler(InquiryNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(InquiryNotFoundException exception) {
        return problem(HttpStatus.NOT_FOUND, exception.getMessage());
    }

    /**
     * The inquiry's contact data is sealed with a key the vault does not hold: 503, never "erased" (the data is not gone,
     * the key store is missing here), and nothing of the inquiry is shown. The message names the inquiry id only.
     */
    @ExceptionHandler(ContactSeal.ContactKeyUnavailableException.class)
    ResponseEntity<ProblemDetail> keyUnavailable(ContactSeal.ContactKeyUnavailableException exception) {
        log.error("{}", exception.getMessage());
        return problem(HttpStatus.SERVICE_UNAVAILABLE, "The inquiry's contact data cannot be opened on this service: its"
                + " contact-key vault does not hold the inquiry's key. Nothing was shown or changed; operators are told in the log.");
    }

    @ExceptionHandler(InquiryConflictException.class)
    ResponseEntity<ProblemDetail> conflict(InquiryConflictException exception) {
        return problem(HttpStatus.CONFLICT, exception.getMessage());
    }

    @ExceptionHandler(InquiryFence.InquiryChangedException.class)
    ResponseEntity<ProblemDetail> changed(InquiryFence.InquiryChangedException exception) {
        return changedElsewhere(exception);
    }

    /**
     * Lost a race with a write of the same inquiry on another instance: 409, nothing written, and {@code retryable}
     * true, since a request sent again is decided on the inquiry as it is then (refused 409 for good if it was withdrawn).
     */
    static ResponseEntity<ProblemDetail> changedElsewhere(InquiryFence.InquiryChangedException exception) {
        ResponseEntity<ProblemDetail> answer = problem(HttpStatus.CONFLICT, exception.getMessage());
        answer.getBody().setProperty("retryable", true);
        return answer;
    }

    static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(ProblemDetail.forStatusAndDetail(status, detail));
    }

    record Registered(String inquiryId, int revision) {
    }

    record Renewed(String inquiryId, int revision, Instant keptUntil) {
    }

    record InquiryView(String inquiryId, String status, Integer revision, Sought sought, Relative relative,
                       Instant registeredAt, Instant updatedAt) {

        /**
         * What a caseworker needs to review a match: the sought person, and how the relative is related and which
         * language the alerts go out in. The relative's name is contact data too (sealed and shredded with the e-mail
         * and phone): it identifies a family to someone who has no call to reach it.
         */
        InquiryView withoutContactData() {
            return new InquiryView(inquiryId, status, revision, sought, relative == null ? null
                    : new Relative(null, relative.relationship(), relative.language(), relative.consentGiven(), null, null),
                    registeredAt, updatedAt);
        }

        static InquiryView withdrawn(String inquiryId) {
            return new InquiryView(inquiryId, "WITHDRAWN", null, null, null, null, null);
        }

        static InquiryView erased(String inquiryId) {
            return new InquiryView(inquiryId, "ERASED", null, null, null, null, null);
        }

        static InquiryView of(InquiryRegistered inquiry) {
            var s = inquiry.getSought();
            var r = inquiry.getRelative();
            return new InquiryView(inquiry.getInquiryId(), "OPEN", inquiry.getRevision(),
                    new Sought(s.getNames().stream().map(n -> new Name(n.getSurname(), n.getGivenName(), n.getPatronymic())).toList(),
                            s.getFullName(), s.getSex() == null ? null : s.getSex().name(),
                            s.getBirthDate(), s.getBirthYear(), s.getCategory() == null ? null : s.getCategory().name(),
                            s.getUnit(), s.getCapturePlace(), s.getCaptureDate()),
                    new Relative(r.getName(), r.getRelationship(), r.getLanguage().name().toLowerCase(), r.getConsentGiven(),
                            r.getEmail(), r.getPhone()),
                    inquiry.getRegisteredAt(), inquiry.getUpdatedAt());
        }
    }

    record Sought(List<Name> names, String fullName, String sex, LocalDate birthDate, Integer birthYear, String category, String unit, String capturePlace,
                  LocalDate captureDate) {
    }

    record Name(String surname, String givenName, String patronymic) {
    }

    record Relative(String name, String relationship, String language, boolean consentGiven, String email, String phone) {
    }
}
