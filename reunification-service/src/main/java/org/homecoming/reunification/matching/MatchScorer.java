package org.homecoming.reunification.matching;

import java.nio.file.Path;
import java.util.Arrays;

import org.homecoming.reunification.matching.MatchWeights.BirthDateLevel;
import org.homecoming.reunification.matching.MatchWeights.CaptureDateLevel;
import org.homecoming.reunification.matching.MatchWeights.CapturePlaceLevel;
import org.homecoming.reunification.matching.MatchWeights.CategoryLevel;
import org.homecoming.reunification.matching.MatchWeights.GivenNameLevel;
import org.homecoming.reunification.matching.MatchWeights.PatronymicLevel;
import org.homecoming.reunification.matching.MatchWeights.SurnameLevel;
import org.homecoming.reunification.matching.MatchWeights.UnitLevel;

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
    private static final double CLOSE_GIVEN_JW_AGAINST_KNOWN = 0.80;
    private static final double CLOSE_PATRONYMIC_JW = 0.90;

    private static final double MAX_SURNAME = Arrays.stream(SurnameLevel.values()).mapToDouble(l -> l.weight).max().orElseThrow();
    private static final double MAX_GIVEN = Arrays.stream(GivenNameLevel.values()).mapToDouble(l -> l.weight).max().orElseThrow();
    private static final double MAX_PATRONYMIC = Arrays.stream(PatronymicLevel.values()).mapToDouble(l -> l.weight).max().orElseThrow();

    private final NameVocabulary vocabulary;
    private final ListedSurnames listedSurnames = new ListedSurnames();

    /** A scorer with the shipped given-name and surname equivalences. */
    public MatchScorer() {
        this(GivenNames.standard(), SurnameEquivalents.standard());
    }

    MatchScorer(GivenNames givenNames, SurnameEquivalents surnames) {
        this.vocabulary = new NameVocabulary(givenNames, surnames);
    }

    /** A scorer with the shipped equivalences plus the given names in an ops-maintained file. */
    public MatchScorer(Path extraGivenNames) {
        this(GivenNames.withExtraFile(extraGivenNames), SurnameEquivalents.standard());
    }

    /**
     * A scorer with the shipped equivalences plus those in ops-maintained files: given names (as
     * {@code given-names.csv}) and surnames (as {@code surname-equivalents.csv}); either may be null.
     */
    public MatchScorer(Path extraGivenNames, Path extraSurnames) {
        this(extraGivenNames == null ? GivenNames.standard() : GivenNames.withExtraFile(extraGivenNames),
                extraSurnames == null ? SurnameEquivalents.standard() : SurnameEquivalents.withExtraFile(extraSurnames));
    }

    public static MatchScorer standard() {
        return new MatchScorer();
    }

    /**
     * Whether a REVIEW candidate of an inquiry can stay out of the caseworker's queue because another candidate of
     * the same inquiry outweighs it, by more than {@code closeMargin} bits. An inquiry is about one person, so the
     * candidates compete: the odds of one are the odds of the others against it.
     * <ul>
     *   <li>A candidate in review by the safety net (below the review threshold: the names agree, no date confirms
     *       them) exists to catch the person whose date was lost or mistyped; a candidate more than the margin above
     *       it is the better explanation.</li>
     *   <li>When the best candidate is a clear auto-match (a confirming birth date and strong names, nothing within
     *       the margin), the inquiry's person is found at odds of 1000 to 1 or more, and any candidate more than the
     *       margin below it is at least eight times less likely: a caseworker would only be asked to reject it.</li>
     * </ul>
     * A candidate in review by its own score that competes with another REVIEW candidate stays: without a confirming
     * date a higher score may only mean that the list wrote more of the namesake's fields (the person listed without
     * a patronymic, a namesake with the sought one). Candidates within the margin always stay, so namesakes the
     * inquiry cannot tell apart all still go to review.
     */
    public static boolean outweighed(double score, double bestScore, boolean bestIsClearAutoMatch, double closeMargin) {
        return score < bestScore - closeMargin && (score < MatchWeights.REVIEW_THRESHOLD || bestIsClearAutoMatch);
    }

    /**
     * Counts a listed person's surname among the listed people, so that agreement on a surname many of them carry
     * weighs less ({@link ListedSurnames}). Call it when a person is listed, before scoring them, and
     * {@link #unlisted} with the old description when a listing is corrected.
     */
    public void listed(PersonDescription person) {
        listedSurnames.add(prepare(person));
    }

    /** Takes back a {@link #listed} description (a corrected listing). */
    public void unlisted(PersonDescription person) {
        listedSurnames.remove(prepare(person));
    }

    /** Forgets every listed person counted, before the listings are read again. */
    public void forgetListed() {
        listedSurnames.clear();
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
        return compare(sought, listed, birthDateLevel(sought, listed), floor, memo);
    }

    /** As {@link #compare(PreparedPerson, PreparedPerson, double, ComparisonMemo)}, the birth dates already compared. */
    Comparison compare(PreparedPerson sought, PreparedPerson listed, BirthDateLevel birthDate, double floor,
            ComparisonMemo memo) {
        CategoryLevel category = categoryLevel(sought, listed);
        UnitLevel unit = unitLevel(sought, listed);
        CapturePlaceLevel place = capturePlaceLevel(sought, listed);
        CaptureDateLevel captureDate = captureDateLevel(sought, listed);
        // a pair without dates reaches review lower (see Comparison.outcome), so it is dropped only below that
        floor = Math.min(floor, Comparison.reviewFloor(birthDate));
        double needed = floor - (MatchWeights.PRIOR_LOG2_ODDS + birthDate.weight + category.weight + unit.weight
                + place.weight + captureDate.weight);
        if (MAX_SURNAME + MAX_GIVEN + MAX_PATRONYMIC < needed) {
            return null;
        }
        SurnameLevel bestSurname = SurnameLevel.MISSING;
        GivenNameLevel bestGiven = GivenNameLevel.MISSING;
        PatronymicLevel bestPatronymic = PatronymicLevel.MISSING;
        boolean bestSwapped = false;
        double bestAdjustment = 0.0;
        double bestWeight = Double.NEGATIVE_INFINITY;
        int soughtReadings = sought.readings();
        int listedReadings = listed.readings();
        for (int i = 0; i < soughtReadings; i++) {
            PreparedName a = sought.reading(i);
            for (int j = 0; j < listedReadings; j++) {
                PreparedName b = listed.reading(j);
                PatronymicLevel patronymic = null;
                SurnameLevel surname = sexed(memo.surname(a.surname(), b.surname()), sought, a, b.surname(), b.givenName());
                if (surname.weight + MAX_GIVEN + MAX_PATRONYMIC >= needed) {
                    patronymic = memo.patronymic(a.patronymic(), b.patronymic());
                    GivenNameLevel given = sexed(memo.givenName(a.givenName(), b.givenName()), sought.sex, b.givenName());
                    double weight = surname.weight + given.weight + patronymic.weight;
                    if (weight > bestWeight) {
                        bestWeight = weight;
                        bestSurname = surname;
                        bestGiven = given;
                        bestPatronymic = patronymic;
                        bestSwapped = false;
                        bestAdjustment = ListedSurnames.adjusted(surname)
                                ? memo.surnameAdjustment(b.surname(), listedSurnames) : 0.0;
                    }
                }
                if (b.surname() != null && b.givenName() != null && a.givenName() != null) {
                    SurnameLevel swappedSurname = sexed(memo.surname(a.surname(), b.givenName()), sought, a,
                            b.givenName(), b.surname());
                    if (swappedSurname.weight + MAX_GIVEN + MAX_PATRONYMIC >= needed) {
                        if (patronymic == null) {
                            patronymic = memo.patronymic(a.patronymic(), b.patronymic());
                        }
                        GivenNameLevel swappedGiven = sexed(memo.givenName(a.givenName(), b.surname()), sought.sex,
                                b.surname());
                        double swappedWeight = swappedSurname.weight + swappedGiven.weight + patronymic.weight;
                        if (swappedWeight > bestWeight) {
                            bestWeight = swappedWeight;
                            bestSurname = swappedSurname;
                            bestGiven = swappedGiven;
                            bestPatronymic = patronymic;
                            bestSwapped = true;
                            bestAdjustment = ListedSurnames.adjusted(swappedSurname)
                                    ? memo.surnameAdjustment(b.givenName(), listedSurnames) : 0.0;
                        }
                    }
                }
            }
        }
        if (bestWeight < needed) {
            return null;
        }
        return new Comparison(bestSurname, bestGiven, bestPatronymic, birthDate, category, unit, place, captureDate,
                bestSwapped, bestAdjustment);
    }

    /**
     * A masculine/feminine pair of one surname becomes SEX_FORM when the listed form is the one the sought person's
     * sex calls for: the sex stated in the inquiry, else the one its given name or patronymic tells, else the listed
     * given name's. A relative who wrote a woman as Іванов, or a son as Іванова, then still agrees strongly.
     */
    private static SurnameLevel sexed(SurnameLevel level, PreparedPerson sought, PreparedName soughtName,
            NameToken listedSurname, NameToken listedGiven) {
        if (level != SurnameLevel.FEMININE_FORM) {
            return level;
        }
        byte sex = sought.sex;
        if (sex == GivenNames.UNKNOWN_SEX && soughtName.givenName() != null) {
            sex = soughtName.givenName().givenSex;
        }
        if (sex == GivenNames.UNKNOWN_SEX && listedGiven != null) {
            sex = listedGiven.givenSex;
        }
        if (sex == GivenNames.UNKNOWN_SEX) {
            return level;
        }
        return listedSurname.feminineSurname() == (sex == GivenNames.FEMALE) ? SurnameLevel.SEX_FORM : level;
    }

    /** A given name that names only people of the other sex than the one stated (Саша is both) disagrees. */
    private static GivenNameLevel sexed(GivenNameLevel level, byte soughtSex, NameToken listedGiven) {
        if (soughtSex == GivenNames.UNKNOWN_SEX || listedGiven == null
                || (level != GivenNameLevel.EQUIVALENT && level != GivenNameLevel.EXACT)) {
            return level;
        }
        return listedGiven.givenSex != GivenNames.UNKNOWN_SEX && listedGiven.givenSex != soughtSex
                ? GivenNameLevel.DISAGREE : level;
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
        if (a.surnameClasses.length > 0 && GivenNames.intersect(a.surnameClasses, b.surnameClasses)) {
            return SurnameLevel.TRANSLATED;
        }
        double similarity = JaroWinkler.similarity(a.canonical, b.canonical);
        if (similarity >= CLOSE_SURNAME_JW && EditDistance.bounded(a.canonical, b.canonical, 1) <= 1) {
            return SurnameLevel.CLOSE;
        }
        if (similarity < TYPO_SURNAME_JW) {
            return SurnameLevel.DISAGREE;
        }
        return EditDistance.bounded(a.canonical, b.canonical, 2) <= 2 ? SurnameLevel.TWO_EDITS : SurnameLevel.TYPO;
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
        // a known name against an unknown spelling: the unknown one is most likely the known one mistyped, so a
        // lower similarity will do (Ірина/Ірзна, Ігор/Ігір); two unknown spellings need more
        boolean oneKnown = a.givenClasses.length > 0 || b.givenClasses.length > 0;
        double needed = oneKnown ? CLOSE_GIVEN_JW_AGAINST_KNOWN : CLOSE_GIVEN_JW;
        if (JaroWinkler.similarity(a.canonical, b.canonical) >= needed
                && EditDistance.bounded(a.canonical, b.canonical, 2) <= 2
                && Math.min(a.canonical.length(), b.canonical.length()) >= 3) {
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
        if (a.birthYear == b.birthYear && monthA == monthB) {
            return BirthDateLevel.DAY_WRONG;
        }
        int slip = digitSlip(a.birthDate, b.birthDate);
        if (slip == TRANSPOSED) {
            return BirthDateLevel.DIGITS_TRANSPOSED;
        }
        if (slip == ONE_DIGIT) {
            return BirthDateLevel.DIGIT_SLIP;
        }
        return a.birthYear == b.birthYear ? BirthDateLevel.SAME_YEAR_OTHER_MONTH : BirthDateLevel.DISAGREE;
    }

    static final int NO_SLIP = 0;
    static final int ONE_DIGIT = 1;
    static final int TRANSPOSED = 2;

    /**
     * How two yyyymmdd dates differ: in one digit ({@link #ONE_DIGIT}), by two adjacent digits swapped
     * ({@link #TRANSPOSED}: 1985 / 1958, 12 / 21), or otherwise ({@link #NO_SLIP}). Runs for most pairs an arrival is
     * scored against, so it compares digit by digit without allocating.
     */
    static int digitSlip(int a, int b) {
        int differences = 0;
        int lastA = -1;
        int lastB = -1;
        boolean previousDiffered = false;
        boolean transposed = false;
        for (int i = 0; i < 8; i++) {
            int da = a % 10;
            int db = b % 10;
            a /= 10;
            b /= 10;
            if (da != db) {
                differences++;
                if (differences > 2) {
                    return NO_SLIP;
                }
                transposed = previousDiffered && da == lastB && db == lastA;
                previousDiffered = true;
            } else {
                previousDiffered = false;
            }
            lastA = da;
            lastB = db;
        }
        return differences == 1 ? ONE_DIGIT : differences == 2 && transposed ? TRANSPOSED : NO_SLIP;
    }

    static UnitLevel unitLevel(PreparedPerson a, PreparedPerson b) {
        if (a.unit == null || b.unit == null) {
            return UnitLevel.MISSING;
        }
        return a.unit.equals(b.unit) ? UnitLevel.SAME : UnitLevel.DIFFERENT;
    }

    static CapturePlaceLevel capturePlaceLevel(PreparedPerson a, PreparedPerson b) {
        if (a.capturePlace == null || b.capturePlace == null) {
            return CapturePlaceLevel.MISSING;
        }
        String[] wordsA = a.capturePlace.parts != null ? a.capturePlace.parts : new String[] {a.capturePlace.canonical};
        String[] wordsB = b.capturePlace.parts != null ? b.capturePlace.parts : new String[] {b.capturePlace.canonical};
        for (String x : wordsA) {
            for (String y : wordsB) {
                if (x.length() >= 4 && y.length() >= 4 && JaroWinkler.similarity(x, y) >= 0.92) {
                    return CapturePlaceLevel.SAME;
                }
            }
        }
        return CapturePlaceLevel.DIFFERENT;
    }

    static CaptureDateLevel captureDateLevel(PreparedPerson a, PreparedPerson b) {
        if (a.captureDay == PreparedPerson.NO_DAY || b.captureDay == PreparedPerson.NO_DAY) {
            return CaptureDateLevel.MISSING;
        }
        int days = Math.abs(a.captureDay - b.captureDay);
        return days <= 3 ? CaptureDateLevel.CLOSE : days <= 45 ? CaptureDateLevel.NEAR : CaptureDateLevel.DIFFERENT;
    }

    static CategoryLevel categoryLevel(PreparedPerson a, PreparedPerson b) {
        if (a.category == PreparedPerson.UNKNOWN || b.category == PreparedPerson.UNKNOWN) {
            return CategoryLevel.MISSING;
        }
        return a.category == b.category ? CategoryLevel.SAME : CategoryLevel.DIFFERENT;
    }
}
