package org.homecoming.reunification.matching;

import java.util.ArrayList;
import java.util.List;

import org.homecoming.reunification.matching.MatchWeights.BirthDateLevel;
import org.homecoming.reunification.matching.MatchWeights.CategoryLevel;
import org.homecoming.reunification.matching.MatchWeights.GivenNameLevel;
import org.homecoming.reunification.matching.MatchWeights.PatronymicLevel;
import org.homecoming.reunification.matching.MatchWeights.SurnameLevel;

/** The agreement levels reached by one pair, before it is turned into an {@link Assessment}. */
record Comparison(SurnameLevel surname, GivenNameLevel givenName, PatronymicLevel patronymic,
        BirthDateLevel birthDate, CategoryLevel category, boolean swappedOrder) {

    double score() {
        return MatchWeights.PRIOR_LOG2_ODDS + surname.weight + givenName.weight + patronymic.weight
                + birthDate.weight + category.weight;
    }

    /**
     * The outcome. An auto-match needs more than a high score: a wrong alert does real harm, so it also
     * needs strong agreement on both surname and given name, no contradicting patronymic, and a birth date
     * that agrees. A missing or year-only birth date can therefore reach review at best.
     */
    Outcome outcome() {
        double score = score();
        if (score >= MatchWeights.AUTO_MATCH_THRESHOLD && strongName()
                && patronymic != PatronymicLevel.DISAGREE && birthDate.confirmsIdentity()) {
            return Outcome.AUTO_MATCH;
        }
        return score >= MatchWeights.REVIEW_THRESHOLD ? Outcome.REVIEW : Outcome.NON_MATCH;
    }

    private boolean strongName() {
        boolean surnameStrong = surname == SurnameLevel.EXACT || surname == SurnameLevel.HYPHEN_PART
                || surname == SurnameLevel.CLOSE;
        boolean givenStrong = givenName == GivenNameLevel.EXACT || givenName == GivenNameLevel.EQUIVALENT
                || givenName == GivenNameLevel.CLOSE;
        boolean twoTypos = surname == SurnameLevel.CLOSE && givenName == GivenNameLevel.CLOSE;
        return surnameStrong && givenStrong && !twoTypos;
    }

    Assessment toAssessment() {
        List<Evidence> evidence = new ArrayList<>(7);
        evidence.add(new Evidence("prior", "LAMBDA_1_IN_2000", MatchWeights.PRIOR_LOG2_ODDS));
        evidence.add(new Evidence("surname", surname.name(), surname.weight));
        evidence.add(new Evidence("givenName", givenName.name(), givenName.weight));
        evidence.add(new Evidence("patronymic", patronymic.name(), patronymic.weight));
        evidence.add(new Evidence("birthDate", birthDate.name(), birthDate.weight));
        evidence.add(new Evidence("category", category.name(), category.weight));
        if (swappedOrder) {
            evidence.add(new Evidence("nameOrder", "SWAPPED", 0.0));
        }
        return new Assessment(outcome(), score(), List.copyOf(evidence));
    }
}
