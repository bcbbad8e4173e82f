package org.homecoming.platform.registry;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.apicurio.registry.resolver.client.RegistryArtifactReference;
import io.apicurio.registry.resolver.client.RegistryVersionCoordinates;
import org.homecoming.platform.state.SavedDocuments;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The registry's answers ({@link RememberedSchemas}) kept on disk, for a process that starts while the registry, or the
 * identity provider that issues its tokens, cannot be reached: it reads its topics with the schemas it was told before.
 * Used only when the registry cannot be asked: an answer the registry gives always wins, and replaces the saved one.
 *
 * <p>An answer is saved under the registry's address and the question, as text: a schema as it is, references and
 * version coordinates as JSON. What kind each question's answer is follows from the question's first part.
 */
final class SavedAnswers {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SavedDocuments documents;
    private final String registry;

    SavedAnswers(SavedDocuments documents, String registry) {
        this.documents = documents;
        this.registry = registry;
    }

    void save(List<Object> question, Object answer, Instant at) throws IOException {
        documents.save(name(question), encode(answer), at);
    }

    Optional<Object> find(List<Object> question) throws IOException {
        Optional<SavedDocuments.Saved> saved = documents.find(name(question));
        if (saved.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(decode(String.valueOf(question.get(0)), saved.get().body()));
    }

    private String name(List<Object> question) {
        StringBuilder name = new StringBuilder(registry);
        question.forEach(part -> name.append('\n').append(part));
        return name.toString().replace("\n", "\u001f"); // one line: the saved file's first line is its name
    }

    static String encode(Object answer) {
        if (answer instanceof String schema) {
            return schema;
        }
        if (answer instanceof RegistryVersionCoordinates coordinates) {
            return coordinates(coordinates).toString();
        }
        ArrayNode list = JSON.createArrayNode();
        for (Object element : (List<?>) answer) {
            if (element instanceof RegistryArtifactReference reference) {
                list.add(JSON.createObjectNode().put("name", reference.getName()).put("groupId", reference.getGroupId())
                        .put("artifactId", reference.getArtifactId()).put("version", reference.getVersion()));
            } else {
                list.add(coordinates((RegistryVersionCoordinates) element));
            }
        }
        return list.toString();
    }

    static Object decode(String kind, String text) {
        if (kind.startsWith("references")) {
            List<RegistryArtifactReference> references = new ArrayList<>();
            JSON.readTree(text).forEach(node -> references.add(RegistryArtifactReference.builder().name(text(node, "name"))
                    .groupId(text(node, "groupId")).artifactId(text(node, "artifactId")).version(text(node, "version")).build()));
            return references;
        }
        if (kind.equals("search")) {
            List<RegistryVersionCoordinates> found = new ArrayList<>();
            JSON.readTree(text).forEach(node -> found.add(coordinates(node)));
            return found;
        }
        if (kind.equals("coordinatesByGAV")) {
            return coordinates(JSON.readTree(text));
        }
        return text;
    }

    private static ObjectNode coordinates(RegistryVersionCoordinates coordinates) {
        return JSON.createObjectNode().put("globalId", coordinates.getGlobalId()).put("contentId", coordinates.getContentId())
                .put("groupId", coordinates.getGroupId()).put("artifactId", coordinates.getArtifactId())
                .put("version", coordinates.getVersion());
    }

    private static RegistryVersionCoordinates coordinates(JsonNode node) {
        return RegistryVersionCoordinates.create(number(node, "globalId"), number(node, "contentId"), text(node, "groupId"),
                text(node, "artifactId"), text(node, "version"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static Long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asLong();
    }
}
