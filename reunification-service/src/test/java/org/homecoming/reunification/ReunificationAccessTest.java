package org.homecoming.reunification;

import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.OpenApiAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.homecoming.platform.security.Roles.ALL;
import static org.homecoming.platform.security.Roles.CASEWORKER;
import static org.homecoming.platform.security.Roles.HOTLINE_OPERATOR;
import static org.homecoming.platform.security.Roles.METRICS_SCRAPER;
import static org.homecoming.platform.security.Roles.OPS_VIEWER;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/** Who may call what, checked for every operation of the reunification service's OpenAPI document. */
@ExtendWith(KafkaAndRegistry.class)
@SpringBootTest(properties = ReunificationApplication.CONFIG_NAME)
@AutoConfigureMockMvc
@DirtiesContext // its listeners must not compete with the contexts that AlertDeliveryRestartIntegrationTest starts
class ReunificationAccessTest {

    @Autowired
    MockMvc mvc;

    @Test
    void shouldLetEachOperationOnlyToItsRolesAndRefuseEveryoneElse() throws Exception {
        new OpenApiAccess(ALL)
                .allow("POST", "/api/v1/inquiries", HOTLINE_OPERATOR)
                .allow("GET", "/api/v1/inquiries/{inquiryId}", HOTLINE_OPERATOR, CASEWORKER)
                .allow("PUT", "/api/v1/inquiries/{inquiryId}", HOTLINE_OPERATOR)
                .allow("DELETE", "/api/v1/inquiries/{inquiryId}", HOTLINE_OPERATOR)
                .allow("POST", "/api/v1/inquiries/{inquiryId}/erasure", HOTLINE_OPERATOR)
                .allow("POST", "/api/v1/inquiries/{inquiryId}/renewal", HOTLINE_OPERATOR)
                .allow("GET", "/api/v1/inquiry-renewals", HOTLINE_OPERATOR)
                .allow("GET", "/api/v1/inquiries/{inquiryId}/alerts", HOTLINE_OPERATOR, CASEWORKER)
                .allow("GET", "/api/v1/alerts/held", HOTLINE_OPERATOR, OPS_VIEWER)
                .allow("POST", "/api/v1/alerts/{alertId}/resend", HOTLINE_OPERATOR)
                .allow("POST", "/api/v1/alerts/{alertId}/delivered", HOTLINE_OPERATOR)
                .allow("GET", "/api/v1/matches", CASEWORKER)
                .allow("POST", "/api/v1/matches/{matchId}/confirm", CASEWORKER)
                .allow("POST", "/api/v1/matches/{matchId}/reject", CASEWORKER)
                .verify(mvc);
    }

    @Test
    void shouldLetThePrometheusScraperReadTheMetricsAndNothingElse() throws Exception {
        // given the token Prometheus gets with its client's credentials (its secret sits in the scrape config)
        RequestPostProcessor scraper = jwt().authorities(new SimpleGrantedAuthority("ROLE_" + METRICS_SCRAPER))
                .jwt(token -> token.subject("service-account-prometheus").claim("azp", "prometheus")
                        .claim("preferred_username", "service-account-prometheus"));

        // when it scrapes, and when it asks for the alerts held for an operator and the rest of actuator
        int metrics = mvc.perform(get("/actuator/prometheus").with(scraper)).andReturn().getResponse().getStatus();
        int held = mvc.perform(get("/api/v1/alerts/held").with(scraper)).andReturn().getResponse().getStatus();
        int otherActuator = mvc.perform(get("/actuator/metrics").with(scraper)).andReturn().getResponse().getStatus();

        // then it gets the metrics only
        assertThat(metrics).as("GET /actuator/prometheus").isEqualTo(200);
        assertThat(held).as("GET /api/v1/alerts/held").isEqualTo(403);
        assertThat(otherActuator).as("GET /actuator/metrics").isEqualTo(403);
    }
}
