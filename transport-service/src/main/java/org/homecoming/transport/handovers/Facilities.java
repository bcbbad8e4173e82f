package org.homecoming.transport.handovers;

import java.util.Map;
import java.util.Optional;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The facilities a person may be taken to after the reception point ({@code homecoming.facilities}: id to names in
 * uk, ru and en). A hand-over or an admission names one by id; a name typed by a caller is never published.
 */
@Component
class Facilities {

    private static final Bindable<Map<String, Map<String, String>>> NAMES_BY_ID = Bindable.of(ResolvableType.forClassWithGenerics(
            Map.class, ResolvableType.forClass(String.class), ResolvableType.forClassWithGenerics(Map.class, String.class, String.class)));

    private final Map<String, Map<String, String>> namesById;

    @Autowired
    Facilities(Environment environment) {
        this(Binder.get(environment).bind("homecoming.facilities", NAMES_BY_ID).orElse(Map.of()));
    }

    Facilities(Map<String, Map<String, String>> namesById) {
        this.namesById = Map.copyOf(namesById);
    }

    /** The facility's English name, which the events carry beside its id for consumers of their first version. */
    Optional<String> englishName(String facilityId) {
        return Optional.ofNullable(facilityId).map(namesById::get).map(names -> names.get("en"));
    }

    String known() {
        return String.join(", ", namesById.keySet().stream().sorted().toList());
    }
}
