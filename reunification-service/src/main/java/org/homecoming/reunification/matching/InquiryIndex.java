package org.homecoming.reunification.matching;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The open inquiries, indexed so that a listed or arriving person is scored only against plausible ones.
 *
 * <p>WALKING SKELETON: scores every inquiry. The real index blocks on phonetic keys.
 */
public final class InquiryIndex {

    private final MatchScorer scorer;
    private final Map<String, PersonDescription> inquiries = new ConcurrentHashMap<>();

    public InquiryIndex(MatchScorer scorer) {
        this.scorer = scorer;
    }

    public void put(String inquiryId, PersonDescription sought) {
        inquiries.put(inquiryId, sought);
    }

    public void remove(String inquiryId) {
        inquiries.remove(inquiryId);
    }

    public int size() {
        return inquiries.size();
    }

    /** The inquiries whose assessment against this person is AUTO_MATCH or REVIEW, best first. */
    public List<Candidate> candidatesFor(PersonDescription listed) {
        List<Candidate> candidates = new ArrayList<>();
        inquiries.forEach((inquiryId, sought) -> {
            Assessment assessment = scorer.assess(sought, listed);
            if (assessment.outcome() != Outcome.NON_MATCH) {
                candidates.add(new Candidate(inquiryId, assessment));
            }
        });
        candidates.sort((a, b) -> Double.compare(b.assessment().score(), a.assessment().score()));
        return candidates;
    }
}
