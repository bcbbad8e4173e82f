package org.homecoming.synthetic.names;

/** A given name in Ukrainian and Russian Cyrillic and its usual English form. */
public record GivenName(String ukrainian, String russian, String english, boolean female) {

    /** The patronymic a child of a father of this name carries, in Ukrainian. */
    public String ukrainianPatronymic(boolean daughter) {
        return Patronymics.ukrainian(ukrainian, daughter);
    }

    /** The patronymic a child of a father of this name carries, in Russian. */
    public String russianPatronymic(boolean daughter) {
        return Patronymics.russian(russian, daughter);
    }
}
