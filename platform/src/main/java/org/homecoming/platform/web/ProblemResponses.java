package org.homecoming.platform.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.stream.Collectors;

import org.apache.kafka.common.errors.RecordTooLargeException;

import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.platform.registry.RegistryUnavailableException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.core.exc.UnexpectedEndOfInputException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every kind of bad input into one shape: 400 {@code application/problem+json} (RFC 9457) with an
 * {@code errors} array that names each row, field and reason. The array holds at most {@link #MAX_LISTED}
 * violations and says how many more there were ({@code errorsNotListed}): 200,000 bad rows made a 40 MB answer.
 * A body over its size limit, or an event over Kafka's record size, is answered 413.
 */
@RestControllerAdvice
public class ProblemResponses extends ResponseEntityExceptionHandler {

    static final URI INVALID_REQUEST = URI.create("https://homecoming.example/problems/invalid-request");
    static final URI TOO_LARGE = URI.create("https://homecoming.example/problems/too-large");
    /** Enough to fix a file row by row; the count of the rest says how bad it is. */
    public static final int MAX_LISTED = 100;

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<Object> onInvalidRequest(InvalidRequestException exception) {
        return badRequest(exception.getMessage(), exception.violations(), exception.count());
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Violation> violations = new ArrayList<>();
        for (FieldError error : exception.getBindingResult().getFieldErrors()) {
            violations.add(Violation.of(error.getField(), error.getDefaultMessage()));
        }
        exception.getBindingResult().getGlobalErrors()
                .forEach(error -> violations.add(Violation.of(error.getObjectName(), error.getDefaultMessage())));
        return badRequest("The request has " + violations.size() + " invalid field(s)", violations);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException exception,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        BodyTooLargeException tooLarge = cause(exception, BodyTooLargeException.class);
        if (tooLarge != null) {
            return tooLarge("The request body is larger than the " + tooLarge.limit() + " bytes this endpoint accepts");
        }
        String field = "body";
        String reason = "is missing or cannot be read";
        if (exception.getCause() instanceof JacksonException jackson) {
            String path = jackson.getPath().stream()
                    .map(reference -> reference.getPropertyName() != null
                            ? reference.getPropertyName() : "[" + reference.getIndex() + "]")
                    .collect(Collectors.joining("."))
                    .replace(".[", "[");
            if (!path.isEmpty()) {
                field = path;
            }
            reason = reason(jackson);
        }
        return badRequest("The body cannot be read", List.of(Violation.of(field, reason)));
    }

    /**
     * What kind of problem the body has, and where. Never Jackson's own message: it quotes what it read (an unquoted
     * word, the start of a string), and a body may hold a relative's name or a detainee's.
     */
    private static String reason(JacksonException jackson) {
        if (jackson instanceof StreamConstraintsException) {
            return "is longer or nested deeper than this endpoint reads";
        }
        if (jackson instanceof InputCoercionException) {
            return "is a number out of the range this field takes";
        }
        if (jackson instanceof UnexpectedEndOfInputException) {
            return "ends before the JSON is complete";
        }
        if (jackson instanceof StreamReadException) {
            TokenStreamLocation at = jackson.getLocation();
            return at == null || at.getLineNr() < 1 ? "is not valid JSON"
                    : "is not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        }
        if (jackson instanceof UnrecognizedPropertyException) {
            return "is not a field of this request";
        }
        if (jackson instanceof InvalidNullException) {
            return "must not be null";
        }
        return "is not valid JSON of the expected shape";
    }

    /**
     * Publishing failed. An event over the broker's record size is the caller's doing (413); anything else is
     * not, and goes on to the container's error page (500 problem+json).
     */
    @ExceptionHandler({org.apache.kafka.common.KafkaException.class, org.springframework.kafka.KafkaException.class,
            CompletionException.class})
    ResponseEntity<Object> onPublicationFailure(RuntimeException exception) {
        if (cause(exception, RecordTooLargeException.class) != null) {
            return tooLarge("The request makes an event larger than the broker accepts; send less");
        }
        throw exception;
    }

    /** The audit trail did not take an action's entry: the action is not done, and the caller may try again. */
    @ExceptionHandler(AuditTrail.AuditUnavailableException.class)
    ResponseEntity<Object> onAuditUnavailable(AuditTrail.AuditUnavailableException exception) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The audit trail cannot record this now, so it was not done; try again shortly");
        problem.setTitle("Audit trail unavailable");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    /**
     * A read of a topic that the request needed stopped at a record the registry's absence made unreadable (an
     * operator's request rebuilds the delivery ledger first): answered from part of the topic it could be wrong. Or an
     * event the request publishes could not be written for the same reason (a schema this process never looked up).
     */
    @ExceptionHandler(RegistryUnavailableException.class)
    ResponseEntity<Object> onRegistryUnavailable(RegistryUnavailableException exception) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "The schema registry is unavailable, so the events this needs cannot be read or written; nothing was done, try again shortly");
        problem.setTitle("Schema registry unavailable");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    static <T extends Throwable> T cause(Throwable thrown, Class<T> type) {
        for (Throwable cause = thrown; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    static ResponseEntity<Object> tooLarge(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, detail);
        problem.setType(TOO_LARGE);
        problem.setTitle("Request too large");
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }

    /** The 413 answer as text, for the body-size filter that answers before Spring MVC runs. */
    static String tooLargeJson(long limit) {
        return "{\"type\":\"" + TOO_LARGE + "\",\"title\":\"Request too large\",\"status\":413,"
                + "\"detail\":\"The request body is larger than the " + limit + " bytes this endpoint accepts\"}";
    }

    static ResponseEntity<Object> badRequest(String detail, List<Violation> violations) {
        return badRequest(detail, violations, violations.size());
    }

    /** {@code count}: how many violations were found in all, of which {@code violations} are the first ones kept. */
    static ResponseEntity<Object> badRequest(String detail, List<Violation> violations, int count) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setType(INVALID_REQUEST);
        problem.setTitle("Invalid request");
        List<Violation> listed = violations.size() > MAX_LISTED ? violations.subList(0, MAX_LISTED) : violations;
        problem.setProperty("errors", listed);
        if (count > listed.size()) {
            problem.setProperty("errorsNotListed", count - listed.size());
        }
        return ResponseEntity.badRequest()
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
