package org.homecoming.reunification.matching;

/**
 * The Fellegi–Sunter parameters of the scorer: for each compared field, its agreement levels with
 * m = P(level | same person) and u = P(level | different people). A level contributes
 * weight = log2(m / u); the total score is {@link #PRIOR_LOG2_ODDS} plus the weights, i.e. the log2 odds
 * that the pair is one person. A level where a value is missing has weight 0: absence says nothing.
 *
 * <p>The numbers are set by judgement from what the data looks like (see reunification-service/MATCHING.md
 * for the reasoning per level) and then checked, not fitted, on the generated labelled set. When real
 * confirmed and rejected matches exist, m and u should be re-estimated from them (Splink does this by EM).
 */
final class MatchWeights {

    /**
     * log2 of the prior odds that a compared pair is one person. An inquiry is about at most one person on a
     * stage's lists (one to two thousand people), so lambda = 1/2000.
     */
    public static final double PRIOR_LOG2_ODDS = log2((1.0 / 2000) / (1 - 1.0 / 2000));

    /** At or above this score (posterior about 0.999) a pair may be an auto-match, if the gates also pass. */
    public static final double AUTO_MATCH_THRESHOLD = 10.0;

    /** At or above this score (posterior 0.5) a pair goes to a caseworker. */
    public static final double REVIEW_THRESHOLD = 0.0;

    /**
     * Review threshold of a pair with no birth date to compare (a name-only inquiry, or a list without dates), when
     * surname and given name both agree at some level. Such a pair lacks the up to 13.6 bits a date gives, and it can
     * never be auto-matched; a relative who knows only the name must still reach a caseworker with a one-typo or
     * feminine-form surname (about -1.6 bits).
     */
    public static final double NO_DATE_REVIEW_THRESHOLD = -4.0;

    private MatchWeights() {
    }

    /** How two surnames compare, after transliteration to canonical Latin spelling. */
    public enum SurnameLevel {
        /**
         * Same canonical spelling: same script, another script, or another romanisation system. Most true
         * pairs get here; u is about the sum of squared surname frequencies (the commonest are 0.2-0.4 %).
         */
        EXACT(0.86, 0.0015),
        /**
         * Masculine and feminine form of one surname where the listed form is the one the person's sex calls for
         * (a mother wrote her son as Іванова, a woman sought as Іванов): the sex (stated, or told by the given
         * name) explains the difference, so this is strong agreement, a little weaker than EXACT.
         */
        SEX_FORM(0.03, 0.0006),
        /** One side is the other's double-barrelled surname, or they share a part of one; rare by chance. */
        HYPHEN_PART(0.02, 0.0004),
        /**
         * Masculine and feminine form of one surname (Іванов/Іванова): a wife or mother may write her own form.
         * By chance it is a sister or a wife, so it is never counted as strong agreement.
         */
        FEMININE_FORM(0.02, 0.0008),
        /**
         * One surname in two languages, from the surname equivalences (Коваль written Кузнец by a Russian-writing
         * clerk). Rare among true pairs (only occupational and animal names get translated, and only on some
         * lists); by chance two people must carry a translation pair from a short list of rare-to-common surnames,
         * rarer than sharing one surname. Strong agreement, as EQUIVALENT is for given names.
         */
        TRANSLATED(0.005, 0.0002),
        /** One edit apart and Jaro–Winkler at least 0.92: a single typo, or a real surname one letter off. */
        CLOSE(0.05, 0.002),
        /** Two edits apart and Jaro–Winkler at least 0.85: two typos, or a different surname two letters off. */
        TWO_EDITS(0.03, 0.003),
        /** Jaro–Winkler at least 0.85 but more edits: a garbled entry, or merely a similar surname. */
        TYPO(0.01, 0.008),
        /** True pairs rarely disagree entirely (a garbled entry, a changed surname). */
        DISAGREE(0.02, 0.9857),
        MISSING(1, 1);

        public final double m;
        public final double u;
        public final double weight;

        SurnameLevel(double m, double u) {
            this.m = m;
            this.u = u;
            this.weight = log2(m / u);
        }
    }

    /** How two given names compare. */
    public enum GivenNameLevel {
        /** Same canonical spelling. u is about the sum of squared given-name frequencies over both sexes. */
        EXACT(0.80, 0.03),
        /**
         * Different forms of one name in the equivalence file: Олександр/Александр/Alexander/Sasha. Frequent
         * here (Russian lists, English forms); a class is broader than a spelling, so a little weaker than EXACT.
         */
        EQUIVALENT(0.12, 0.008),
        /** A typo of the name (Jaro–Winkler at least 0.90, at most two edits), unless both are known distinct names. */
        CLOSE(0.03, 0.004),
        /** One side is only an initial, and it agrees: about one initial in fifteen agrees by chance. */
        INITIAL(0.02, 0.003),
        DISAGREE(0.03, 0.955),
        MISSING(1, 1);

        public final double m;
        public final double u;
        public final double weight;

        GivenNameLevel(double m, double u) {
            this.m = m;
            this.u = u;
            this.weight = log2(m / u);
        }
    }

