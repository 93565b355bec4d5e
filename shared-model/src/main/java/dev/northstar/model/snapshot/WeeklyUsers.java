package dev.northstar.model.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.LocalDate;

/**
 * Distinct users of one ISO week (Monday to Sunday, UTC).
 *
 * @param week  the ISO week, {@code 2026-W48}
 * @param start its Monday
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WeeklyUsers(String week, LocalDate start, long users) {

    /** The ISO week that {@code monday} starts. */
    public static WeeklyUsers of(LocalDate monday, long users) {
        return new WeeklyUsers(isoWeek(monday), monday, users);
    }

    /** {@code 2026-W48}: the week-based year and week of {@code day}. */
    public static String isoWeek(LocalDate day) {
        return String.format(java.util.Locale.ROOT, "%d-W%02d",
                day.get(java.time.temporal.IsoFields.WEEK_BASED_YEAR),
                day.get(java.time.temporal.IsoFields.WEEK_OF_WEEK_BASED_YEAR));
    }

    /** The Monday of the ISO week holding {@code day}. */
    public static LocalDate monday(LocalDate day) {
        return day.minusDays(day.getDayOfWeek().getValue() - 1L);
    }
}
