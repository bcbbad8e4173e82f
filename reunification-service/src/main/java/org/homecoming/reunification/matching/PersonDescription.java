package org.homecoming.reunification.matching;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.homecoming.events.common.PersonCategory;
import org.homecoming.events.common.PersonName;
import org.homecoming.events.common.Sex;
import org.homecoming.events.reunification.SoughtPerson;
import org.homecoming.events.roster.PersonListingChanged;

/**
 * What is known of a person on either side of a match: a listed or arriving person, or the person that a
 * relative seeks. Every field but the names may be null.
 *
 * @param names        every written form known, split into parts (native script, Latin, Russian or Ukrainian spelling)
 * @param fullName     the whole name as one string (a hotline's note), in any script and order; read in every
 *                     plausible way when the person is prepared
 * @param sex          the person's sex when someone said it
 * @param birthDate    exact date of birth, if known
 * @param birthYear    year of birth when only that (or an age) is known
 * @param unit         military unit as written
 * @param capturePlace place of capture as written
 * @param captureDate  date of capture
 */
public record PersonDescription(List<Name> names, String fullName, Sex sex, LocalDate birthDate, Integer birthYear,
        PersonCategory category, String unit, String capturePlace, LocalDate captureDate) {

    public PersonDescription {
        names = List.copyOf(names);
    }

    /** Names split into parts, birth details and category only. */
    public PersonDescription(List<Name> names, LocalDate birthDate, Integer birthYear, PersonCategory category) {
        this(names, null, null, birthDate, birthYear, category, null, null, null);
    }

    /** The same person with a sex stated. */
    public PersonDescription withSex(Sex stated) {
        return new PersonDescription(names, fullName, stated, birthDate, birthYear, category, unit, capturePlace, captureDate);
    }

    /** The person an inquiry seeks, as the event carries it. */
    public static PersonDescription sought(SoughtPerson sought) {
        List<Name> names = sought.getNames().stream().map(PersonDescription::name).toList();
        return new PersonDescription(names, sought.getFullName(), sought.getSex(), sought.getBirthDate(),
                sought.getBirthYear(), sought.getCategory(), sought.getUnit(), sought.getCapturePlace(),
                sought.getCaptureDate());
    }

    /** A person as a release list gives them. */
    public static PersonDescription listed(PersonListingChanged listing) {
        List<Name> names = new ArrayList<>(2);
        names.add(name(listing.getNativeName()));
        if (listing.getLatinName() != null) {
            names.add(name(listing.getLatinName()));
        }
        return new PersonDescription(names, null, null, listing.getBirthDate(), null, listing.getCategory(),
                listing.getUnit(), listing.getCapturePlace(), listing.getCaptureDate());
    }

    /** Names repeat a great deal (given names and patronymics above all), so each distinct string is held once. */
    private static Name name(PersonName name) {
        return new Name(name.getSurname().intern(), name.getGivenName().intern(),
                name.getPatronymic() == null ? null : name.getPatronymic().intern());
    }
}
