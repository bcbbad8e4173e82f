package org.homecoming.roster;

import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.OpenApiAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.MockMvc;

import static org.homecoming.platform.security.Roles.ALL;
import static org.homecoming.platform.security.Roles.CASEWORKER;
import static org.homecoming.platform.security.Roles.LIST_OFFICER;
import static org.homecoming.platform.security.Roles.RECEPTION_STAFF;
import static org.homecoming.platform.security.Roles.TRANSPORT_OFFICER;

/** Who may call what, checked for every operation of the roster's OpenAPI document. */
@ExtendWith(KafkaAndRegistry.class)
@SpringBootTest(properties = RosterApplication.CONFIG_NAME)
@AutoConfigureMockMvc
@DirtiesContext // a roster instance: left running after the class, its background catch-up would end (after 5 s) a
                // transaction another class holds open on purpose (RosterInstancesIntegrationTest's live upload)
class RosterAccessTest {

    private static final String[] READERS = {LIST_OFFICER, TRANSPORT_OFFICER, RECEPTION_STAFF, CASEWORKER};

    @Autowired
    MockMvc mvc;

    @Test
    void shouldLetEachOperationOnlyToItsRolesAndRefuseEveryoneElse() throws Exception {
        new OpenApiAccess(ALL)
                .allow("POST", "/api/v1/rounds", LIST_OFFICER)
                .allow("GET", "/api/v1/rounds", READERS)
                .allow("GET", "/api/v1/rounds/{roundId}", READERS)
                .allow("POST", "/api/v1/rounds/{roundId}/status", LIST_OFFICER)
                .allow("POST", "/api/v1/rounds/{roundId}/lists", LIST_OFFICER)
                .allow("GET", "/api/v1/rounds/{roundId}/lists", READERS)
                .allow("GET", "/api/v1/rounds/{roundId}/lists/{listId}", READERS)
                .allow("GET", "/api/v1/persons/{personId}", READERS)
                .verify(mvc);
    }
}
