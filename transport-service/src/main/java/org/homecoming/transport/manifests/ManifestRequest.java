package org.homecoming.transport.manifests;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;

/** Which listed persons ride a bus in a round, from where to where. */
record ManifestRequest(@NotBlank String busId, @NotBlank String roundId, @NotEmpty List<@NotBlank String> personIds,
                       @NotBlank String origin, @NotBlank String receptionPoint) {
}
