package org.homecoming.synthetic.labelled;

import java.time.LocalDate;
import java.util.List;

import org.homecoming.events.common.PersonCategory;
import org.homecoming.events.common.Sex;

/**
 * A person as a relative's inquiry or a list describes them. Everything but the names may be null; a hotline may
 * give the whole name as one string ({@code fullName}) instead of, or beside, the split names.
 */
public record WrittenPerson(List<WrittenName> names, String fullName, Sex sex, LocalDate birthDate, Integer birthYear,
        PersonCategory category, String unit, String capturePlace, LocalDate captureDate) {

    public WrittenPerson {
        names = List.copyOf(names);
    }

    /** Names split into parts, birth details and category only. */
    public WrittenPerson(List<WrittenName> names, LocalDate birthDate, Integer birthYear, PersonCategory category) {
        this(names, null, null, birthDate, birthYear, category, null, null, null);
    }
}
