package org.homecoming.platform.web;

import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Every value of a JSON body that has the wrong type, gathered while the body is read, so that the 400 names them all.
 * Jackson stops at the first value it cannot convert: a batch of 1,000 positions with two bad timestamps was answered
 * with the first only, and a round with a date in another format and an unknown side with the date only, and the caller
 * mended one, sent again, and learned of the next. While a request body is read ({@link Check}), {@link WrongTypedValues}
 * notes each such value here and lets Jackson go on; once it is read, the request is refused with every one of them
 * (nothing of it reaches the controller, so nothing is published). Unknown fields are gathered the same way.
 *
 * <p>Gathering is on only while a body is being read, on that request's thread: any other JSON read (a reply from
 * another service, a token) fails at its first problem as Jackson always does. The {@link Reset} filter clears it
 * after every request, whatever happened while reading.
 */
public final class BodyValueProblems {

    private static final ThreadLocal<Gathered> READING = new ThreadLocal<>();

    /**
     * The first problems of a body, as many as an answer lists, and how many there are: a body of a million unknown or
     * duplicate keys (a few bytes each, within the body limit) must not be held as a million problems.
     */
    private static final class Gathered {
        final List<Violation> first = new ArrayList<>();
        int count;

        void add(Violation violation) {
            count++;
            if (first.size() < ProblemResponses.MAX_LISTED) {
                first.add(violation);
            }
        }
    }

    private BodyValueProblems() {
    }

    /** Whether a request body is being read on this thread, so that problems are gathered rather than thrown. */
    static boolean gathering() {
        return READING.get() != null;
    }

    static void note(Violation violation) {
        Gathered problems = READING.get();
        if (problems != null) {
            problems.add(violation);
        }
    }

    static void start() {
        READING.set(new Gathered());
    }

    /** Stops gathering and refuses the request if anything was gathered. */
    static void finish() {
        Gathered problems = READING.get();
        READING.remove();
        if (problems != null && problems.count > 0) {
            throw new InvalidRequestException("The body has " + problems.count + " value(s) that cannot be read; nothing was done",
                    problems.first, problems.count);
        }
    }

    static void reset() {
        READING.remove();
    }

    /** Gathers while each JSON request body is read, and refuses the request once it is read if anything was wrong. */
    @ControllerAdvice
    static class Check extends RequestBodyAdviceAdapter {

        @Override
        public boolean supports(MethodParameter parameter, Type targetType, Class<? extends HttpMessageConverter<?>> converter) {
            return true;
        }

        @Override
        public HttpInputMessage beforeBodyRead(HttpInputMessage input, MethodParameter parameter, Type targetType,
                                               Class<? extends HttpMessageConverter<?>> converter) {
            start();
            return input;
        }

        @Override
        public Object afterBodyRead(Object body, HttpInputMessage input, MethodParameter parameter, Type targetType,
                                    Class<? extends HttpMessageConverter<?>> converter) {
            finish();
            return body;
        }

        @Override
        public Object handleEmptyBody(Object body, HttpInputMessage input, MethodParameter parameter, Type targetType,
                                      Class<? extends HttpMessageConverter<?>> converter) {
            reset();
            return body;
        }
    }

    /** Clears what a request left, also when reading its body failed half-way: the thread serves other requests next. */
    static class Reset extends OncePerRequestFilter {

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            try {
                chain.doFilter(request, response);
            } finally {
                reset();
            }
        }
    }
}
