package org.homecoming.reunification.matching;

/** An inquiry that may be about a given person, with the assessment of that pair. */
public record Candidate(String inquiryId, Assessment assessment) {
}
