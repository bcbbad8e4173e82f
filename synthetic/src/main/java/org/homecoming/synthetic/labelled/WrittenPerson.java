package org.homecoming.synthetic.labelled;

import java.time.LocalDate;
import java.util.List;

import org.homecoming.events.common.PersonCategory;

/** A person as a relative's inquiry or a list describes them; birth date, birth year and category may be null. */
public record WrittenPerson(List<WrittenName> names, LocalDate birthDate, Integer birthYear, PersonCategory category) {

    public WrittenPerson {
        names = List.copyOf(names);
    }
}
