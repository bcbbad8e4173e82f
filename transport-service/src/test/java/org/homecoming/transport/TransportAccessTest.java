package org.homecoming.transport;

import org.homecoming.testkit.KafkaAndRegistry;
import org.homecoming.testkit.OpenApiAccess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

import static org.homecoming.platform.security.Roles.ALL;
import static org.homecoming.platform.security.Roles.RECEPTION_STAFF;
import static org.homecoming.platform.security.Roles.TRACKER;
import static org.homecoming.platform.security.Roles.TRANSPORT_OFFICER;

/** Who may call what, checked for every operation of the transport service's OpenAPI document. */
@ExtendWith(KafkaAndRegistry.class)
@SpringBootTest(properties = TransportApplication.CONFIG_NAME)
@DirtiesContext // its stream processor must not stay in the JVM, processing the intake beside later test classes' own
@AutoConfigureMockMvc
class TransportAccessTest {

    @Autowired
    MockMvc mvc;

    @Test
    void shouldLetEachOperationOnlyToItsRolesAndRefuseEveryoneElse() throws Exception {
        new OpenApiAccess(ALL)
                .allow("POST", "/api/v1/buses", TRANSPORT_OFFICER)
                .allow("GET", "/api/v1/buses", TRANSPORT_OFFICER, RECEPTION_STAFF)
                .allow("GET", "/api/v1/buses/{busId}", TRANSPORT_OFFICER, RECEPTION_STAFF)
                .allow("POST", "/api/v1/buses/{busId}/positions", TRACKER)
                .allow("POST", "/api/v1/handovers", RECEPTION_STAFF)
                .allow("POST", "/api/v1/admissions", RECEPTION_STAFF)
                .allow("POST", "/api/v1/buses/{busId}/handovers-complete", RECEPTION_STAFF)
                .allow("POST", "/api/v1/buses/{busId}/arrival", RECEPTION_STAFF)
                .verify(mvc);
    }
}
