package org.homecoming.platform.web;

import java.net.URI;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page (an exception nobody handled, a 404 outside any controller, a filter's
 * {@code sendError}) as problem+json instead of Boot's JSON or white-label HTML. The detail is only the status's
 * reason: an exception's message may hold personal data, and it goes to the log, not to the caller.
 */
@RestController
class ProblemErrorPage implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null
                ? HttpStatus.valueOf(value) : HttpStatus.INTERNAL_SERVER_ERROR;
        if (!status.isError()) {
            status = HttpStatus.INTERNAL_SERVER_ERROR;
        }
        ProblemDetail problem = ProblemDetail.forStatus(status);
        problem.setType(URI.create("https://homecoming.example/problems/" + (status.is4xxClientError() ? "bad-request" : "server-error")));
        problem.setTitle(status.getReasonPhrase());
        problem.setDetail(status.is5xxServerError() ? "The service failed to handle the request; it was logged" : status.getReasonPhrase());
        // The content type is set, not negotiated: an error answers problem+json whatever the caller accepts.
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
