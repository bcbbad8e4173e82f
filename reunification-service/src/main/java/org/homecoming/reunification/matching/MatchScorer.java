package org.homecoming.reunification.matching;

import java.nio.file.Path;
import java.util.Arrays;

import org.homecoming.reunification.matching.MatchWeights.BirthDateLevel;
import org.homecoming.reunification.matching.MatchWeights.CategoryLevel;
import org.homecoming.reunification.matching.MatchWeights.GivenNameLevel;
import org.homecoming.reunification.matching.MatchWeights.PatronymicLevel;
import org.homecoming.reunification.matching.MatchWeights.SurnameLevel;
import org.homecoming.reunification.matching.PreparedPerson.PreparedName;

/**
 * Scores a sought person against a listed one in the Fellegi–Sunter manner: each field comparison reaches
 * an agreement level, each level adds log2(m/u) to the prior log-odds (see {@link MatchWeights} and
 * MATCHING.md), and thresholds plus identity gates give the {@link Outcome}.
 *
 * <p>Names are compared in every plausible reading (Ukrainian and Russian for ambiguous Cyrillic), across
 * all written forms on both sides and in both name orders; the best-agreeing combination counts.
 * Thread-safe; the transliteration work for a spelling is done once and shared.
 */
public final class MatchScorer {

    private static final double CLOSE_SURNAME_JW = 0.92;
    private static final double TYPO_SURNAME_JW = 0.85;
    private static final double CLOSE_GIVEN_JW = 0.90;
    private static final double CLOSE_PATRONYMIC_JW = 0.90;

    private static final double MAX_SURNAME = Arrays.stream(SurnameLevel.values()).mapToDouble(l -> l.weight).max().orElseThrow();
    private static final double MAX_GIVEN = Arrays.stream(GivenNameLevel.values()).mapToDouble(l -> l.weight).max().orElseThrow();
    private static final double MAX_PATRONYMIC = Arrays.stream(PatronymicLevel.values()).mapToDouble(l -> l.weight).max().orElseThrow();

    private final NameVocabulary vocabulary;

    /** A scorer with the shipped given-name equivalences. */
    public MatchScorer() {
        this(GivenNames.standard());
    }

    MatchScorer(GivenNames givenNames) {
        this.vocabulary = new NameVocabulary(givenNames);
    }

    /** A scorer with the shipped given-name equivalences plus those in an ops-maintained file. */
    public MatchScorer(Path extraGivenNames) {
        this(GivenNames.withExtraFile(extraGivenNames));
    }

    public static MatchScorer standard() {
        return new MatchScorer();
    }

    public Assessment assess(PersonDescription sought, PersonDescription listed) {
        return compare(prepare(sought), prepare(listed)).toAssessment();
    }

    PreparedPerson prepare(PersonDescription person) {
        return PreparedPerson.of(person, vocabulary);
    }

    Comparison compare(PreparedPerson sought, PreparedPerson listed) {
        return compare(sought, listed, Double.NEGATIVE_INFINITY, new ComparisonMemo());
    }

