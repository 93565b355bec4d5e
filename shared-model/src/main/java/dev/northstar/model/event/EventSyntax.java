package dev.northstar.model.event;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.format.DateTimeFormatter;

/**
 * The lexical rules of schema v1 (identifiers, slugs, timestamps), written out by hand because
 * they run for every event every consumer reads. Each is exactly its reference definition — the
 * patterns {@link EventValidator#ID_PATTERN_TEXT} and {@link EventValidator#SLUG_PATTERN_TEXT},
 * and {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} — which the tests check against the
 * reference on generated input.
 */
public final class EventSyntax {

    private static final long SECONDS_PER_DAY = 86_400;
    private static final int[] NANO_SCALE = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

    private EventSyntax() {
    }

    /** Whether {@code s} matches {@code [A-Za-z0-9._:-]{1,64}}. */
    public static boolean isId(String s) {
        int n = s.length();
        if (n < 1 || n > 64) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!(isLowerOrDigit(c) || (c >= 'A' && c <= 'Z') || c == '.' || c == '_' || c == ':' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code s} matches {@code [a-z0-9][a-z0-9._-]{0,63}}. */
    public static boolean isSlug(String s) {
        int n = s.length();
        if (n < 1 || n > 64 || !isLowerOrDigit(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = s.charAt(i);
            if (!(isLowerOrDigit(c) || c == '.' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isLowerOrDigit(char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    /**
     * Parses an ISO-8601 date-time with offset, as {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}
     * does. The canonical UTC form that ingest writes ({@code 2026-11-24T12:00:00.123Z}, 0 to 9
     * fraction digits) is read directly; any other text goes to the formatter.
     *
     * @throws java.time.format.DateTimeParseException when the text is not such a date-time
     */
    public static Instant parseInstant(String text) {
        Instant canonical = canonicalUtc(text);
        return canonical != null ? canonical
                : OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z} with every field in range, else null (let the formatter decide). */
    private static Instant canonicalUtc(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-'
                || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || day > daysInMonth(year, month)) {
            return null;
        }
        int nanos = 0;
        if (n > 20) {
            int fraction = n - 21;
            if (s.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return null;
            }
            int value = digits(s, 20, fraction);
            if (value < 0) {
                return null;
            }
            nanos = value * NANO_SCALE[fraction];
        }
        long seconds = epochDay(year, month, day) * SECONDS_PER_DAY + hour * 3600L + minute * 60L + second;
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /** The non-negative number in {@code count} ASCII digits from {@code from}, or -1. */
    private static int digits(String s, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> Year.isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (the algorithm of {@code LocalDate.toEpochDay}). */
    private static long epochDay(long year, int month, int day) {
        long total = 365 * year;
        if (year >= 0) {
            total += (year + 3) / 4 - (year + 99) / 100 + (year + 399) / 400;
        } else {
            total -= year / -4 - year / -100 + year / -400;
        }
        total += (367 * month - 362) / 12;
        total += day - 1;
        if (month > 2) {
            total--;
            if (!Year.isLeap(year)) {
                total--;
            }
        }
        return total - 719_528;
    }
}
