package org.homecoming.reunification.matching;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.homecoming.reunification.matching.MatchWeights.SurnameLevel;

/**
 * How common each surname is among the listed people the service knows: the term frequencies of Fellegi–Sunter
 * (Splink's term-frequency adjustment). Agreement on a surname that one listed person in fifty carries is weaker
 * evidence than agreement on one of the book's average frequency: its u is its share of the listed people.
 *
 * <p>A surname is counted by its masculine base (Іванов and Іванова are one surname), once per listed person. The
 * share is smoothed towards the book value {@link SurnameLevel#EXACT}'s u with {@link #PRIOR_PEOPLE} pseudo-people, the
 * size of a stage's lists that the prior assumes: a roster of a few dozen says little, two thousand as much as the
 * book. The book value is also the floor: a roster of some thousand people can show that a surname is common, but
 * not tell a rare surname from a very rare one, so agreement is never counted stronger than the book says. Without
 * any listed person counted every adjustment is 0, and the scorer scores as before.
 *
 * <p>Thread-safe: counts are updated while other threads score.
 */
final class ListedSurnames {

    /** Pseudo-people at the book frequency: the roster's evidence weighs as much as the book at this size. */
    static final int PRIOR_PEOPLE = 2000;

    private static final double BOOK_SHARE = SurnameLevel.EXACT.u;

    private final ConcurrentHashMap<String, AtomicInteger> carriers = new ConcurrentHashMap<>();
    private final AtomicInteger people = new AtomicInteger();

    void add(PreparedPerson person) {
        people.incrementAndGet();
        for (String base : bases(person)) {
            carriers.computeIfAbsent(base, b -> new AtomicInteger()).incrementAndGet();
        }
    }

    void remove(PreparedPerson person) {
        people.decrementAndGet();
        for (String base : bases(person)) {
            AtomicInteger count = carriers.get(base);
            if (count != null) {
                count.decrementAndGet();
            }
        }
    }

    void clear() {
        carriers.clear();
        people.set(0);
    }

    /**
     * The share of the other listed people carrying this surname (masculine base), smoothed, never below the book
     * value. The listed person scored is counted (the service counts a listing before it scores it), and a person is
     * no chance agreement with itself, so one carrier is left out: a surname only this person carries is not common.
     */
    double share(NameToken surname) {
        AtomicInteger count = carriers.get(surname.masculine);
        int others = count == null ? 0 : Math.max(0, count.get() - 1);
        double smoothed = (others + PRIOR_PEOPLE * BOOK_SHARE) / (Math.max(0, people.get() - 1) + PRIOR_PEOPLE);
        return Math.max(BOOK_SHARE, smoothed);
    }

    /**
     * Bits to add to the weight of a surname agreement on this listed surname's base (EXACT, SEX_FORM,
     * FEMININE_FORM): log2(book u / the surname's u), 0 for a surname no more common than the book's average, negative
     * for a common one. A chance agreement on the base is as much more likely as the base is more common, for the
     * masculine/feminine levels as for EXACT.
     */
    double adjustment(NameToken surname) {
        if (surname == null || people.get() <= 0) {
            return 0.0;
        }
        return MatchWeights.log2(BOOK_SHARE / share(surname));
    }

    /** Whether a level's weight depends on how common the shared surname base is. */
    static boolean adjusted(SurnameLevel level) {
        return level == SurnameLevel.EXACT || level == SurnameLevel.SEX_FORM || level == SurnameLevel.FEMININE_FORM;
    }

    private static Set<String> bases(PreparedPerson person) {
        Set<String> bases = new HashSet<>(4);
        for (int i = 0; i < person.readings(); i++) {
            PreparedName name = person.reading(i);
            if (name.surname() != null) {
                bases.add(name.surname().masculine);
            }
        }
        return bases;
    }
}