    /** How two patronymics compare; they agree when they derive from one father's name in any language. */
    public enum PatronymicLevel {
        /**
         * Same father's name: Олександрович/Александрович/Oleksandrivna, or the same spelling. Siblings and
         * namesakes' fathers share names as often as given names coincide, hence u.
         */
        EXACT(0.93, 0.035),
        /** Jaro–Winkler at least 0.90: a typo. */
        CLOSE(0.04, 0.006),
        /** A different father is strong evidence of a different person. */
        DISAGREE(0.03, 0.959),
        MISSING(1, 1);

        public final double m;
        public final double u;
        public final double weight;

        PatronymicLevel(double m, double u) {
            this.m = m;
            this.u = u;
            this.weight = log2(m / u);
        }
    }

    /** How two birth dates compare. */
    public enum BirthDateLevel {
        /** u is about 1 / (365 days x 40 birth years): the strongest single field. */
        EXACT(0.85, 0.00007),
        /** Day and month swapped (03.04 vs 04.03), same year: a US/European date-order mix-up. */
        DAY_MONTH_SWAPPED(0.02, 0.00005),
        /** Same day and month, year one apart: a typo or a year computed from an age. */
        YEAR_OFF_BY_ONE(0.04, 0.00014),
        /** Only a year on one side (from an age), within one year of the other: weak agreement. */
        SAME_YEAR(0.06, 0.02),
        /**
         * Two full dates in the same year whose month and day differ beyond a slip: more conflict than agreement. A
         * true pair rarely gets here (a list's date wrong in two places but not in the year); by chance one pair in
         * forty shares a birth year.
         */
        SAME_YEAR_OTHER_MONTH(0.01, 0.023),
        /** Same year and month, another day: a wrong day; by chance about 1 in 40 years x 12 months. */
        DAY_WRONG(0.03, 0.0021),
        /**
         * Two adjacent digits of YYYYMMDD swapped (1985 written 1958, 12 as 21): the commonest typing slip. Only a
         * handful of valid dates are one transposition away from a date (about 3 of ~14,600), so chance agreement is
         * rarer than for a wrong day.
         */
        DIGITS_TRANSPOSED(0.015, 0.0002),
        /**
         * One digit of YYYYMMDD typed wrong (1985 as 1975, 03 as 08): a slip too, but about 25 valid dates are one
         * such digit away from a date, and a namesake born ten years apart on the same day gets here as well. Never
         * enough for an alert.
         */
        DIGIT_SLIP(0.015, 0.0017),
        /** Real lists do carry wrong dates, so disagreement lowers the score but is no veto. */
        DISAGREE(0.03, 0.97),
        MISSING(1, 1);

        public final double m;
        public final double u;
        public final double weight;

        BirthDateLevel(double m, double u) {
            this.m = m;
            this.u = u;
            this.weight = log2(m / u);
        }

        /** Levels that count as birth-date agreement for an auto-match. */
        boolean confirmsIdentity() {
            return this == EXACT || this == DAY_MONTH_SWAPPED || this == YEAR_OFF_BY_ONE;
        }

        /**
         * A date one clerk's slip away from the other (a wrong day, two digits swapped): it confirms identity only when the rest of the record makes up the bits it lacks against EXACT (see Comparison).
         */
        boolean slip() {
            return this == DAY_WRONG || this == DIGITS_TRANSPOSED;
        }

        /** Two dates that contradict each other, beyond any slip: the safety net of review may still apply. */
        boolean conflicts() {
            return this == DISAGREE || this == SAME_YEAR_OTHER_MONTH;
        }
    }

    /** Soldier or civilian. Weak evidence: most detainees are soldiers, and lists do mislabel. */
    public enum CategoryLevel {
        SAME(0.95, 0.55),
        DIFFERENT(0.05, 0.45),
        MISSING(1, 1);

        public final double m;
        public final double u;
        public final double weight;

        CategoryLevel(double m, double u) {
            this.m = m;
            this.u = u;
            this.weight = log2(m / u);
        }
    }

    /** Military unit (only the numbers in it are compared: "72 ОМБр", "72-га бригада"). A brigade is a few thousand. */
    public enum UnitLevel {
        SAME(0.6, 0.03),
        /** Relatives often know an old unit, and lists write units differently: weak disagreement. */
        DIFFERENT(0.4, 0.97),
        MISSING(1, 1);

        public final double m;
        public final double u;
        public final double weight;

        UnitLevel(double m, double u) {
            this.m = m;
            this.u = u;
            this.weight = log2(m / u);
        }
    }

    /** Place of capture: a word of the place agrees. Many are captured at one front-line town, hence u. */
    public enum CapturePlaceLevel {
        SAME(0.5, 0.05),
        DIFFERENT(0.5, 0.95),
        MISSING(1, 1);

        public final double m;
        public final double u;
        public final double weight;

        CapturePlaceLevel(double m, double u) {
            this.m = m;
            this.u = u;
            this.weight = log2(m / u);
        }
    }

    /** Date of capture. Relatives learn it late and roughly; captures cluster around battles. */
    public enum CaptureDateLevel {
        /** Within three days. */
        CLOSE(0.5, 0.02),
        /** Within 45 days. */
        NEAR(0.3, 0.1),
        DIFFERENT(0.2, 0.88),
        MISSING(1, 1);

        public final double m;
        public final double u;
        public final double weight;

        CaptureDateLevel(double m, double u) {
            this.m = m;
            this.u = u;
            this.weight = log2(m / u);
        }
    }

    static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
