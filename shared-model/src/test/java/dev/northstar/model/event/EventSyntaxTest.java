package dev.northstar.model.event;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written rules agree with their reference definitions on generated and edge-case input. */
class EventSyntaxTest {

    private static final Pattern ID = Pattern.compile(EventValidator.ID_PATTERN_TEXT);
    private static final Pattern SLUG = Pattern.compile(EventValidator.SLUG_PATTERN_TEXT);
    private static final String ALPHABET = "azAZ09._:-/ +é\u0000\uD83D\uDE00\u212A";

    @Test
    void idsAndSlugsAgreeWithTheirPatterns() {
        Random random = new Random(7);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder s = new StringBuilder();
            int length = random.nextInt(70);
            for (int j = 0; j < length; j++) {
                // Mostly valid characters, so long valid strings are generated too.
                s.append(random.nextInt(10) < 8 ? "abz09._-".charAt(random.nextInt(8))
                        : ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String text = s.toString();
            assertThat(EventSyntax.isId(text)).as("id %s", text).isEqualTo(ID.matcher(text).matches());
            assertThat(EventSyntax.isSlug(text)).as("slug %s", text).isEqualTo(SLUG.matcher(text).matches());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-24T12:00:00Z", "2026-11-24T12:00:00.1Z", "2026-11-24T12:00:00.123456789Z",
            "2026-11-24T12:00:00.1234567890Z", "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "2100-02-29T00:00:00Z",
            "2000-02-29T23:59:59.999Z", "0000-02-29T00:00:00Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
            "1969-12-31T23:59:59.5Z", "1970-01-01T00:00:00Z", "2026-04-31T00:00:00Z", "2026-13-01T00:00:00Z",
            "2026-00-01T00:00:00Z", "2026-01-00T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:60:00Z",
            "2026-01-01T00:00:60Z", "2026-11-24T12:00Z", "2026-11-24t12:00:00z", "2026-11-24T12:00:00+01:00",
            "2026-11-24T12:00:00.Z", "2026-11-24T12:00:00,5Z", "+2026-11-24T12:00:00Z", "2026-11-24 12:00:00Z",
            "2026-1a-24T12:00:00Z", "２026-11-24T12:00:00Z", "2026-11-24T12:00:00", ""})
    void timestampsAgreeWithTheFormatter(String text) {
        assertAgrees(text);
    }

    @Test
    void generatedTimestampsAgreeWithTheFormatter() {
        Random random = new Random(11);
        for (int i = 0; i < 200_000; i++) {
            String text = String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", random.nextInt(10_000), random.nextInt(14),
                    random.nextInt(33), random.nextInt(25), random.nextInt(61), random.nextInt(61), fraction(random),
                    random.nextInt(20) == 0 ? "+00:00" : "Z");
            assertAgrees(text);
        }
    }

    private static String fraction(Random random) {
        int digits = random.nextInt(12) - 1;
        if (digits < 0) {
            return "";
        }
        StringBuilder s = new StringBuilder(".");
        for (int i = 0; i < digits; i++) {
            s.append((char) ('0' + random.nextInt(10)));
        }
        return s.toString();
    }

    private static void assertAgrees(String text) {
        Instant expected;
        try {
            expected = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            expected = null;
        }
        Instant actual;
        try {
            actual = EventSyntax.parseInstant(text);
        } catch (DateTimeParseException e) {
            actual = null;
        }
        assertThat(actual).as(text).isEqualTo(expected);
    }
}
