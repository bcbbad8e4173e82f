package org.homecoming.transport.manifests;

import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.homecoming.platform.web.EntityId;

/**
 * Which listed persons ride a bus in a round, from where to where, and whose GPS trackers report it. Every id follows
 * the one entity-id rule.
 *
 * <p>{@code trackedBy} names the partner principal whose trackers report the bus on Kafka: transport then accepts a
 * reading of it only from that partner's intake topic ({@code intake.bus-positions.<trackedBy>}), which only that
 * partner may write. Without it (null, the safe default) no partner may report the bus over Kafka: every partner's
 * reading of it is refused to the dead-letter topic, and only transport's own REST door positions it (from the
 * device that {@code trackerClient} names). A partner name is also a topic name's last part, so it has no dot and does
 * not end in {@code -dlt}.
 *
 * <p>{@code trackerClient} binds the bus on transport's REST door the same way: only a token issued to that OAuth2 client
 * (a tracker device's own credentials) may send its positions. Without it no device may: the bus is positioned over
 * Kafka by its partner, or not at all (its people still arrive through hand-overs at the reception point).
 */
record ManifestRequest(@NotNull @Pattern(regexp = EntityId.PATTERN, message = "must be " + EntityId.RULE) String busId,
                       @NotNull @Pattern(regexp = EntityId.PATTERN, message = "must be " + EntityId.RULE) String roundId,
                       @NotEmpty @Size(max = MAX_PERSONS, message = "a bus carries at most " + MAX_PERSONS + " persons")
                       List<@NotNull @Pattern(regexp = EntityId.PATTERN, message = "must be " + EntityId.RULE) String> personIds,
                       @NotNull @Pattern(regexp = EntityId.PATTERN, message = "must be " + EntityId.RULE) String origin,
                       @NotNull @Pattern(regexp = EntityId.PATTERN, message = "must be " + EntityId.RULE) String receptionPoint,
                       @Pattern(regexp = EntityId.PATTERN, message = "must be " + EntityId.RULE)
                       @Pattern(regexp = PARTNER, message = "must name a partner principal: no dot, not ending in -dlt")
                       String trackedBy,
                       @Pattern(regexp = EntityId.PATTERN, message = "must be " + EntityId.RULE) String trackerClient) {

    /** What a partner's name may be beyond the entity-id rule: the catalogue's rule ({@code Topics.isPartnerName}). */
    static final String PARTNER = "(?!.*-dlt$)[A-Za-z0-9_-]+";

    /** A coach seats about 50; the margin covers ambulances and double-deckers, not a list passed off as a bus. */
    static final int MAX_PERSONS = 200;
}
