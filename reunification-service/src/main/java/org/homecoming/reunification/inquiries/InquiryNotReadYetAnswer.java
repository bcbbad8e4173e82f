package org.homecoming.reunification.inquiries;

import org.homecoming.reunification.inquiries.InquiryService.InquiryViewBehindException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The one answer of every endpoint (an inquiry's write or read, its erasure, a caseworker's decision) when this instance
 * has not read the inquiry's latest changes in time: 503, nothing done. Retry-After tells a client that follows the HTTP
 * contract to send the same request again shortly, here or to another instance, instead of taking the 503 as a verdict
 * on its data; the request is then decided on the inquiry as it is.
 */
@RestControllerAdvice
class InquiryNotReadYetAnswer {

    /** The wait that fell short lasts a few seconds ({@code InquiriesCaughtUp.WAIT}); the next try comes after as much. */
    static final String RETRY_AFTER_SECONDS = "2";

    @ExceptionHandler(InquiryViewBehindException.class)
    ResponseEntity<ProblemDetail> notReadYet(InquiryViewBehindException exception) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, exception.getMessage()));
    }
}
