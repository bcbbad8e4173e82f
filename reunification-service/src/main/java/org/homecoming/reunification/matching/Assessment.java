package org.homecoming.reunification.matching;

import java.util.List;

/** The verdict on one pair: outcome, total match weight and the evidence behind it. */
public record Assessment(Outcome outcome, double score, List<Evidence> evidence) {
}
