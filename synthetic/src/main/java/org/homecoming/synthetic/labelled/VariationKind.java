package org.homecoming.synthetic.labelled;

/** The kinds of pair in the labelled set: how the listed record differs from what the relative wrote. */
public enum VariationKind {
    IDENTICAL(true),
    DIFFERENT_SCRIPT(true),
    TRANSLITERATION_SYSTEM(true),
    RUSSIAN_NAME_FORM(true),
    SWAPPED_ORDER(true),
    PATRONYMIC_ABSENT(true),
    TYPO(true),
    FEMININE_SURNAME_FORM(true),
    HYPHENATED_SURNAME(true),
    MISSING_BIRTH_DATE(true),
    BIRTH_YEAR_ONLY(true),
    DAY_MONTH_SWAPPED(true),
    YEAR_OFF_BY_ONE(true),
    CONFLICTING_BIRTH_DATE(true),
    /** A different person who shares the surname. */
    SAME_SURNAME_OTHER_PERSON(false),
    /** A different person with the same surname and given name, born on another date. */
    NAMESAKE_OTHER_BIRTH_DATE(false),
    /** A brother or sister: same surname and patronymic. */
    SIBLING(false),
    /**
     * A twin of the other sex: the same birth date and patronymic, the surname in the other gender's form
     * and the other gender's form of the given name (Олександр/Олександра Іванов/Іванова).
     */
    OPPOSITE_SEX_TWIN(false),
    UNRELATED(false);

    private final boolean samePerson;

    VariationKind(boolean samePerson) {
        this.samePerson = samePerson;
    }

    /** Whether pairs of this kind are about one person (a true match). */
    public boolean samePerson() {
        return samePerson;
    }
}
