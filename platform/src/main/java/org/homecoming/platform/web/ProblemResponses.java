package org.homecoming.platform.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

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

/**
 * Turns every kind of bad input into one shape: 400 {@code application/problem+json} (RFC 9457) with an
 * {@code errors} array that names each row, field and reason.
 */
@RestControllerAdvice
public class ProblemResponses extends ResponseEntityExceptionHandler {

    static final URI INVALID_REQUEST = URI.create("https://homecoming.example/problems/invalid-request");

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<Object> onInvalidRequest(InvalidRequestException exception) {
        return badRequest(exception.getMessage(), exception.violations());
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
        String field = "body";
        String reason = "The body is not valid JSON of the expected shape";
        if (exception.getCause() instanceof JacksonException jackson) {
            String path = jackson.getPath().stream()
                    .map(reference -> reference.getPropertyName() != null
                            ? reference.getPropertyName() : "[" + reference.getIndex() + "]")
                    .collect(Collectors.joining("."))
                    .replace(".[", "[");
            if (!path.isEmpty()) {
                field = path;
            }
            reason = jackson.getOriginalMessage();
        }
        return badRequest("The body cannot be read", List.of(Violation.of(field, reason)));
    }

    static ResponseEntity<Object> badRequest(String detail, List<Violation> violations) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setType(INVALID_REQUEST);
        problem.setTitle("Invalid request");
        problem.setProperty("errors", violations);
        return ResponseEntity.badRequest()
                .contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
