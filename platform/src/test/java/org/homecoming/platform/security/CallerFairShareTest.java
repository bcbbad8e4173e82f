package org.homecoming.platform.security;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.homecoming.platform.observability.MetricNames;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;

class CallerFairShareTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CallerFairShare fairShare = new CallerFairShare(3, meters, Clock.systemUTC());
    private final ExecutorService callers = Executors.newCachedThreadPool();
    private final CountDownLatch answer = new CountDownLatch(1);

    @AfterEach
    void release() {
        answer.countDown();
        callers.shutdownNow();
    }

    @Test
    void shouldRefuseACallersRequestBeyondItsShareWithAProblemAndServeOtherCallersMeanwhile() throws Exception {
        // given a flooding caller with three requests in progress, as many as its share
        List<Future<MockHttpServletResponse>> flood = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            flood.add(callers.submit(() -> call("service-account-stolen", started)));
        }
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

        // when it sends a fourth, and the reception staff send one
        MockHttpServletResponse fourth = callers.submit(() -> call("service-account-stolen", null)).get(10, TimeUnit.SECONDS);
        CountDownLatch receptionStarted = new CountDownLatch(1);
        Future<MockHttpServletResponse> reception = callers.submit(() -> call("demo-reception", receptionStarted));

        // then the fourth is refused at once, saying why and when to try again, and the reception's request goes through
        assertThat(fourth.getStatus()).isEqualTo(429);
        assertThat(fourth.getContentType()).startsWith("application/problem+json");
        assertThat(fourth.getHeader("Retry-After")).isEqualTo("1");
        assertThat(fourth.getContentAsString()).contains("too-many-requests-in-progress")
                .contains("already has 3 requests in progress").contains("nothing was done");
        assertThat(receptionStarted.await(10, TimeUnit.SECONDS)).as("another caller is not held up").isTrue();
        assertThat(meters.get(MetricNames.API_REQUESTS_REFUSED_BUSY).counter().count()).isEqualTo(1.0);

        // and once the flood's requests are answered, its share is free again
        answer.countDown();
        for (Future<MockHttpServletResponse> request : flood) {
            assertThat(request.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
        }
        assertThat(reception.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
        assertThat(fairShare.inProgress("service-account-stolen")).isZero();
        assertThat(call("service-account-stolen", null).getStatus()).isEqualTo(200);
    }

    @Test
    void shouldNeverRefuseACallerThatSendsOneRequestAfterAnother() throws Exception {
        answer.countDown();

        for (int i = 0; i < 1_000; i++) {
            assertThat(call("demo-hotline", null).getStatus()).isEqualTo(200);
        }
        assertThat(fairShare.inProgress("demo-hotline")).isZero();
    }

    @Test
    void shouldLeaveRequestsWithoutASignedInCallerAlone() throws Exception {
        // given more health checks in progress than any caller's share
        CountDownLatch started = new CountDownLatch(5);
        List<Future<MockHttpServletResponse>> checks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            checks.add(callers.submit(() -> {
                SecurityContextHolder.getContext().setAuthentication(new AnonymousAuthenticationToken("key", "anonymousUser",
                        AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
                return filter(started);
            }));
        }

        // then none is counted or refused
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        answer.countDown();
        for (Future<MockHttpServletResponse> check : checks) {
            assertThat(check.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
        }
        assertThat(meters.get(MetricNames.API_REQUESTS_REFUSED_BUSY).counter().count()).isZero();
    }

    /** One request of {@code caller}, whose answer waits for {@link #answer} once it has reached the controller. */
    private MockHttpServletResponse call(String caller, CountDownLatch started) throws Exception {
        TestingAuthenticationToken token = new TestingAuthenticationToken(caller, null, "ROLE_TRACKER");
        SecurityContextHolder.getContext().setAuthentication(token);
        try {
            return filter(started);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    private MockHttpServletResponse filter(CountDownLatch started) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        fairShare.doFilter(new MockHttpServletRequest("POST", "/api/v1/inquiries"), response, (request, served) -> {
            if (started != null) {
                started.countDown();
            }
            try {
                answer.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ((MockHttpServletResponse) served).setStatus(200);
        });
        return response;
    }
}
