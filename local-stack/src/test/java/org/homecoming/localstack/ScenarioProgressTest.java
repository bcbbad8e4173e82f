package org.homecoming.localstack;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ScenarioProgressTest {

    @Test
    void shouldBlameTheIdentityProvidersAbsenceOnlyForRefusalsItCanCauseByServicesThatWereUp() {
        // given the identity provider and transport away together, as in the fault-injection run
        ScenarioProgress progress = new ScenarioProgress(null);
        progress.away = () -> List.of("identity provider", "transport-service");

        // when transport answers 503 while it starts again, roster (up) answers 503 as it cannot check a token, and
        // reunification (up, just restarted) answers that its state is not there yet
        progress.serverError("POST", "/api/v1/buses/s1-bus-01/positions", 503, "Positions of s1-bus-01 refused with 503");
        progress.serverError("POST", "/api/v1/handovers", 503, "{}");
        progress.serverError("POST", "/api/v1/rounds/r1/lists?listId=l1", 503,
                "{\"type\":\"https://homecoming.example/problems/identity-provider-unavailable\"}");
        progress.serverError("GET", "/api/v1/matches", 503, "{\"detail\":\"not available on this instance yet\"}");

        // then every answer counts while each was away, but only roster's against the provider's absence
        assertThat(progress.serverErrorsWhileAway("identity provider")).isEqualTo(4);
        assertThat(progress.serverErrorsWhileAway("transport-service")).isEqualTo(4);
        assertThat(progress.refusalsForAnAbsence("identity provider")).isEqualTo(1);
        assertThat(progress.serverErrorsOfServicesUp()).hasSize(2)
                .anySatisfy(answer -> assertThat(answer).startsWith("GET /api/v1/matches answered 503"));
    }

    @Test
    void shouldKnowWhichServiceAnswersEachOfTheScenariosPaths() {
        assertThat(ScenarioProgress.answeredBy("/api/v1/rounds/r1/lists")).isEqualTo("roster-service");
        assertThat(ScenarioProgress.answeredBy("/api/v1/buses")).isEqualTo("transport-service");
        assertThat(ScenarioProgress.answeredBy("/api/v1/admissions")).isEqualTo("transport-service");
        assertThat(ScenarioProgress.answeredBy("/api/v1/inquiries")).isEqualTo("reunification-service");
        assertThat(ScenarioProgress.answeredBy("/api/v1/matches/m1/confirm")).isEqualTo("reunification-service");
    }
}
