package org.homecoming.reunification.matching;

/** A person's name as written in one script; patronymic may be null. */
public record Name(String surname, String givenName, String patronymic) {
}
