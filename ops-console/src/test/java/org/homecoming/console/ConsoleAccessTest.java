package org.homecoming.console;

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

import static org.hamcrest.Matchers.containsString;
import static org.homecoming.platform.security.Roles.ALL;
import static org.homecoming.platform.security.Roles.OPS_VIEWER;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.oauth2Login;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Only ops viewers see the console; a person who is not signed in is sent to the identity provider. */
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
                .allow("POST", "/api/v1/attention/acknowledgements", OPS_VIEWER)
                .allow("POST", "/api/v1/attention/acknowledgement-withdrawals", OPS_VIEWER)
                .verify(mvc);
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
