package org.homecoming.reunification.inquiries;

import java.time.Clock;
import java.time.LocalDate;
import java.time.Year;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.swagger.v3.oas.annotations.media.Schema;
import org.homecoming.events.common.PersonCategory;
import org.homecoming.events.common.PersonName;
import org.homecoming.events.common.Sex;
import org.homecoming.events.reunification.Language;
import org.homecoming.events.reunification.Relative;
import org.homecoming.events.reunification.SoughtPerson;
import org.homecoming.platform.web.PlainText;
import org.homecoming.platform.web.PlausibleTime;
import org.homecoming.platform.web.Violation;

/**
 * An inquiry as a relative (or the hotline on their behalf) submits it. Every field is checked in one pass so that a
 * 400 answer lists every problem at once; dates and enums arrive as strings for the same reason.
 */
@Schema(description = "A relative's inquiry: who is sought and who asks")
public record InquiryForm(Sought sought, RelativeForm relative) {

    static final int MAX_TEXT = PlainText.MAX_LENGTH;
    /**
     * Spellings of one person (scripts, transliterations, maiden names): ten is plenty. Each name is compared with
     * every arriving person, so 1,000 names stalled the pairing listener for every relative.
     */
    static final int MAX_NAMES = 10;

    @Schema(description = "The person sought. Give names split into parts, or fullName as heard, or both; any script, "
            + "several forms allowed.")
    public record Sought(
            @Schema(description = "every form of the name the relative knows, split into parts") List<NameForm> names,
            @Schema(description = "the whole name as one string, in any script and order, with or without a comma or a "
                    + "patronymic; every plausible reading is tried. Cyrillic: \"Петренко Олександр Іванович\", "
                    + "\"Олександр Іванович Петренко\", \"Петренко, Олександр\"; Latin: \"Oleksandr Petrenko\", "
                    + "\"Sasha Petrenko\", \"PETRENKO, Aleksandr Ivanovich\"",
                    example = "Петренко Олександр Іванович") String fullName,
            @Schema(description = "the sought person's sex; it tells a wife's or daughter's surname form, the "
                    + "patronymic's gender and names such as Саша/Sasha apart", example = "MALE",
                    allowableValues = {"MALE", "FEMALE"}) String sex,
            @Schema(example = "1990-04-12") String birthDate, Integer birthYear,
            @Schema(description = "age in years, when neither birth date nor year is known") Integer age,
            @Schema(example = "SOLDIER") String category,
            @Schema(description = "military unit, as the relative knows it", example = "72 ОМБр") String unit,
            @Schema(example = "Бахмут") String capturePlace,
            @Schema(example = "2024-02-01") String captureDate) {

        /** The form before fullName and sex existed (v1 clients and tests). */
        public Sought(List<NameForm> names, String birthDate, Integer birthYear, Integer age, String category, String unit,
                      String capturePlace, String captureDate) {
            this(names, null, null, birthDate, birthYear, age, category, unit, capturePlace, captureDate);
        }
    }

    @Schema(description = "One written form of the name, e.g. {\"surname\": \"Петренко\", \"givenName\": \"Олександр\", "
            + "\"patronymic\": \"Іванович\"} or {\"surname\": \"Petrenko\", \"givenName\": \"Oleksandr\"}")
    public record NameForm(@Schema(example = "Петренко") String surname, @Schema(example = "Олександр") String givenName,
                           @Schema(example = "Іванович") String patronymic) {
    }

    @Schema(description = "Who asks. Personal data: it is kept only in reunification's own topics.")
    public record RelativeForm(String name, String relationship, @Schema(example = "uk", allowableValues = {"uk", "ru", "en"}) String language,
                               Boolean consentGiven, String email, @Schema(example = "+380501234567") String phone) {
    }

    /** Every violation of this form; empty when it is valid. */
    List<Violation> violations(Clock clock) {
        List<Violation> violations = new ArrayList<>();
        LocalDate today = LocalDate.now(clock);
        if (sought == null) {
            violations.add(Violation.of("sought", "is required"));
        } else {
            checkSought(today, violations);
        }
        if (relative == null) {
            violations.add(Violation.of("relative", "is required"));
        } else {
            checkRelative(violations);
        }
        return violations;
    }

