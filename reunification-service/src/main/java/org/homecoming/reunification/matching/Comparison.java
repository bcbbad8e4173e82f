package org.homecoming.reunification.matching;

import java.util.ArrayList;
import java.util.List;

import org.homecoming.reunification.matching.MatchWeights.BirthDateLevel;
import org.homecoming.reunification.matching.MatchWeights.CaptureDateLevel;
import org.homecoming.reunification.matching.MatchWeights.CapturePlaceLevel;
import org.homecoming.reunification.matching.MatchWeights.CategoryLevel;
import org.homecoming.reunification.matching.MatchWeights.GivenNameLevel;
import org.homecoming.reunification.matching.MatchWeights.PatronymicLevel;
import org.homecoming.reunification.matching.MatchWeights.SurnameLevel;
import org.homecoming.reunification.matching.MatchWeights.UnitLevel;

/**
 * The agreement levels reached by one pair, before it is turned into an {@link Assessment}. {@code surnameAdjustment}
 * is what the surname agreement is worth less because many listed people carry the surname ({@link ListedSurnames}):
 * 0 or negative, and 0 for the surname levels it does not apply to.
 */
record Comparison(SurnameLevel surname, GivenNameLevel givenName, PatronymicLevel patronymic,
        BirthDateLevel birthDate, CategoryLevel category, UnitLevel unit, CapturePlaceLevel capturePlace,
        CaptureDateLevel captureDate, boolean swappedOrder, double surnameAdjustment) {

    Comparison(SurnameLevel surname, GivenNameLevel givenName, PatronymicLevel patronymic, BirthDateLevel birthDate,
            CategoryLevel category, UnitLevel unit, CapturePlaceLevel capturePlace, CaptureDateLevel captureDate,
            boolean swappedOrder) {
        this(surname, givenName, patronymic, birthDate, category, unit, capturePlace, captureDate, swappedOrder, 0.0);
    }

    /** The log2 odds with the book weights (MatchWeights): what the evidence shows and what an auto-match needs. */
    double score() {
        return MatchWeights.PRIOR_LOG2_ODDS + surname.weight + givenName.weight + patronymic.weight
                + birthDate.weight + otherWeight();
    }

    /**
     * The score with the surname weighed by how common it is among the listed people: what decides whether a pair
     * that is no auto-match is worth a caseworker's time.
     */
    double reviewScore() {
        return score() + surnameAdjustment;
    }

    /** The weight of the evidence besides names and birth date: category, unit, capture place and date. */
    double otherWeight() {
        return category.weight + unit.weight + capturePlace.weight + captureDate.weight;
    }

    /**
     * The outcome. An auto-match needs more than a high score: a wrong alert does real harm, so it also
     * needs strong agreement on both surname and given name, no contradicting patronymic, and a birth date
     * that agrees. A missing or year-only birth date can therefore reach review at best.
     *
     * <p>A date one slip away (a wrong day, a digit typed wrong or swapped) agrees too, but it brings about ten bits
     * less than the exact date, so the threshold is reached only when the rest of the record makes them up: the
     * father's name, or the unit or place of capture, agreeing besides the full name. A namesake would have to share
     * those and be born within a slip of the date.
     */
    Outcome outcome() {
        double score = score();
        if (score >= MatchWeights.AUTO_MATCH_THRESHOLD && patronymic != PatronymicLevel.DISAGREE
                && (birthDate.confirmsIdentity() && (strongName() || typoBackedByFatherAndDate())
                        || birthDate.slip() && strongName())) {
            return Outcome.AUTO_MATCH;
        }
        // Whether a pair that is no auto-match goes to review rests on the names above all (a date would have made it
        // an auto-match), and agreement on a surname that many listed people carry says less than the book's average
        // surname: here it is weighed by its frequency. The auto-match keeps the book weights: it needs a confirming
        // date, and the listed namesakes it could be confused with are all scored too and send it to review when one
        // comes within the margin (CandidateRule), which is the roster's own answer to what the frequency estimates.
        double weighed = reviewScore();
        if (weighed >= MatchWeights.REVIEW_THRESHOLD) {
            return Outcome.REVIEW;
        }
        return weighed >= MatchWeights.NO_DATE_REVIEW_THRESHOLD && namesAgree()
                && (birthDate == BirthDateLevel.MISSING || birthDate.conflicts())
                ? Outcome.REVIEW : Outcome.NON_MATCH;
    }


    /**
     * Typos beyond one letter are enough for an alert only with more backing, and only with the exact birth date: a
     * surname two edits off needs the given name to agree fully; a typo in both surname and given name needs the
     * father's name as well. A different person would have to share all of it.
     */
    private boolean typoBackedByFatherAndDate() {
        if (birthDate != BirthDateLevel.EXACT) {
            return false;
        }
        boolean surnameTypo = surname == SurnameLevel.CLOSE || surname == SurnameLevel.TWO_EDITS;
        boolean givenFull = givenName == GivenNameLevel.EXACT || givenName == GivenNameLevel.EQUIVALENT;
        if (surname == SurnameLevel.TWO_EDITS && givenFull) {
            return true;
        }
        return surnameTypo && givenName == GivenNameLevel.CLOSE && patronymic == PatronymicLevel.EXACT;
    }

    /** Both surname and given name agree at some level, and no patronymic says another father. */
    private boolean namesAgree() {
        boolean surnameAgrees = surname != SurnameLevel.DISAGREE && surname != SurnameLevel.MISSING;
        boolean givenAgrees = givenName == GivenNameLevel.EXACT || givenName == GivenNameLevel.EQUIVALENT
                || givenName == GivenNameLevel.CLOSE || givenName == GivenNameLevel.INITIAL;
        return surnameAgrees && givenAgrees && patronymic != PatronymicLevel.DISAGREE;
    }

    /** The lowest score at which a pair with these birth-date and name levels can still reach review. */
    static double reviewFloor(BirthDateLevel birthDate) {
        return birthDate == BirthDateLevel.MISSING || birthDate.conflicts()
                ? MatchWeights.NO_DATE_REVIEW_THRESHOLD : MatchWeights.REVIEW_THRESHOLD;
    }

    private boolean strongName() {
        boolean surnameStrong = surname == SurnameLevel.EXACT || surname == SurnameLevel.SEX_FORM
                || surname == SurnameLevel.HYPHEN_PART || surname == SurnameLevel.TRANSLATED
                || surname == SurnameLevel.CLOSE;
        boolean givenStrong = givenName == GivenNameLevel.EXACT || givenName == GivenNameLevel.EQUIVALENT
                || givenName == GivenNameLevel.CLOSE;
        boolean twoTypos = surname == SurnameLevel.CLOSE && givenName == GivenNameLevel.CLOSE;
        return surnameStrong && givenStrong && !twoTypos;
    }

    Assessment toAssessment() {
        List<Evidence> evidence = new ArrayList<>(10);
        evidence.add(new Evidence("prior", "LAMBDA_1_IN_2000", MatchWeights.PRIOR_LOG2_ODDS));
        evidence.add(new Evidence("surname", surname.name(), surname.weight));
        evidence.add(new Evidence("givenName", givenName.name(), givenName.weight));
        evidence.add(new Evidence("patronymic", patronymic.name(), patronymic.weight));
        evidence.add(new Evidence("birthDate", birthDate.name(), birthDate.weight));
        evidence.add(new Evidence("category", category.name(), category.weight));
        if (unit != UnitLevel.MISSING) {
            evidence.add(new Evidence("unit", unit.name(), unit.weight));
        }
        if (capturePlace != CapturePlaceLevel.MISSING) {
            evidence.add(new Evidence("capturePlace", capturePlace.name(), capturePlace.weight));
        }
        if (captureDate != CaptureDateLevel.MISSING) {
            evidence.add(new Evidence("captureDate", captureDate.name(), captureDate.weight));
        }
        if (swappedOrder) {
            evidence.add(new Evidence("nameOrder", "SWAPPED", 0.0));
        }
        return new Assessment(outcome(), score(), List.copyOf(evidence));
    }
}
