package dev.northstar.model.event;

import dev.northstar.model.fixtures.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every published example of a schema v1 event, parsed forever: valid ones stay valid, invalid
 * ones keep being refused with exactly the error a producer sees. Loosening or tightening a rule
 * makes this fail.
 */
class GoldenEventFixturesTest {

    static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private static final EventValidator VALIDATOR = new EventValidator(Clock.fixed(NOW, ZoneOffset.UTC));
    private static final EventValidator.Context CONTEXT = new EventValidator.Context("acme", NOW, Optional.empty());

    static List<Fixtures.InvalidEvent> invalidEvents() {
        return Fixtures.invalidEvents();
    }

    @Test
    void everyValidFixtureIsAccepted() {
        Map<String, byte[]> valid = Fixtures.files("events/v1/valid");
        assertThat(valid).hasSizeGreaterThanOrEqualTo(10);
        valid.forEach((name, bytes) -> assertThat(VALIDATOR.validateJson(bytes, "", CONTEXT))
                .as(name).isInstanceOf(EventValidator.Valid.class));
    }

    @Test
    void thereAreAtLeastThirtyInvalidExamples() {
        assertThat(invalidEvents()).hasSizeGreaterThanOrEqualTo(30);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidEvents")
    void everyInvalidFixtureIsRefusedWithItsExactError(Fixtures.InvalidEvent fixture) {
        var outcome = VALIDATOR.validateJson(fixture.bytes(), "", CONTEXT);

        assertThat(outcome).isInstanceOf(EventValidator.Invalid.class);
        assertThat(((EventValidator.Invalid) outcome).error()).isEqualTo(fixture.error());
    }

    @Test
    void aFarFutureTimeIsCorrectedNotRefused() {
        var outcome = VALIDATOR.validateJson(Fixtures.files("events/v1/valid").get("far-future-corrected.json"), "",
                CONTEXT);

        ProductEvent event = ((EventValidator.Valid) outcome).event();
        assertThat(event.clockCorrected()).isTrue();
        assertThat(event.occurredAt()).isEqualTo(NOW);
    }

    @Test
    void insideABatchTheErrorNamesTheEventsPosition() {
        var fixture = invalidEvents().stream().filter(f -> f.name().equals("feature-uppercase")).findFirst().orElseThrow();

        var outcome = VALIDATOR.validateJson(fixture.bytes(), "events[3]", CONTEXT);

        assertThat(((EventValidator.Invalid) outcome).error())
                .isEqualTo("events[3].feature: must match [a-z0-9][a-z0-9._-]{0,63}");
    }
}
