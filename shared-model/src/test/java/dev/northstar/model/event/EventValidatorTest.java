package dev.northstar.model.event;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.model.json.NorthstarJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class EventValidatorTest {

    private static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
    private final EventValidator validator = new EventValidator(Clock.fixed(NOW, ZoneOffset.UTC));
    private final EventValidator.Context context = new EventValidator.Context("acme", NOW, Optional.empty());

    private static JsonNode json(String text) throws Exception {
        return NorthstarJson.mapper().readTree(text.replace('\'', '"'));
    }

    @Test
    void acceptsAFeatureUsedEventAndAddsWhatIngestKnows() throws Exception {
        var outcome = validator.validate(json("{'eventId':'e-1','type':'feature_used','userId':'u1',"
                + "'feature':'export.csv','occurredAt':'2026-11-24T11:00:00+01:00','properties':{'plan':'pro','n':3},"
                + "'somethingNew':'ignored'}"), "events[0]", context);

        assertThat(outcome).isInstanceOf(EventValidator.Valid.class);
        ProductEvent event = ((EventValidator.Valid) outcome).event();
        assertThat(event.projectId()).isEqualTo("acme");
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-11-24T10:00:00Z"));
        assertThat(event.receivedAt()).isEqualTo(NOW);
        assertThat(event.schemaVersion()).isEqualTo("1.1");
        assertThat(event.actor()).isEqualTo("u1");
        assertThat(event.properties()).containsEntry("plan", "pro");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{'type':'feature_used','userId':'u','feature':'f','occurredAt':'2026-11-24T11:00:00Z'}|events[3].eventId: is required",
            "{'eventId':'e 1','type':'feature_used','userId':'u','feature':'f','occurredAt':'2026-11-24T11:00:00Z'}|events[3].eventId: must be 1 to 64 characters of [A-Za-z0-9._:-]",
            "{'eventId':'e','type':'page_view','userId':'u','feature':'f','occurredAt':'2026-11-24T11:00:00Z'}|events[3].type: must be one of feature_used, feature_failed, funnel_step, feedback_given, user_identified",
            "{'eventId':'e','type':'feature_used','feature':'f','occurredAt':'2026-11-24T11:00:00Z'}|events[3].userId: userId or anonymousId is required",
            "{'eventId':'e','type':'feature_used','userId':'u','feature':'Export','occurredAt':'2026-11-24T11:00:00Z'}|events[3].feature: must match [a-z0-9][a-z0-9._-]{0,63}",
            "{'eventId':'e','type':'feature_used','userId':'u','occurredAt':'2026-11-24T11:00:00Z'}|events[3].feature: is required for feature_used",
            "{'eventId':'e','type':'feature_used','userId':'u','feature':'f','occurredAt':'2026-11-24T11:00:00'}|events[3].occurredAt: must be an ISO-8601 instant with offset, e.g. 2026-11-24T12:00:00Z",
            "{'eventId':'e','type':'feedback_given','userId':'u','feature':'f','occurredAt':'2026-11-24T11:00:00Z','rating':6}|events[3].rating: must be an integer from 1 to 5",
            "{'eventId':'e','type':'feedback_given','userId':'u','feature':'f','occurredAt':'2026-11-24T11:00:00Z'}|events[3].rating: is required for feedback_given (an integer from 1 to 5)",
            "{'eventId':'e','type':'funnel_step','userId':'u','funnel':'signup','step':51,'occurredAt':'2026-11-24T11:00:00Z'}|events[3].step: must be an integer from 1 to 50",
            "{'eventId':'e','type':'feature_used','userId':'u','feature':'f','occurredAt':'2026-11-24T11:00:00Z','properties':{'a':{'b':1}}}|events[3].properties.a: must be a string, number or boolean (properties are flat)",
            "{'eventId':'e','type':'feature_used','userId':5,'feature':'f','occurredAt':'2026-11-24T11:00:00Z'}|events[3].userId: must be a string",
            "{'eventId':'e','schemaVersion':'2.0','type':'feature_used','userId':'u','feature':'f','occurredAt':'2026-11-24T11:00:00Z'}|events[3].schemaVersion: major version 2 is not accepted here; this endpoint takes schema version 1.x",
    })
    void rejectsWithTheFieldAndWhatIsWrong(String event, String error) throws Exception {
        var outcome = validator.validate(json(event), "events[3]", context);

        assertThat(outcome).isInstanceOf(EventValidator.Invalid.class);
        assertThat(((EventValidator.Invalid) outcome).error()).isEqualTo(error);
    }

    @Test
    void correctsDeviceClocksWithTheBatchSentAt() throws Exception {
        // The device clock is 2 hours fast: it says it sent at 14:00 what it recorded at 13:59.
        var withSentAt = new EventValidator.Context("acme", NOW, Optional.of(Instant.parse("2026-11-24T14:00:00Z")));
        var outcome = validator.validate(json("{'eventId':'e','type':'feature_used','userId':'u','feature':'f',"
                + "'occurredAt':'2026-11-24T13:59:00Z'}"), "", withSentAt);

        ProductEvent event = ((EventValidator.Valid) outcome).event();
        assertThat(event.occurredAt()).isEqualTo(Instant.parse("2026-11-24T11:59:00Z"));
        assertThat(event.clockCorrected()).isFalse();
    }

    @Test
    void replacesFarFutureTimesWithTheReceiveTime() throws Exception {
        var outcome = validator.validate(json("{'eventId':'e','type':'feature_used','userId':'u','feature':'f',"
                + "'occurredAt':'2026-11-25T11:00:01Z'}"), "", context);

        ProductEvent event = ((EventValidator.Valid) outcome).event();
        assertThat(event.occurredAt()).isEqualTo(NOW);
        assertThat(event.clockCorrected()).isTrue();
    }

    @Test
    void keepsTimesJustInsideTheAllowedSkew() throws Exception {
        var outcome = validator.validate(json("{'eventId':'e','type':'feature_used','userId':'u','feature':'f',"
                + "'occurredAt':'2026-11-25T11:00:00Z'}"), "", context);

        assertThat(((EventValidator.Valid) outcome).event().clockCorrected()).isFalse();
    }

    @Test
    void aStoredEventMustBelongToTheProjectOfItsKey() throws Exception {
        var node = json("{'projectId':'other','eventId':'e','type':'feature_used','userId':'u','feature':'f',"
                + "'occurredAt':'2026-11-24T11:00:00Z'}");

        assertThat(validator.validateStored(node, "acme/u", NOW))
                .isEqualTo(new EventValidator.Invalid(null, "projectId: does not match the record key"));
        assertThat(validator.validateStored(node, "other/u", NOW)).isInstanceOf(EventValidator.Valid.class);
    }
}
