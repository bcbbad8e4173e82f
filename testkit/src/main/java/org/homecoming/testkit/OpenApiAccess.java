package org.homecoming.testkit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.assertj.core.api.SoftAssertions;
import org.springframework.http.HttpMethod;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;

/**
 * Checks a service's access rules against its own OpenAPI document: for every operation the document lists,
 * anonymous gets 401, a token with every role but the allowed ones gets 403, and each allowed role is not refused.
 * The table of operations and their roles is written in the test, independently of the service's rules; an
 * operation in the document but not in the table (an endpoint added without a rule) fails, and so does a table entry
 * that no longer matches an operation.
 */
public final class OpenApiAccess {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Set<String>> allowed = new LinkedHashMap<>();
    private final List<String> allRoles;

    public OpenApiAccess(List<String> allRoles) {
        this.allRoles = List.copyOf(allRoles);
    }

    /** {@code method} and {@code path} as the OpenAPI document writes them, e.g. {@code POST /api/v1/rounds/{roundId}/lists}. */
    public OpenApiAccess allow(String method, String path, String... roles) {
        allowed.put(method.toUpperCase() + " " + path, new LinkedHashSet<>(List.of(roles)));
        return this;
    }

    public void verify(MockMvc mvc) throws Exception {
        JsonNode document = JSON.readTree(mvc.perform(MockMvcRequestBuilders.get("/v3/api-docs"))
                .andReturn().getResponse().getContentAsString());
        Map<String, JsonNode> operations = operations(document);
        SoftAssertions softly = new SoftAssertions();
        softly.assertThat(operations).as("the OpenAPI document lists the operations").isNotEmpty();
        softly.assertThat(new TreeSet<>(operations.keySet()))
                .as("every operation of the OpenAPI document has a row in the access table, and every row an operation")
                .isEqualTo(new TreeSet<>(allowed.keySet()));
        for (Map.Entry<String, JsonNode> operation : operations.entrySet()) {
            Set<String> roles = allowed.get(operation.getKey());
            if (roles == null) {
                continue;
            }
            softly.assertThat(status(mvc, operation, null)).as("%s without a token", operation.getKey()).isEqualTo(401);
            List<String> others = allRoles.stream().filter(role -> !roles.contains(role)).toList();
            if (!others.isEmpty()) {
                softly.assertThat(status(mvc, operation, others)).as("%s with every role but %s", operation.getKey(), roles)
                        .isEqualTo(403);
            }
            for (String role : roles) {
                softly.assertThat(status(mvc, operation, List.of(role))).as("%s as %s", operation.getKey(), role)
                        .isNotIn(401, 403);
            }
        }
        softly.assertAll();
    }

    private static Map<String, JsonNode> operations(JsonNode document) {
        Map<String, JsonNode> operations = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(method -> operations.put(method.getKey().toUpperCase() + " " + path.getKey(),
                    method.getValue()));
        }
        return operations;
    }

    private static int status(MockMvc mvc, Map.Entry<String, JsonNode> operation, List<String> roles) throws Exception {
        String[] methodAndPath = operation.getKey().split(" ", 2);
        // a path variable that names nothing: the call is refused, or answers 404/400, and changes nothing
        String path = methodAndPath[1].replaceAll("\\{[^}]+}", "access-probe");
        MockHttpServletRequestBuilder request = MockMvcRequestBuilders.request(HttpMethod.valueOf(methodAndPath[0]), path);
        Iterator<String> contentTypes = operation.getValue().path("requestBody").path("content").fieldNames();
        if (contentTypes.hasNext()) {
            String contentType = contentTypes.next();
            request.contentType(contentType).content(contentType.contains("json") ? "{}" : "");
        }
        if (roles != null) {
            List<GrantedAuthority> authorities = new ArrayList<>();
            roles.forEach(role -> authorities.add(new SimpleGrantedAuthority("ROLE_" + role)));
            request.with(jwt().authorities(authorities).jwt(token -> token.claim("preferred_username", "access-probe")));
        }
        return mvc.perform(request).andReturn().getResponse().getStatus();
    }
}
