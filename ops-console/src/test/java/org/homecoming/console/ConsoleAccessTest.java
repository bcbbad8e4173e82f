package org.homecoming.console;

import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.OpenApiAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.homecoming.platform.security.Roles.ALL;
import static org.homecoming.platform.security.Roles.OPS_VIEWER;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
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
                .verify(mvc);
    }

    @Test
    void shouldSendAPersonWhoIsNotSignedInToTheIdentityProvider() throws Exception {
        mvc.perform(get("/").accept(MediaType.TEXT_HTML))
                .andExpect(status().is3xxRedirection())
                .andExpect(header().string("Location", "/oauth2/authorization/homecoming"));
    }
}
