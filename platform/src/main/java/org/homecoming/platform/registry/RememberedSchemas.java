package org.homecoming.platform.registry;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.apicurio.registry.resolver.client.RegistryArtifactReference;
import io.apicurio.registry.resolver.client.RegistryClientFacade;
import io.apicurio.registry.resolver.client.RegistryVersionCoordinates;
import io.apicurio.registry.resolver.strategy.ArtifactReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's answers, remembered for the whole process and shared by every serde that reaches the same registry
 * with the same credentials ({@link RegistryConnection#facade}).
 *
 * <p>Every fenced decision (a bus's readings, a round's lists, a held alert) takes a fresh producer, and with it a fresh
 * serializer, whose own client fetched a registry token from the identity provider and looked its schema up again: each
 * such REST call needed the identity provider and the registry to answer at that moment, although the schema was known.
 * When the identity provider restarted, the trackers' position reports were answered 500 until it was back. Now:
 *
 * <ul>
 *   <li>what an id names (a schema by content id, global id or content hash, and its references) never changes in
 *   the registry, so it is asked once per process;</li>
 *   <li>what a name names (the latest version of an artifact, a search by content) may change when a new version is
 *   registered: it is asked again after {@link #RECHECK}, and while the registry cannot be asked
 *   ({@link RegistryOutage#isCause}) the last answer stands;</li>
 *   <li>an answer that the registry gave (404 included) is never covered up, and registering goes straight through;</li>
 *   <li>with a folder to keep them in ({@link SavedAnswers}), the answers are also saved there, and a process that
 *   starts while the registry cannot be asked (or the identity provider that issues its token) uses the saved ones,
 *   and only then: it reads its own topics again without waiting for either.</li>
 * </ul>
 */
final class RememberedSchemas implements RegistryClientFacade {

    /** As the serde's own check of the latest version: a newly registered version is seen within this. */
    static final Duration RECHECK = Duration.ofSeconds(30);
    /** Past this many answers nothing more is remembered (a catalogue holds a few dozen schemas). */
    static final int MOST_REMEMBERED = 10_000;

    private static final Logger log = LoggerFactory.getLogger(RememberedSchemas.class);

    private record Answer(Object value, Instant at) {
    }

    private final RegistryClientFacade registry;
    private final Clock clock;
    private final Map<List<Object>, Answer> answers = new ConcurrentHashMap<>();
    /** The answers kept across restarts; null to keep them in memory only. */
    private final SavedAnswers saved;
    private volatile boolean unavailable;
    private volatile boolean savingFailed;

    RememberedSchemas(RegistryClientFacade registry, Clock clock) {
        this(registry, clock, null);
    }

    RememberedSchemas(RegistryClientFacade registry, Clock clock, SavedAnswers saved) {
        this.registry = registry;
        this.clock = clock;
        this.saved = saved;
    }

    @Override
    public String getSchemaByContentId(Long contentId) {
        return forever(key("contentId", contentId), () -> registry.getSchemaByContentId(contentId));
    }

    @Override
    public String getSchemaByGlobalId(long globalId, boolean dereferenced) {
        return forever(key("globalId", globalId, dereferenced), () -> registry.getSchemaByGlobalId(globalId, dereferenced));
    }

    @Override
    public String getSchemaByContentHash(String contentHash) {
        return forever(key("contentHash", contentHash), () -> registry.getSchemaByContentHash(contentHash));
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByContentId(long contentId) {
        return forever(key("referencesByContentId", contentId), () -> registry.getReferencesByContentId(contentId));
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByGlobalId(long globalId) {
        return forever(key("referencesByGlobalId", globalId), () -> registry.getReferencesByGlobalId(globalId));
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByContentHash(String contentHash) {
        return forever(key("referencesByContentHash", contentHash), () -> registry.getReferencesByContentHash(contentHash));
    }

    @Override
    public String getSchemaByGAV(String groupId, String artifactId, String version) {
        return rechecked(key("schemaByGAV", groupId, artifactId, version),
                () -> registry.getSchemaByGAV(groupId, artifactId, version));
    }

    @Override
    public List<RegistryArtifactReference> getReferencesByGAV(String groupId, String artifactId, String version) {
        return rechecked(key("referencesByGAV", groupId, artifactId, version),
                () -> registry.getReferencesByGAV(groupId, artifactId, version));
    }

    @Override
    public RegistryVersionCoordinates getVersionCoordinatesByGAV(String groupId, String artifactId, String version) {
        return rechecked(key("coordinatesByGAV", groupId, artifactId, version),
                () -> registry.getVersionCoordinatesByGAV(groupId, artifactId, version));
    }

    @Override
    public List<RegistryVersionCoordinates> searchVersionsByContent(String schema, String artifactType,
                                                                    ArtifactReference reference, boolean canonical) {
        return rechecked(key("search", schema, artifactType, reference.getGroupId(),
                        reference.getArtifactId(), reference.getVersion(), canonical),
                () -> registry.searchVersionsByContent(schema, artifactType, reference, canonical));
    }

    @Override
    public RegistryVersionCoordinates createSchema(String artifactType, String groupId, String artifactId, String version,
                                                   String autoCreate, boolean canonical, String schema,
                                                   Set<RegistryArtifactReference> references) {
        return registry.createSchema(artifactType, groupId, artifactId, version, autoCreate, canonical, schema, references);
    }

    @Override
    public Object getClient() {
        return registry.getClient();
    }

    private static List<Object> key(Object... parts) {
        return java.util.Arrays.asList(parts);
    }

    @SuppressWarnings("unchecked")
    private <T> T forever(List<Object> question, Supplier<T> asking) {
        Answer known = answers.get(question);
        if (known != null) {
            return (T) known.value();
        }
        try {
            T value = ask(asking);
            remember(question, value);
            return value;
        } catch (RuntimeException e) {
            return this.<T>savedAnswer(question, e).orElseThrow(() -> e);
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T rechecked(List<Object> question, Supplier<T> asking) {
        Answer known = answers.get(question);
        Instant now = clock.instant();
        if (known != null && now.isBefore(known.at().plus(RECHECK))) {
            return (T) known.value();
        }
        try {
            T value = ask(asking);
            remember(question, value);
            return value;
        } catch (RuntimeException e) {
            if (known == null) {
                return this.<T>savedAnswer(question, e).orElseThrow(() -> e);
            }
            if (!RegistryOutage.isCause(e)) {
                throw e;
            }
            return (T) known.value();
        }
    }

    private <T> T ask(Supplier<T> asking) {
        try {
            T value = asking.get();
            if (unavailable) {
                unavailable = false;
                log.info("The schema registry answers again");
            }
            return value;
        } catch (RuntimeException e) {
            if (RegistryOutage.isCause(e) && !unavailable) {
                unavailable = true;
                log.warn("The schema registry cannot be asked ({}); the answers it gave before stand meanwhile",
                        RegistryOutage.describe(e));
            }
            throw e;
        }
    }

    private void remember(List<Object> question, Object value) {
        if (value != null && answers.size() < MOST_REMEMBERED) {
            Instant now = clock.instant();
            Answer before = answers.put(question, new Answer(value, now));
            if (saved != null && (before == null || !before.value().equals(value))) {
                try {
                    saved.save(question, value, now);
                } catch (IOException | RuntimeException e) {
                    if (!savingFailed) {
                        savingFailed = true;
                        log.warn("The schema registry's answers cannot be saved for a restart: {}", e.getMessage());
                    }
                }
            }
        }
    }

    /** The answer saved by this or an earlier process, when the registry cannot be asked now. */
    @SuppressWarnings("unchecked")
    private <T> Optional<T> savedAnswer(List<Object> question, RuntimeException failure) {
        if (saved == null || !RegistryOutage.isCause(failure)) {
            return Optional.empty();
        }
        try {
            // not kept in memory: once the registry answers again, its answer is the one used
            return (Optional<T>) saved.find(question);
        } catch (IOException | RuntimeException e) {
            log.warn("A saved answer of the schema registry is not used: {}", e.getMessage());
            return Optional.empty();
        }
    }
}
