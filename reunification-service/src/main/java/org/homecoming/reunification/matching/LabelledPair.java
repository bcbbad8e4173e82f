package org.homecoming.reunification.matching;

/** One labelled pair: what a relative wrote, what a list says, whether they are one person, and how they differ. */
public record LabelledPair(PersonDescription sought, PersonDescription listed, boolean samePerson, VariationKind kind) {
}