    /**
     * The comparison of a pair, or null when it cannot reach {@code floor}. The index asks only for pairs
     * that reach review, so a candidate whose surname already rules that out is dropped before its given
     * name and patronymic are compared; the best-agreeing combination is the same as without the floor.
     */
    Comparison compare(PreparedPerson sought, PreparedPerson listed, double floor, ComparisonMemo memo) {
        BirthDateLevel birthDate = birthDateLevel(sought, listed);
        CategoryLevel category = categoryLevel(sought, listed);
        double needed = floor - (MatchWeights.PRIOR_LOG2_ODDS + birthDate.weight + category.weight);
        if (MAX_SURNAME + MAX_GIVEN + MAX_PATRONYMIC < needed) {
            return null;
        }
        SurnameLevel bestSurname = SurnameLevel.MISSING;
        GivenNameLevel bestGiven = GivenNameLevel.MISSING;
        PatronymicLevel bestPatronymic = PatronymicLevel.MISSING;
        boolean bestSwapped = false;
        double bestWeight = Double.NEGATIVE_INFINITY;
        for (PreparedName a : sought.names) {
            for (PreparedName b : listed.names) {
                PatronymicLevel patronymic = null;
                SurnameLevel surname = memo.surname(a.surname(), b.surname());
                if (surname.weight + MAX_GIVEN + MAX_PATRONYMIC >= needed) {
                    patronymic = memo.patronymic(a.patronymic(), b.patronymic());
                    GivenNameLevel given = memo.givenName(a.givenName(), b.givenName());
                    double weight = surname.weight + given.weight + patronymic.weight;
                    if (weight > bestWeight) {
                        bestWeight = weight;
                        bestSurname = surname;
                        bestGiven = given;
                        bestPatronymic = patronymic;
                        bestSwapped = false;
                    }
                }
                if (b.surname() != null && b.givenName() != null && a.givenName() != null) {
                    SurnameLevel swappedSurname = memo.surname(a.surname(), b.givenName());
                    if (swappedSurname.weight + MAX_GIVEN + MAX_PATRONYMIC >= needed) {
                        if (patronymic == null) {
                            patronymic = memo.patronymic(a.patronymic(), b.patronymic());
                        }
                        GivenNameLevel swappedGiven = memo.givenName(a.givenName(), b.surname());
                        double swappedWeight = swappedSurname.weight + swappedGiven.weight + patronymic.weight;
                        if (swappedWeight > bestWeight) {
                            bestWeight = swappedWeight;
                            bestSurname = swappedSurname;
                            bestGiven = swappedGiven;
                            bestPatronymic = patronymic;
                            bestSwapped = true;
                        }
                    }
                }
            }
        }
        if (bestWeight < needed) {
            return null;
        }
        return new Comparison(bestSurname, bestGiven, bestPatronymic, birthDate, category, bestSwapped);
    }

    static SurnameLevel surnameLevel(NameToken a, NameToken b) {
        if (a == null || b == null) {
            return SurnameLevel.MISSING;
        }
        if (a == b || a.canonical.equals(b.canonical)) {
            return SurnameLevel.EXACT;
        }
        if (a.masculine.equals(b.masculine)) {
            return SurnameLevel.FEMININE_FORM;
        }
        if ((a.parts != null || b.parts != null) && shareHyphenPart(a, b)) {
            return SurnameLevel.HYPHEN_PART;
        }
        double similarity = JaroWinkler.similarity(a.canonical, b.canonical);
        if (similarity >= CLOSE_SURNAME_JW && EditDistance.bounded(a.canonical, b.canonical, 1) <= 1) {
            return SurnameLevel.CLOSE;
        }
        return similarity >= TYPO_SURNAME_JW ? SurnameLevel.TYPO : SurnameLevel.DISAGREE;
    }

    private static boolean shareHyphenPart(NameToken a, NameToken b) {
        String[] partsA = a.parts != null ? a.parts : new String[] {a.canonical};
        String[] partsB = b.parts != null ? b.parts : new String[] {b.canonical};
        for (String x : partsA) {
            for (String y : partsB) {
                if (x.length() > 1 && Spelling.masculineBase(x).equals(Spelling.masculineBase(y))) {
                    return true;
                }
            }
        }
        return false;
    }

