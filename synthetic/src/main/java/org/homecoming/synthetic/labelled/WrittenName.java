package org.homecoming.synthetic.labelled;

/** A name as one record writes it, in one script; the patronymic may be null. */
public record WrittenName(String surname, String givenName, String patronymic) {
}
