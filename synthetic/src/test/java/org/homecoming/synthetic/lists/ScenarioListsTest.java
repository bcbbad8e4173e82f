package org.homecoming.synthetic.lists;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The committed scenario lists are what the generator writes (roster-service checks them against its rules). */
class ScenarioListsTest {

    static final List<String> FILES = List.of("stage-1-released-by-ru.csv", "stage-1-released-by-ru-amended.csv",
            "stage-1-released-by-ua.csv");

    @Test
    void shouldMatchWhatTheGeneratorWrites(@TempDir Path directory) throws Exception {
        ScenarioLists.main(new String[] {directory.toString()});

        for (String file : FILES) {
            assertThat(Files.readAllBytes(directory.resolve(file)))
                    .as(file + " is not what the generator writes: run it again and commit the result")
                    .isEqualTo(resource(file));
        }
    }

    @Test
    void shouldWriteTheStageTenTimesOverWithTheCommittedListsAsItsFirstBlock(@TempDir Path directory) throws Exception {
        // given the committed rounds
        String rounds = new String(resource("rounds.json"), java.nio.charset.StandardCharsets.UTF_8);

        // when the stage is written at three times its size
        ScenarioLists.writeScaled(directory, 3, rounds);

        // then every list holds three blocks of distinct persons, the first being the committed list
        for (String file : FILES) {
            List<String> rows = Files.readAllLines(directory.resolve(file));
            List<String> committed = new String(resource(file), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
            assertThat(rows).hasSize(3 * (committed.size() - 1) + 1);
            assertThat(rows.subList(0, committed.size())).isEqualTo(committed);
            assertThat(rows.stream().skip(1).map(row -> row.substring(0, row.indexOf(','))).distinct()).hasSize(rows.size() - 1);
        }
        assertThat(Files.readString(directory.resolve("rounds.json"))).contains("\"plannedSoldiers\": 810")
                .contains("\"plannedCivilians\": 360").contains("\"plannedSoldiers\": 1125");
    }

    @Test
    void shouldWriteAUkrainianSurnameAsARussianListDoes() {
        assertThat(ScenarioLists.russified("Ковальський")).isEqualTo("Ковальский");
        assertThat(ScenarioLists.russified("Демків")).isEqualTo("Демкив");
        assertThat(ScenarioLists.russified("Коров’як")).isEqualTo("Коровяк");
    }

    private static byte[] resource(String file) throws IOException {
        try (InputStream in = ScenarioListsTest.class.getResourceAsStream(ScenarioLists.RESOURCES + file)) {
            assertThat(in).as("scenario/" + file + " is on the classpath").isNotNull();
            return in.readAllBytes();
        }
    }
}
