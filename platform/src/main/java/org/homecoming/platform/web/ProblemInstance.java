package org.homecoming.platform.web;

import org.springframework.core.MethodParameter;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * Keeps a problem's {@code instance} to a path a person can read. Spring fills it with the request's path, so a
 * 5,000-character id sent to be refused came back whole in the refusal, and in every proxy log and dashboard that
 * keeps answers. Every real path of the API is far shorter than {@link #LONGEST} (an id is at most 64 characters);
 * a longer one is left out of the answer, which still says what was wrong with it.
 */
@RestControllerAdvice
class ProblemInstance implements ResponseBodyAdvice<Object> {

    static final int LONGEST = 256;

    @Override
    public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
        return true;
    }

    @Override
    public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
            Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request, ServerHttpResponse response) {
        if (body instanceof ProblemDetail problem && problem.getInstance() != null
                && problem.getInstance().toString().length() > LONGEST) {
            problem.setInstance(null);
        }
        return body;
    }
}
