package org.homecoming.localstack;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks, after a restart on existing data, that the services serve what the topics hold: roster every round,
 * transport every bus with its trip state (kept in Kafka Streams stores, rebuilt from their changelogs).
 */
final class RebuiltState {

    private RebuiltState() {
    }

    /** The differences between what the topics hold and what the services answer; empty when they agree. */
    static List<String> check(DataFound found, List<String> modules, DemoAccounts accounts) throws InterruptedException {
        List<String> mismatches = new ArrayList<>();
        if (modules.contains("roster-service")) {
            int rounds = answer(new Api("http://127.0.0.1:8081", accounts.accessToken(DemoAccounts.LIST_OFFICER)), "/api/v1/rounds").size();
            System.out.printf("  roster-service serves %d rounds%n", rounds);
            if (rounds != found.rounds()) {
                mismatches.add("roster serves " + rounds + " rounds, the topic holds " + found.rounds());
            }
        }
        if (modules.contains("transport-service")) {
            JsonNode buses = answer(new Api("http://127.0.0.1:8082", accounts.accessToken(DemoAccounts.TRANSPORT_OFFICER)), "/api/v1/buses");
            int arrived = 0;
            for (JsonNode bus : buses) {
                arrived += bus.path("arrivedAt").isNull() || bus.path("arrivedAt").isMissingNode() ? 0 : 1;
            }
            System.out.printf("  transport-service serves %d buses, %d of them arrived%n", buses.size(), arrived);
            if (buses.size() != found.buses()) {
                mismatches.add("transport serves " + buses.size() + " buses, the topic holds " + found.buses());
            }
        }
        return mismatches;
    }

    /** A service answers 503 while its stream processor takes its partitions back; that passes within a minute. */
    private static JsonNode answer(Api api, String path) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            try {
                return api.get(path);
            } catch (IllegalStateException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(500);
            }
        }
    }
}
