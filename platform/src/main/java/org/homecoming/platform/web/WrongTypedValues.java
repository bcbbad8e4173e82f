package org.homecoming.platform.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.deser.DeserializationProblemHandler;

/**
 * Notes a value of the wrong type, or an unknown field, in {@link BodyValueProblems} while a request body is read, and
 * lets Jackson read on with an empty value in its place; the request is refused once the whole body is read. Outside a
 * body read it handles nothing, and Jackson fails as usual. The reason names what was expected, never the value: a
 * value in the wrong field may be a name or an address.
 */
final class WrongTypedValues extends DeserializationProblemHandler {

    private static final Map<Class<?>, Object> PRIMITIVE_DEFAULTS = Map.of(int.class, 0, long.class, 0L, double.class, 0.0,
            float.class, 0.0f, boolean.class, false, short.class, (short) 0, byte.class, (byte) 0, char.class, '\0');

    @Override
    public boolean handleUnknownProperty(DeserializationContext context, JsonParser parser, ValueDeserializer<?> deserializer,
                                         Object beanOrClass, String propertyName) {
        if (!BodyValueProblems.gathering()) {
            return false;
        }
        BodyValueProblems.note(Violation.of(path(parser), "is not a field of this request"));
        parser.skipChildren();
        return true;
    }

    @Override
    public Object handleWeirdStringValue(DeserializationContext context, Class<?> targetType, String value, String failure) {
        return noted(context.getParser(), targetType, "text");
    }

    @Override
    public Object handleWeirdNumberValue(DeserializationContext context, Class<?> targetType, Number value, String failure) {
        return noted(context.getParser(), targetType, "number");
    }

    @Override
    public Object handleUnexpectedToken(DeserializationContext context, JavaType targetType, JsonToken token, JsonParser parser,
                                        String failure) {
        if (!BodyValueProblems.gathering() || token == null || token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
            return NOT_HANDLED;
        }
        Object placeholder = noted(parser, targetType.getRawClass(), shape(token));
        // the whole unexpected value (an object where text was expected) is passed over, so reading goes on after it
        parser.skipChildren();
        return placeholder;
    }

    private static Object noted(JsonParser parser, Class<?> targetType, String found) {
        if (!BodyValueProblems.gathering()) {
            return NOT_HANDLED;
        }
        BodyValueProblems.note(Violation.of(path(parser), "must be " + expected(targetType) + "; the " + found + " sent cannot be read as one"));
        return targetType.isPrimitive() ? PRIMITIVE_DEFAULTS.get(targetType) : null;
    }

    /** What a caller should send, in words. */
    static String expected(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + String.join(", ", Arrays.stream(type.getEnumConstants()).map(Object::toString).toList());
        }
        String name = type.getName();
        return switch (name) {
            case "java.time.LocalDate" -> "a date, yyyy-MM-dd";
            case "java.time.Instant", "java.time.OffsetDateTime", "java.time.ZonedDateTime" ->
                    "a time in ISO-8601 with its offset, such as 2026-12-05T10:15:30Z";
            case "java.time.LocalDateTime" -> "a date and time, yyyy-MM-ddTHH:mm:ss";
            case "java.time.Duration" -> "a duration in ISO-8601, such as PT15M";
            case "int", "java.lang.Integer", "long", "java.lang.Long", "short", "java.lang.Short", "byte", "java.lang.Byte",
                 "java.math.BigInteger" -> "a whole number";
            case "double", "java.lang.Double", "float", "java.lang.Float", "java.math.BigDecimal" -> "a number";
            case "boolean", "java.lang.Boolean" -> "true or false";
            case "java.lang.String" -> "text";
            default -> type.isArray() || List.class.isAssignableFrom(type) ? "a list" : "an object of this request's shape";
        };
    }

    private static String shape(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "object";
            case START_ARRAY -> "list";
            case VALUE_STRING -> "text";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "true or false";
            case VALUE_NULL -> "null";
            default -> "value";
        };
    }

    /** Where the parser is, as the platform names fields: {@code entries[3].birthDate}, {@code [0].recordedAt}. */
    static String path(JsonParser parser) {
        List<String> segments = new ArrayList<>();
        for (TokenStreamContext context = parser.streamReadContext(); context != null && !context.inRoot(); context = context.getParent()) {
            if (context.inArray()) {
                segments.add("[" + Math.max(context.getCurrentIndex(), 0) + "]");
            } else if (context.inObject() && context.currentName() != null) {
                segments.add("." + context.currentName());
            }
        }
        StringBuilder path = new StringBuilder();
        for (int i = segments.size() - 1; i >= 0; i--) {
            path.append(segments.get(i));
        }
        String joined = path.toString();
        return joined.startsWith(".") ? joined.substring(1) : joined.isEmpty() ? "body" : joined;
    }
}
