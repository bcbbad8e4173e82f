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

/** The session cookie as the servlet container writes it, on a real port: what a browser is told to do with it. */
@ExtendWith(KafkaAndRegistry.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = OpsConsoleApplication.CONFIG_NAME)
class ConsoleSessionCookieTest {

    @LocalServerPort
    int port;

    @Test
    void shouldKeepTheSessionCookieFromOtherSitesRequestsAndFromScripts() throws Exception {
        // when a person who is not signed in opens the console (the session then remembers the page for after sign-in)
        HttpResponse<Void> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
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
