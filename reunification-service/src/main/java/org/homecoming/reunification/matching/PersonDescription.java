package org.homecoming.reunification.matching;

import java.time.LocalDate;
import java.util.List;

import org.homecoming.events.common.PersonCategory;

/**
 * What is known of a person on either side of a match: a listed or arriving person, or the person that a
 * relative seeks. Every field but the names may be null.
 *
 * @param names     every written form known (native script, Latin, Russian or Ukrainian spelling)
 * @param birthDate exact date of birth, if known
 * @param birthYear year of birth when only that (or an age) is known
 */
public record PersonDescription(List<Name> names, LocalDate birthDate, Integer birthYear, PersonCategory category) {

    public PersonDescription {
        names = List.copyOf(names);
    }
}
