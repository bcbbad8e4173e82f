package org.homecoming.console;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.homecoming.testkit.KafkaAndRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing in to the console on a real port, as a browser meets it: the session cookie the servlet container writes, and
 * what a person sees when the identity provider does not answer (nothing listens where this test's provider should be).
 */
@ExtendWith(KafkaAndRegistry.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {OpsConsoleApplication.CONFIG_NAME,
        "homecoming.console.login.issuer-uri=http://127.0.0.1:1/realms/homecoming"})
class ConsoleSignInTest {

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldTellAPersonWhoSignsInWhileTheIdentityProviderIsAwayToTryAgainShortly() throws Exception {
        // when a person opens the sign-in while the provider does not answer
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/oauth2/authorization/homecoming"))
                .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());

        // then a page that says the provider is away and to try again, not a server error
        assertThat(answer.statusCode()).isEqualTo(503);
        assertThat(answer.headers().firstValue("Retry-After")).hasValue("30");
        assertThat(answer.body()).contains("Sign-in is not possible right now").contains("identity provider cannot be reached");
    }

    @Test
    void shouldAnswerASignInAtAProviderTheConsoleDoesNotHaveWithNotFound() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/oauth2/authorization/evil"))
                .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(404);
    }

    @Test
    void shouldKeepTheSessionCookieFromOtherSitesRequestsAndFromScripts() throws Exception {
        // when a person who is not signed in opens the console (the session then remembers the page for after sign-in)
        HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.discarding());

        // then the session cookie goes with the console's own requests and top-level navigation only, and no script reads it
        assertThat(answer.statusCode()).isEqualTo(302);
        List<String> sessionCookies = answer.headers().allValues("Set-Cookie").stream()
                .filter(cookie -> cookie.startsWith("JSESSIONID=")).toList();
        assertThat(sessionCookies).singleElement().satisfies(cookie -> {
            assertThat(cookie).containsIgnoringCase("SameSite=Lax");
            assertThat(cookie).containsIgnoringCase("HttpOnly");
        });
    }
}
