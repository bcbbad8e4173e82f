package org.homecoming.benchmarks.matching;

import org.homecoming.reunification.matching.Name;
import org.homecoming.reunification.matching.PersonDescription;
import org.homecoming.synthetic.labelled.WrittenPerson;

/** A synthetic person, as written, in the matcher's public terms. */
final class WrittenDescriptions {

    private WrittenDescriptions() {
    }

    static PersonDescription of(WrittenPerson written) {
        return new PersonDescription(written.names().stream()
                .map(name -> new Name(name.surname(), name.givenName(), name.patronymic())).toList(),
                written.fullName(), written.sex(), written.birthDate(), written.birthYear(), written.category(),
                written.unit(), written.capturePlace(), written.captureDate());
    }
}
