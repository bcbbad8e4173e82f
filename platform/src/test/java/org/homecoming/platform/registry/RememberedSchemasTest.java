package org.homecoming.platform.registry;

import java.net.ConnectException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import io.apicurio.registry.resolver.client.RegistryArtifactReference;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import io.apicurio.registry.resolver.client.RegistryVersionCoordinates;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import org.homecoming.platform.state.SavedDocuments;
import org.homecoming.testkit.MovableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RememberedSchemasTest {

    private static final String POSITIONS = "transport.bus-positions-value";

    private final MovableClock clock = new MovableClock(Instant.parse("2026-12-03T08:00:00Z"));
    private final StandInRegistry registry = new StandInRegistry();
    private final RememberedSchemas remembered = new RememberedSchemas(registry, clock);
    @TempDir
    Path stateFolder;

    @Test
    void shouldAskTheRegistryOnceForTheSchemaAnIdNames() {
        // given
        registry.schema = "{\"type\":\"string\"}";

        // when three serdes of the process read records with content id 7, the last while the registry is away
        remembered.getSchemaByContentId(7L);
        remembered.getSchemaByContentId(7L);
        registry.away = true;
        String schema = remembered.getSchemaByContentId(7L);

        // then
        assertThat(schema).isEqualTo("{\"type\":\"string\"}");
        assertThat(registry.asked).hasValue(1);
    }

    @Test
    void shouldGoOnWritingWithTheLatestVersionItKnewWhileTheRegistryCannotBeAsked() {
        // given a producer that looked the topic's latest schema up
        registry.versions.add(version(3));
        remembered.getVersionCoordinatesByGAV("default", POSITIONS, "branch=latest");

        // when the registry (or the identity provider issuing its token) is away as the answer comes due again
        registry.away = true;
        clock.advance(RememberedSchemas.RECHECK.plusSeconds(1));
        RegistryVersionCoordinates latest = remembered.getVersionCoordinatesByGAV("default", POSITIONS, "branch=latest");

        // then the last answer stands, after the registry was asked once more
        assertThat(latest.getContentId()).isEqualTo(3L);
        assertThat(registry.asked).hasValue(2);
    }

    @Test
    void shouldSeeANewlyRegisteredVersionOnceTheAnswerComesDue() {
        // given
        registry.versions.add(version(3));
        registry.versions.add(version(4));
        remembered.getVersionCoordinatesByGAV("default", POSITIONS, "branch=latest");

        // when
        long withinRecheck = remembered.getVersionCoordinatesByGAV("default", POSITIONS, "branch=latest").getContentId();
        clock.advance(RememberedSchemas.RECHECK);
        long afterRecheck = remembered.getVersionCoordinatesByGAV("default", POSITIONS, "branch=latest").getContentId();

        // then
        assertThat(withinRecheck).isEqualTo(3L);
        assertThat(afterRecheck).isEqualTo(4L);
    }

    @Test
    void shouldNeverCoverUpWhatTheRegistryAnswered() {
        // given an answer remembered, then the artifact gone from the registry
        registry.versions.add(version(3));
        remembered.getVersionCoordinatesByGAV("default", POSITIONS, "branch=latest");
        registry.refusal = new IllegalStateException("artifact not found");

        // when / then the registry's own answer is passed on, not the remembered one
        clock.advance(RememberedSchemas.RECHECK);
        assertThatThrownBy(() -> remembered.getVersionCoordinatesByGAV("default", POSITIONS, "branch=latest"))
                .hasMessage("artifact not found");
    }

    @Test
    void shouldFailAsAnOutageWhenItNeverHadTheAnswer() {
        registry.away = true;

        assertThatThrownBy(() -> remembered.getSchemaByContentId(8L)).satisfies(failure ->
                assertThat(RegistryOutage.isCause(failure)).as("read again later, never dead-lettered").isTrue());
    }

    @Test
    void shouldShareOneClientBetweenTheSerdesOfOneRegistryAndCredentials() {
        Map<String, Object> transport = Map.of("apicurio.registry.url", "http://127.0.0.1:1/apis/registry/v3",
                "apicurio.registry.auth.username", "transport", "apicurio.registry.auth.password", "secret");
        Map<String, Object> console = Map.of("apicurio.registry.url", "http://127.0.0.1:1/apis/registry/v3",
                "apicurio.registry.auth.username", "ops-console", "apicurio.registry.auth.password", "other");

        assertThat(RegistryConnection.facade(transport)).isSameAs(RegistryConnection.facade(Map.copyOf(transport)))
                .isNotSameAs(RegistryConnection.facade(console));
    }

    @Test
    void shouldReadWithTheAnswersItSavedWhenStartedWhileTheRegistryCannotBeAsked() throws Exception {
        // given a process that read content id 7, its references, and its topic's latest version, and then stopped
        SavedAnswers saved = new SavedAnswers(SavedDocuments.in(stateFolder.resolve("registry-answers")), "http://registry:8080");
        RememberedSchemas before = new RememberedSchemas(registry, clock, saved);
        registry.schema = "{\"type\":\"string\"}\n";
        registry.references = List.of(RegistryArtifactReference.builder().name("Position").groupId("default")
                .artifactId("org.homecoming.Position").version("2").build());
        registry.versions.add(version(3));
        before.getSchemaByContentId(7L);
        before.getReferencesByContentId(7L);
        before.getVersionCoordinatesByGAV("default", POSITIONS, "branch=latest");

        // when a new process starts while the registry (or the identity provider issuing its token) is away
        registry.away = true;
        RememberedSchemas restarted = new RememberedSchemas(registry, clock, saved);

        // then it reads and writes with what it was told before
        assertThat(restarted.getSchemaByContentId(7L)).isEqualTo("{\"type\":\"string\"}\n");
        assertThat(restarted.getReferencesByContentId(7L)).singleElement().satisfies(reference -> {
            assertThat(reference.getName()).isEqualTo("Position");
            assertThat(reference.getArtifactId()).isEqualTo("org.homecoming.Position");
            assertThat(reference.getVersion()).isEqualTo("2");
        });
        RegistryVersionCoordinates latest = restarted.getVersionCoordinatesByGAV("default", POSITIONS, "branch=latest");
        assertThat(latest.getContentId()).isEqualTo(3L);
        assertThat(latest.getGlobalId()).isEqualTo(30L);
        // and an id it was never told still fails as an outage, to be read again later
        assertThatThrownBy(() -> restarted.getSchemaByContentId(8L)).satisfies(failure ->
                assertThat(RegistryOutage.isCause(failure)).isTrue());
    }

    @Test
    void shouldPreferWhatTheRegistryAnswersToWhatWasSaved() throws Exception {
        // given an answer saved by an earlier process
        SavedAnswers saved = new SavedAnswers(SavedDocuments.in(stateFolder.resolve("registry-answers")), "http://registry:8080");
        registry.schema = "{\"type\":\"string\"}";
        new RememberedSchemas(registry, clock, saved).getSchemaByContentId(7L);

        // when the registry, reachable, now answers otherwise (it was rebuilt, say)
        registry.schema = "{\"type\":\"long\"}";

        // then its answer is used, and kept for the next restart
        assertThat(new RememberedSchemas(registry, clock, saved).getSchemaByContentId(7L)).isEqualTo("{\"type\":\"long\"}");
        registry.away = true;
        assertThat(new RememberedSchemas(registry, clock, saved).getSchemaByContentId(7L)).isEqualTo("{\"type\":\"long\"}");
    }

    private static RegistryVersionCoordinates version(long contentId) {
        return RegistryVersionCoordinates.create(contentId * 10, contentId, "default", POSITIONS, String.valueOf(contentId));
    }

    /** Answers from its fields, counts what it was asked, and fails as an unreachable registry does when away. */
    private static final class StandInRegistry implements RegistryClientFacade {
        final AtomicInteger asked = new AtomicInteger();
        final Deque<RegistryVersionCoordinates> versions = new ArrayDeque<>();
        volatile boolean away;
        volatile RuntimeException refusal;
        String schema;
        List<RegistryArtifactReference> references = List.of();

        private void answer() {
            asked.incrementAndGet();
            if (away) {
                throw new RuntimeException(new ExecutionException(new ConnectException("Connection refused")));
            }
            if (refusal != null) {
                throw refusal;
            }
        }

        @Override
        public String getSchemaByContentId(Long contentId) {
            answer();
            return schema;
        }

        @Override
        public RegistryVersionCoordinates getVersionCoordinatesByGAV(String groupId, String artifactId, String version) {
            answer();
            return versions.size() > 1 ? versions.removeFirst() : versions.getFirst();
        }

        @Override
        public String getSchemaByGlobalId(long globalId, boolean dereferenced) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getSchemaByGAV(String groupId, String artifactId, String version) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getSchemaByContentHash(String contentHash) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<RegistryArtifactReference> getReferencesByContentId(long contentId) {
            answer();
            return references;
        }

        @Override
        public List<RegistryArtifactReference> getReferencesByGlobalId(long globalId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<RegistryArtifactReference> getReferencesByGAV(String groupId, String artifactId, String version) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<RegistryArtifactReference> getReferencesByContentHash(String contentHash) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<RegistryVersionCoordinates> searchVersionsByContent(String schema, String artifactType,
                                                                        ArtifactReference reference, boolean canonical) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RegistryVersionCoordinates createSchema(String artifactType, String groupId, String artifactId, String version,
                                                       String autoCreate, boolean canonical, String schema,
                                                       Set<RegistryArtifactReference> references) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object getClient() {
            return null;
        }
    }
}