    static GivenNameLevel givenNameLevel(NameToken a, NameToken b) {
        if (a == null || b == null) {
            return GivenNameLevel.MISSING;
        }
        if (a == b || a.canonical.equals(b.canonical)) {
            return GivenNameLevel.EXACT;
        }
        if (GivenNames.intersect(a.givenClasses, b.givenClasses)) {
            return GivenNameLevel.EQUIVALENT;
        }
        if (a.isInitial() || b.isInitial()) {
            return a.latin.charAt(0) == b.latin.charAt(0) ? GivenNameLevel.INITIAL : GivenNameLevel.DISAGREE;
        }
        // two names that the equivalence file knows as different are different, however alike they look
        // (Oleksandr and Oleksandra, Yevhen and Yevheniia)
        if (a.givenClasses.length > 0 && b.givenClasses.length > 0) {
            return GivenNameLevel.DISAGREE;
        }
        // the male and female forms of one name (Ярослав/Ярослава) are two people, not a typo
        if (sexForms(a.canonical, b.canonical)) {
            return GivenNameLevel.DISAGREE;
        }
        if (JaroWinkler.similarity(a.canonical, b.canonical) >= CLOSE_GIVEN_JW
                && EditDistance.bounded(a.canonical, b.canonical, 2) <= 2) {
            return GivenNameLevel.CLOSE;
        }
        return GivenNameLevel.DISAGREE;
    }

    private static boolean sexForms(String a, String b) {
        boolean feminineA = a.endsWith("a");
        boolean feminineB = b.endsWith("a");
        return feminineA != feminineB && withoutFinalVowels(a).equals(withoutFinalVowels(b));
    }

    private static String withoutFinalVowels(String name) {
        int end = name.length();
        while (end > 1 && "aeiou".indexOf(name.charAt(end - 1)) >= 0) {
            end--;
        }
        return name.substring(0, end);
    }

    static PatronymicLevel patronymicLevel(NameToken a, NameToken b) {
        if (a == null || b == null) {
            return PatronymicLevel.MISSING;
        }
        if (a == b || a.canonical.equals(b.canonical) || GivenNames.intersect(a.fatherClasses, b.fatherClasses)) {
            return PatronymicLevel.EXACT;
        }
        if (a.fatherClasses.length > 0 && b.fatherClasses.length > 0) {
            return PatronymicLevel.DISAGREE;
        }
        return JaroWinkler.similarity(a.canonical, b.canonical) >= CLOSE_PATRONYMIC_JW
                ? PatronymicLevel.CLOSE : PatronymicLevel.DISAGREE;
    }

    static BirthDateLevel birthDateLevel(PreparedPerson a, PreparedPerson b) {
        if (a.birthYear == PreparedPerson.UNKNOWN || b.birthYear == PreparedPerson.UNKNOWN) {
            return BirthDateLevel.MISSING;
        }
        if (a.birthDate == PreparedPerson.UNKNOWN || b.birthDate == PreparedPerson.UNKNOWN) {
            // a year given as an age is off by one about half the time
            return Math.abs(a.birthYear - b.birthYear) <= 1 ? BirthDateLevel.SAME_YEAR : BirthDateLevel.DISAGREE;
        }
        if (a.birthDate == b.birthDate) {
            return BirthDateLevel.EXACT;
        }
        int monthA = a.birthDate / 100 % 100;
        int dayA = a.birthDate % 100;
        int monthB = b.birthDate / 100 % 100;
        int dayB = b.birthDate % 100;
        if (a.birthYear == b.birthYear && monthA == dayB && dayA == monthB) {
            return BirthDateLevel.DAY_MONTH_SWAPPED;
        }
        if (monthA == monthB && dayA == dayB && Math.abs(a.birthYear - b.birthYear) == 1) {
            return BirthDateLevel.YEAR_OFF_BY_ONE;
        }
        return a.birthYear == b.birthYear ? BirthDateLevel.SAME_YEAR : BirthDateLevel.DISAGREE;
    }

    static CategoryLevel categoryLevel(PreparedPerson a, PreparedPerson b) {
        if (a.category == PreparedPerson.UNKNOWN || b.category == PreparedPerson.UNKNOWN) {
            return CategoryLevel.MISSING;
        }
        return a.category == b.category ? CategoryLevel.SAME : CategoryLevel.DIFFERENT;
    }
}
