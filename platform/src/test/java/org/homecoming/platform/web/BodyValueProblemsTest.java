package org.homecoming.platform.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/** The problems of one JSON body, gathered while it is read: all counted, only as many held as an answer lists. */
class BodyValueProblemsTest {

    @AfterEach
    void reset() {
        BodyValueProblems.reset();
    }

    @Test
    void shouldHoldOnlyTheProblemsAnAnswerListsAndCountTheRest() {
        // given: a body whose reading found 200,000 unknown keys (a few bytes each within the body limit)
        BodyValueProblems.start();
        for (int i = 0; i < 200_000; i++) {
            BodyValueProblems.note(Violation.of("entries[0].a", "is not a field of this request"));
        }

        // when its reading ends
        InvalidRequestException refused = catchThrowableOfType(InvalidRequestException.class, BodyValueProblems::finish);

        // then: the first 100 are held, every one is counted, and the answer says how many it does not list
        assertThat(refused.violations()).hasSize(ProblemResponses.MAX_LISTED);
        assertThat(refused.count()).isEqualTo(200_000);
        ResponseEntity<Object> answer = ProblemResponses.badRequest(refused.getMessage(), refused.violations(), refused.count());
        ProblemDetail problem = (ProblemDetail) answer.getBody();
        assertThat(problem.getProperties()).containsEntry("errorsNotListed", 200_000 - ProblemResponses.MAX_LISTED);
        assertThat(problem.getDetail()).contains("200000 value(s)");
    }
}
