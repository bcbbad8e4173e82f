package org.homecoming.reunification.matching;

/** How one field compared: the agreement level reached and the weight (log2 of m/u) it contributed. */
public record Evidence(String field, String level, double weight) {
}
