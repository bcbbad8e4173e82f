package org.homecoming.transport.manifests;

import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.homecoming.platform.web.EntityId;

/** Which listed persons ride a bus in a round, from where to where. Every id follows the one entity-id rule. */
record ManifestRequest(@NotNull @Pattern(regexp = EntityId.PATTERN, message = "must be " + EntityId.RULE) String busId,
                       @NotNull @Pattern(regexp = EntityId.PATTERN, message = "must be " + EntityId.RULE) String roundId,
                       @NotEmpty @Size(max = MAX_PERSONS, message = "a bus carries at most " + MAX_PERSONS + " persons")
                       List<@NotNull @Pattern(regexp = EntityId.PATTERN, message = "must be " + EntityId.RULE) String> personIds,
                       @NotNull @Pattern(regexp = EntityId.PATTERN, message = "must be " + EntityId.RULE) String origin,
                       @NotNull @Pattern(regexp = EntityId.PATTERN, message = "must be " + EntityId.RULE) String receptionPoint) {

    /** A coach seats about 50; the margin covers ambulances and double-deckers, not a list passed off as a bus. */
    static final int MAX_PERSONS = 200;
}
