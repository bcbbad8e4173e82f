package org.homecoming.roster;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Every read of the API is answered from a view that has read the roster's topics up to their end as it was when the
 * request came, so a client that wrote through one roster instance reads its write through any other (changes catch
 * up by themselves, under their round's fence). A read whose catch-up falls short within the wait is answered 503 with
 * Retry-After ({@link RosterFeed#awaitForRead}), never 200 with what this instance happens to hold, nor 404.
 */
@Configuration(proxyBeanMethods = false)
class ReadYourWrites implements WebMvcConfigurer, HandlerInterceptor {

    private final ObjectProvider<RosterFeed> feed;

    ReadYourWrites(ObjectProvider<RosterFeed> feed) {
        this.feed = feed;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns("/api/v1/**");
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if ("GET".equals(request.getMethod())) {
            feed.ifAvailable(RosterFeed::awaitForRead);
        }
        return true;
    }
}
