package org.homecoming.reunification.matching;

/**
 * One reading of one written name. Given name and patronymic may be null; surname and given name are not both.
 * A class, not a record, so that a prepared person can be its own first reading: held in the person's fields, the
 * one reading most inquiries have costs no array and no object of its own (48 bytes less per inquiry).
 */
class PreparedName {

    private final NameToken surname;
    private final NameToken givenName;
    private final NameToken patronymic;

    PreparedName(NameToken surname, NameToken givenName, NameToken patronymic) {
        this.surname = surname;
        this.givenName = givenName;
        this.patronymic = patronymic;
    }

    final NameToken surname() {
        return surname;
    }

    final NameToken givenName() {
        return givenName;
    }

    final NameToken patronymic() {
        return patronymic;
    }
}
