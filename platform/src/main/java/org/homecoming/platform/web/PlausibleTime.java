package org.homecoming.platform.web;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The ranges a date or a time in a request must fall in. Avro carries dates as days and timestamps as
 * milliseconds since 1970; a year such as +999999999 overflows them silently (it was read back as +466210), and a
 * time far before the epoch overflows {@code toEpochMilli}. Inside these ranges neither can happen, and absurd
 * values are refused with a reason instead.
 */
public final class PlausibleTime {

    /** Nobody alive, listed or sought was born before this. */
    public static final LocalDate EARLIEST_BIRTH = LocalDate.of(1900, 1, 1);
    /** Exchanges of this conflict began in 2014; a date before it is a typo. */
    public static final LocalDate EARLIEST_OPERATION = LocalDate.of(2014, 1, 1);
    /** How far ahead an exchange may be planned. */
    public static final int MAX_YEARS_AHEAD = 5;

    private PlausibleTime() {
    }

    /** A birth date: from 1900 up to today. */
    public static void checkBirthDate(String field, LocalDate date, LocalDate today, List<Violation> violations) {
        if (date != null && (date.isBefore(EARLIEST_BIRTH) || date.isAfter(today))) {
            violations.add(Violation.of(field, "must be between " + EARLIEST_BIRTH + " and today"));
        }
    }

    /** A planned date of the operation, such as an exchange date: from 2014 up to five years ahead. */
    public static void checkOperationDate(String field, LocalDate date, LocalDate today, List<Violation> violations) {
        LocalDate latest = today.plusYears(MAX_YEARS_AHEAD);
        if (date != null && (date.isBefore(EARLIEST_OPERATION) || date.isAfter(latest))) {
            violations.add(Violation.of(field, "must be between " + EARLIEST_OPERATION + " and " + latest));
        }
    }

    /**
     * Why a time that something observed (a GPS reading) is refused, or null: it may be at most {@code ahead} in
     * the future (clocks drift) and at most {@code behind} in the past (a tracker buffers while offline).
     */
    public static String observedTimeProblem(Instant time, Instant now, Duration behind, Duration ahead) {
        if (time.isAfter(now.plus(ahead))) {
            return "is " + time + ", more than " + amount(ahead) + " in the future";
        }
        if (time.isBefore(now.minus(behind))) {
            return "is " + time + ", more than " + behind.toDays() + " days in the past";
        }
        return null;
    }

    /** A tolerance as people write it: "60 seconds", "5 minutes". */
    private static String amount(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds % 60 == 0 && seconds >= 120 ? seconds / 60 + " minutes" : seconds + " seconds";
    }
}
