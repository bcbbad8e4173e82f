package org.homecoming.console;

import java.util.List;

import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.OpenApiAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.homecoming.platform.security.Roles.ALL;
import static org.homecoming.platform.security.Roles.METRICS_SCRAPER;
import static org.homecoming.platform.security.Roles.OPS_VIEWER;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.oauth2Login;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Only ops viewers see the console, only a person signed in on it acts on it, and Prometheus's client reads its metrics
 * and nothing else; a person who is not signed in is sent to the identity provider.
 */
@ExtendWith(KafkaAndRegistry.class)
@SpringBootTest(properties = OpsConsoleApplication.CONFIG_NAME)
@AutoConfigureMockMvc
class ConsoleAccessTest {

    @Autowired
    MockMvc mvc;

    @Test
    void shouldLetEachOperationOnlyToOpsViewers() throws Exception {
        new OpenApiAccess(ALL)
                .allow("GET", "/api/v1/dashboard", OPS_VIEWER)
                .allow("GET", "/api/v1/dashboard/stream", OPS_VIEWER)
                .allow("GET", "/api/v1/dashboard/buses/{busId}/timeline", OPS_VIEWER)
                // an operator's acts: for a person signed in on the page (below), never for a bearer token, whatever its role
                .allow("POST", "/api/v1/attention/acknowledgements")
                .allow("POST", "/api/v1/attention/acknowledgement-withdrawals")
                .verify(mvc);
    }

    @Test
    void shouldLetThePrometheusScraperReadTheMetricsAndNothingElse() throws Exception {
        // given the token Prometheus gets with its client's credentials (its secret sits in the scrape config)
        RequestPostProcessor scraper = jwt().authorities(new SimpleGrantedAuthority("ROLE_" + METRICS_SCRAPER))
                .jwt(token -> token.subject("service-account-prometheus").claim("azp", "prometheus")
                        .claim("preferred_username", "service-account-prometheus"));

        // when it scrapes, and when it tries what an ops viewer may
        MvcResult metrics = mvc.perform(get("/actuator/prometheus").with(scraper)).andReturn();
        int acknowledgement = mvc.perform(post("/api/v1/attention/acknowledgements").with(scraper)
                .contentType(MediaType.APPLICATION_JSON).content("{\"itemId\": \"tracker-silent:BUS-X\"}"))
                .andReturn().getResponse().getStatus();
        int dashboard = mvc.perform(get("/api/v1/dashboard").with(scraper)).andReturn().getResponse().getStatus();
        int otherActuator = mvc.perform(get("/actuator/metrics").with(scraper)).andReturn().getResponse().getStatus();

        // then it gets the metrics, and is refused the console's figures and acts and the rest of actuator
        assertThat(metrics.getResponse().getStatus()).as("GET /actuator/prometheus").isEqualTo(200);
        assertThat(metrics.getResponse().getContentAsString()).as("the scrape").contains("homecoming_attention_items");
        assertThat(acknowledgement).as("POST an acknowledgement").isEqualTo(403);
        assertThat(dashboard).as("GET the dashboard").isEqualTo(403);
        assertThat(otherActuator).as("GET /actuator/metrics").isEqualTo(403);
    }

    @Test
    void shouldRefuseAnAcknowledgementOrItsWithdrawalFromABearerTokenEvenWithTheOpsViewerRole() throws Exception {
        // given a service account's token with the ops viewer's role (as the realm gave Prometheus's client), and a
        // person's own access token: a bearer token does not say that a person acts, nor which one is at the page
        RequestPostProcessor serviceAccount = jwt().authorities(new SimpleGrantedAuthority("ROLE_" + OPS_VIEWER))
                .jwt(token -> token.subject("service-account-prometheus").claim("azp", "prometheus")
                        .claim("preferred_username", "service-account-prometheus"));
        RequestPostProcessor personsToken = jwt().authorities(new SimpleGrantedAuthority("ROLE_" + OPS_VIEWER))
                .jwt(token -> token.subject("demo-ops").claim("azp", "homecoming-cli").claim("preferred_username", "demo-ops"));

        for (String path : new String[] {"/api/v1/attention/acknowledgements", "/api/v1/attention/acknowledgement-withdrawals"}) {
            for (RequestPostProcessor bearer : List.of(serviceAccount, personsToken)) {
                // when it posts an acknowledgement (or its withdrawal) of an item
                int status = mvc.perform(post(path).with(bearer).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"itemId\": \"tracker-silent:BUS-X\"}")).andReturn().getResponse().getStatus();

                // then it is refused, before the console looks for the item
                assertThat(status).as("POST %s with a bearer token", path).isEqualTo(403);
            }
        }
        // while the same person's token still reads the figures
        mvc.perform(get("/api/v1/dashboard").with(personsToken)).andExpect(status().isOk());
    }

    @Test
    void shouldRefuseAnAcknowledgementOrItsWithdrawalFromTheSignedInSessionWithoutItsCsrfToken() throws Exception {
        // a page on another site can make a signed-in operator's browser POST with its session, but it cannot read
        // the CSRF token: it could neither hide an item nor bring one back
        for (String path : new String[] {"/api/v1/attention/acknowledgements", "/api/v1/attention/acknowledgement-withdrawals"}) {
            MockHttpSession session = new MockHttpSession();
            mvc.perform(post(path).session(session).with(oauth2Login().authorities(new SimpleGrantedAuthority("ROLE_" + OPS_VIEWER)))
                            .contentType(MediaType.APPLICATION_JSON).content("{\"itemId\": \"tracker-silent:BUS-X\"}"))
                    .andExpect(status().isForbidden());
            // nor with an Authorization header that is no bearer token: the session still acts, so its token is needed
            mvc.perform(post(path).session(session).with(oauth2Login().authorities(new SimpleGrantedAuthority("ROLE_" + OPS_VIEWER)))
                            .header("Authorization", "Basic b3BzOm9wcw==")
                            .contentType(MediaType.APPLICATION_JSON).content("{\"itemId\": \"tracker-silent:BUS-X\"}"))
                    .andExpect(status().isForbidden());
            mvc.perform(post(path).session(session).with(oauth2Login().authorities(new SimpleGrantedAuthority("ROLE_" + OPS_VIEWER)))
                            .with(csrf())
                            .contentType(MediaType.APPLICATION_JSON).content("{\"itemId\": \"tracker-silent:BUS-X\"}"))
                    .andExpect(status().isNotFound());
        }
    }

    @Test
    void shouldServeThePageUnderAPolicyThatRunsOnlyItsOwnScript() throws Exception {
        mvc.perform(get("/index.html").with(oauth2Login().authorities(new SimpleGrantedAuthority("ROLE_" + OPS_VIEWER))))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Security-Policy", containsString("script-src 'self';")))
                .andExpect(header().string("Content-Security-Policy", containsString("connect-src 'self';")))
                .andExpect(header().string("Content-Security-Policy", containsString("frame-ancestors 'none'")));
    }

    @Test
    void shouldSendAPersonWhoIsNotSignedInToTheIdentityProvider() throws Exception {
        mvc.perform(get("/").accept(MediaType.TEXT_HTML))
                .andExpect(status().is3xxRedirection())
                .andExpect(header().string("Location", "/oauth2/authorization/homecoming"));
    }
}
