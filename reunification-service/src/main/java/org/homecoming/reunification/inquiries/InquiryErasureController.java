package org.homecoming.reunification.inquiries;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.homecoming.platform.web.EntityId;
import org.homecoming.reunification.inquiries.ContactDataErasures.Reason;
import org.homecoming.reunification.inquiries.InquiryService.InquiryNotFoundException;
import org.homecoming.reunification.inquiries.InquiryService.InquiryViewBehindException;
import org.homecoming.platform.audit.AuditTrail;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** A relative's request to be forgotten, taken by the hotline. */
@RestController
class InquiryErasureController {

    private final InquiryErasure erasure;

    InquiryErasureController(InquiryErasure erasure) {
        this.erasure = erasure;
    }

    @Operation(summary = "Erase an inquiry's personal data",
            description = "The relative asked to be forgotten. The inquiry's data key is destroyed, so its relative's name, "
                    + "e-mail and phone can no longer be read from any copy of the data, including old log segments and "
                    + "backups; an open inquiry is also withdrawn, and no alert is ever sent for it again. Reading it then "
                    + "answers status ERASED. Erasing it again changes nothing. Who erased it is recorded.",
            responses = {@ApiResponse(responseCode = "204", description = "erased"),
                    @ApiResponse(responseCode = "404", description = "no such inquiry"),
                    @ApiResponse(responseCode = "409", description = "other writes of the inquiry kept fencing this one "
                            + "before its key was destroyed: nothing was done, send it again"),
                    @ApiResponse(responseCode = "503", description = "the audit trail cannot record it now, or the "
                            + "withdrawal of an open inquiry could not be written: erased nonetheless once its key is "
                            + "destroyed (the answer says so; the rest is written later), else nothing was done")})
    @PostMapping("/api/v1/inquiries/{inquiryId}/erasure")
    ResponseEntity<?> erase(@PathVariable String inquiryId, Authentication caller) {
        EntityId.require("inquiryId", inquiryId);
        try {
            erasure.erase(inquiryId, caller.getName(), Reason.REQUESTED);
        } catch (RuntimeException failed) {
            if (!erasure.keyDestroyed(inquiryId)) {
                throw failed;
            }
            // Once the key is destroyed the erasure is done, whatever failed after it: the audit entry (the trail's 503),
            // or, for an open inquiry, the transaction of its tombstone and entry (a broker away at the commit, else a
            // 500; fenced on every attempt, else a 409 saying nothing was written). Each of those answers says, or lets
            // the hotline think, it was not done. The rest is owed and finished later (InquiryErasure, the sweep).
            return erasedWithTheRestOwed(failed);
        }
        return ResponseEntity.noContent().build();
    }

    private static ResponseEntity<ProblemDetail> erasedWithTheRestOwed(RuntimeException failed) {
        String detail = failed instanceof AuditTrail.AuditUnavailableException
                ? "The inquiry's contact data is erased (its key is destroyed), but the audit trail cannot record the "
                        + "erasure now; it is recorded by the next retention sweep, or when this request is sent again"
                : "The inquiry's contact data is erased (its key is destroyed), but the rest of the erasure (its audit "
                        + "entry, and the withdrawal of an open inquiry) could not be written now; it is written by the next "
                        + "retention sweep, or when this request is sent again";
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
        problem.setTitle("Erased; audit entry owed");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header("Retry-After", "60").body(problem);
    }

    /** Met other writes of the inquiry on every attempt: nothing of it may be left undone, so the hotline sends it again. */
    @ExceptionHandler(InquiryFence.InquiryChangedException.class)
    ResponseEntity<ProblemDetail> changed(InquiryFence.InquiryChangedException exception) {
        return InquiryController.changedElsewhere(exception);
    }

    @ExceptionHandler(InquiryNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(InquiryNotFoundException exception) {
        return InquiryController.problem(HttpStatus.NOT_FOUND, exception.getMessage());
    }
}
