package org.homecoming.reunification.matching;

import org.homecoming.synthetic.labelled.WrittenPerson;

/** The workshop's synthetic persons, as written, in the matcher's terms. */
final class SyntheticDescriptions {

    private SyntheticDescriptions() {
    }

    static PersonDescription of(WrittenPerson written) {
        return new PersonDescription(written.names().stream()
                .map(name -> new Name(name.surname(), name.givenName(), name.patronymic())).toList(),
                written.fullName(), written.sex(), written.birthDate(), written.birthYear(), written.category(),
                written.unit(), written.capturePlace(), written.captureDate());
    }
}
