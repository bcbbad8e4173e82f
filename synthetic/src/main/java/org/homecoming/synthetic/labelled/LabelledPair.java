package org.homecoming.synthetic.labelled;

/** One labelled pair: what a relative wrote, what a list says, whether they are one person, and how they differ. */
public record LabelledPair(WrittenPerson sought, WrittenPerson listed, boolean samePerson, VariationKind kind) {
}
