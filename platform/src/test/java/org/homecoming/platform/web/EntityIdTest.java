package org.homecoming.platform.web;

import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EntityIdTest {

    /** Letters of the rule, its edges, and what a hostile caller sends: separators, markup, Cyrillic, control characters. */
    private static final String ALPHABET = "aZ09._-/ <>\u0000\u202eЖé\t%+:";

    @Test
    void shouldAcceptExactlyWhatTheDocumentedPatternAccepts() {
        Pattern documented = Pattern.compile(EntityId.PATTERN);
        Random random = new Random(20261201);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder id = new StringBuilder();
            int length = random.nextInt(70);
            for (int j = 0; j < length; j++) {
                id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String candidate = id.toString();
            assertThat(EntityId.isValid(candidate)).as("'%s'", candidate).isEqualTo(documented.matcher(candidate).matches());
        }
    }

    @Test
    void shouldHoldTheRuleAtItsEdges() {
        assertThat(EntityId.isValid("bus-7")).isTrue();
        assertThat(EntityId.isValid("7.a_b-c")).isTrue();
        assertThat(EntityId.isValid("a".repeat(64))).isTrue();
        assertThat(EntityId.isValid("a".repeat(65))).isFalse();
        assertThat(EntityId.isValid("")).isFalse();
        assertThat(EntityId.isValid(null)).isFalse();
        assertThat(EntityId.isValid("-bus")).isFalse();
        assertThat(EntityId.isValid(".bus")).isFalse();
        assertThat(EntityId.isValid("bus/7")).isFalse();
        assertThat(EntityId.isValid("автобус")).isFalse();
        assertThat(EntityId.isValid("bus\u202e7")).isFalse();
    }
}
