package org.homecoming.reunification.matching;

/**
 * One written name part (a surname, a given name or a patronymic) after transliteration, with everything
 * the scorer and the index need precomputed. Tokens are shared through {@link NameVocabulary}, so a
 * million inquiries with a few thousand distinct surnames hold a few thousand tokens, not a million.
 */
final class NameToken {

    private static final String[] PATRONYMIC_ENDINGS = {"oviC", "eviC", "ovna", "evna", "ivna", "iC"};
    private static final String[] MALE_PATRONYMIC_ENDINGS = {"oviC", "eviC"};
    private static final String[] FEMALE_PATRONYMIC_ENDINGS = {"ovna", "evna", "ivna", "iCna"};

    final String latin;
    final String canonical;
    final String phoneticKey;
    /** Canonical masculine form, for feminine-surname comparisons. */
    final String masculine;
    /** Phonetic key of {@link #masculine}: the surname blocking key. */
    final String masculineKey;
    /** Canonical parts of a hyphenated name, or null. */
    final String[] parts;
    /** Masculine phonetic keys of the parts, or null. */
    final String[] partKeys;
    /** Equivalence classes of this spelling as a given name; empty when not a listed form. */
    final int[] givenClasses;
    /** Classes used to block on this token as a given name: listed form first, phonetic key as fallback. */
    final int[] blockingClasses;
    /** Classes of the father's name, when this token is read as a patronymic. */
    final int[] fatherClasses;
    /** Classes of this surname in the surname equivalences (Коваль/Кузнец); empty when in none. */
    final int[] surnameClasses;
    /** Sex implied when this token is a given name (GivenNames.MALE/FEMALE/UNKNOWN_SEX). */
    final byte givenSex;
    /** Sex implied by a patronymic ending (-ович, -івна), or UNKNOWN_SEX when the token does not look like one. */
    final byte patronymicSex;

    NameToken(String latin, GivenNames givenNames, SurnameEquivalents surnames) {
        this.latin = latin;
        this.canonical = Spelling.canonical(latin);
        this.phoneticKey = Spelling.phoneticKey(canonical);
        this.masculine = Spelling.masculineBase(canonical);
        this.masculineKey = Spelling.phoneticKey(masculine);
        if (canonical.indexOf('-') > 0) {
            parts = canonical.split("-");
            partKeys = new String[parts.length];
            for (int i = 0; i < parts.length; i++) {
                partKeys[i] = Spelling.phoneticKey(Spelling.masculineBase(parts[i]));
            }
        } else {
            parts = null;
            partKeys = null;
        }
        this.surnameClasses = surnames.classesOf(masculine);
        this.givenClasses = givenNames.classesOf(canonical);
        this.blockingClasses = givenClasses.length > 0 ? givenClasses : givenNames.classesWithKey(phoneticKey);
        this.fatherClasses = fatherClasses(canonical, givenNames);
        this.givenSex = givenNames.sexOf(givenClasses);
        this.patronymicSex = endsWithAny(canonical, MALE_PATRONYMIC_ENDINGS) ? GivenNames.MALE
                : endsWithAny(canonical, FEMALE_PATRONYMIC_ENDINGS) ? GivenNames.FEMALE : GivenNames.UNKNOWN_SEX;
    }

    /** Whether a surname written this way is a feminine form (Іванова, Ковальська). */
    boolean feminineSurname() {
        return !masculine.equals(canonical);
    }

    private static boolean endsWithAny(String canonical, String[] endings) {
        for (String ending : endings) {
            if (canonical.length() > ending.length() + 2 && canonical.endsWith(ending)) {
                return true;
            }
        }
        return false;
    }

    boolean isInitial() {
        return latin.length() == 1;
    }

    private static int[] fatherClasses(String canonical, GivenNames givenNames) {
        for (String ending : PATRONYMIC_ENDINGS) {
            if (canonical.length() > ending.length() + 1 && canonical.endsWith(ending)) {
                String stem = canonical.substring(0, canonical.length() - ending.length());
                int[] exact = givenNames.classesOf(stem);
                return exact.length > 0 ? exact : givenNames.classesWithKey(Spelling.phoneticKey(stem));
            }
        }
        return givenNames.classesOf(canonical);
    }
}