    private void checkSought(LocalDate today, List<Violation> violations) {
        boolean hasFullName = sought.fullName() != null && !sought.fullName().isBlank();
        if (hasFullName) {
            optionalText("sought.fullName", sought.fullName(), violations);
            if (sought.fullName().codePoints().noneMatch(Character::isLetter)) {
                violations.add(Violation.of("sought.fullName", "must contain a name"));
            }
        }
        if ((sought.names() == null || sought.names().isEmpty()) && !hasFullName) {
            violations.add(Violation.of("sought.names", "give at least one name, or sought.fullName"));
        } else if (sought.names() != null && sought.names().size() > MAX_NAMES) {
            violations.add(Violation.of("sought.names", "must hold at most " + MAX_NAMES + " names"));
        } else if (sought.names() != null) {
            for (int i = 0; i < sought.names().size(); i++) {
                NameForm name = sought.names().get(i);
                String at = "sought.names[" + i + "]";
                if (name == null) {
                    violations.add(Violation.of(at, "must not be null"));
                    continue;
                }
                requireText(at + ".surname", name.surname(), violations);
                requireText(at + ".givenName", name.givenName(), violations);
                optionalText(at + ".patronymic", name.patronymic(), violations);
            }
        }
        LocalDate birthDate = date("sought.birthDate", sought.birthDate(), violations);
        PlausibleTime.checkBirthDate("sought.birthDate", birthDate, today, violations);
        if (sought.birthYear() != null && (sought.birthYear() < 1900 || sought.birthYear() > today.getYear())) {
            violations.add(Violation.of("sought.birthYear", "must be between 1900 and " + today.getYear()));
        }
        if (sought.age() != null && (sought.age() < 0 || sought.age() > 120)) {
            violations.add(Violation.of("sought.age", "must be between 0 and 120"));
        }
        if (birthDate != null && sought.birthYear() != null && birthDate.getYear() != sought.birthYear()) {
            violations.add(Violation.of("sought.birthYear", "contradicts sought.birthDate"));
        }
        if (sought.birthYear() != null && sought.age() != null) {
            violations.add(Violation.of("sought.age", "give either birthYear or age, not both"));
        }
        if (sought.sex() != null && sex(sought.sex()) == null) {
            violations.add(Violation.of("sought.sex", "must be MALE or FEMALE"));
        }
        if (sought.category() != null && category(sought.category()) == null) {
            violations.add(Violation.of("sought.category", "must be SOLDIER or CIVILIAN"));
        }
        optionalText("sought.unit", sought.unit(), violations);
        optionalText("sought.capturePlace", sought.capturePlace(), violations);
        LocalDate captureDate = date("sought.captureDate", sought.captureDate(), violations);
        if (captureDate != null && captureDate.isAfter(today)) {
            violations.add(Violation.of("sought.captureDate", "must not be in the future"));
        } else if (captureDate != null && captureDate.isBefore(PlausibleTime.EARLIEST_BIRTH)) {
            violations.add(Violation.of("sought.captureDate", "must not be before " + PlausibleTime.EARLIEST_BIRTH));
        }
    }

    private void checkRelative(List<Violation> violations) {
        requireText("relative.name", relative.name(), violations);
        requireText("relative.relationship", relative.relationship(), violations);
        if (relative.language() == null || language(relative.language()) == null) {
            violations.add(Violation.of("relative.language", "must be one of uk, ru, en"));
        }
        if (!Boolean.TRUE.equals(relative.consentGiven())) {
            violations.add(Violation.of("relative.consentGiven", "must be true: without consent no data is kept and no alert is sent"));
        }
        boolean hasEmail = relative.email() != null && !relative.email().isBlank();
        boolean hasPhone = relative.phone() != null && !relative.phone().isBlank();
        if (!hasEmail && !hasPhone) {
            violations.add(Violation.of("relative", "give an email or a phone (or both) so that alerts can reach you"));
        }
        if (hasEmail) {
            ContactAddresses.emailProblem(relative.email().trim())
                    .ifPresent(reason -> violations.add(Violation.of("relative.email", reason)));
        }
        if (hasPhone) {
            ContactAddresses.phoneProblem(relative.phone().trim())
                    .ifPresent(reason -> violations.add(Violation.of("relative.phone", reason)));
        }
    }

    /** The sought person as the event carries it; call only on a valid form. */
    SoughtPerson toSought(Clock clock) {
        List<PersonName> names = sought.names() == null ? List.of() : sought.names().stream()
                .map(name -> new PersonName(name.surname().trim(), name.givenName().trim(), blankToNull(name.patronymic())))
                .toList();
        Integer birthYear = sought.birthYear();
        if (birthYear == null && sought.age() != null) {
            // An age only says the year within one; the matcher compares years with that tolerance.
            birthYear = Year.now(clock).getValue() - sought.age();
        }
        return SoughtPerson.newBuilder()
                .setNames(names)
                .setFullName(blankToNull(sought.fullName()))
                .setSex(sought.sex() == null ? null : sex(sought.sex()))
                .setBirthDate(sought.birthDate() == null ? null : LocalDate.parse(sought.birthDate().trim()))
                .setBirthYear(birthYear)
                .setCategory(sought.category() == null ? null : category(sought.category()))
                .setUnit(blankToNull(sought.unit()))
                .setCapturePlace(blankToNull(sought.capturePlace()))
                .setCaptureDate(sought.captureDate() == null ? null : LocalDate.parse(sought.captureDate().trim()))
                .build();
    }

    /** The relative as the event carries it; call only on a valid form. */
    Relative toRelative() {
        return Relative.newBuilder()
                .setName(relative.name().trim())
                .setRelationship(relative.relationship().trim())
                .setLanguage(language(relative.language()))
                .setConsentGiven(true)
                .setEmail(blankToNull(relative.email()))
                .setPhone(blankToNull(relative.phone()))
                .build();
    }

    static Language language(String code) {
        return switch (code.trim().toLowerCase(Locale.ROOT)) {
            case "uk" -> Language.UK;
            case "ru" -> Language.RU;
            case "en" -> Language.EN;
            default -> null;
        };
    }

    private static Sex sex(String value) {
        return switch (value.trim().toUpperCase(Locale.ROOT)) {
            case "MALE", "M" -> Sex.MALE;
            case "FEMALE", "F" -> Sex.FEMALE;
            default -> null;
        };
    }

    private static PersonCategory category(String value) {
        try {
            return PersonCategory.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static LocalDate date(String field, String value, List<Violation> violations) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            violations.add(Violation.of(field, "must be a date as YYYY-MM-DD"));
            return null;
        }
    }

    private static void requireText(String field, String value, List<Violation> violations) {
        if (value == null || value.isBlank()) {
            violations.add(Violation.of(field, "is required"));
        } else {
            optionalText(field, value, violations);
        }
    }

    private static void optionalText(String field, String value, List<Violation> violations) {
        PlainText.check(field, value, MAX_TEXT, violations);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
