package dev.northstar.ingest.application;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.model.json.NorthstarJson;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The mapping of Segment's messages, type by type, as docs/schemas.md lists it. */
class SegmentMappingTest {

    private static JsonNode json(String text) throws Exception {
        return NorthstarJson.mapper().readTree(text);
    }

    private static final java.time.Instant RECEIVED = java.time.Instant.parse("2026-11-28T10:00:05Z");

    private static JsonNode mapped(String message) throws Exception {
        return SegmentMapping.batch(json("{\"batch\": [" + message + "]}"), RECEIVED).batch().get("events").get(0);
    }

    @Test
    void trackIsFeatureUsedWithThePropertyOrTheSlugOfTheEventName() throws Exception {
        assertThat(mapped("{\"type\":\"track\",\"event\":\"Feature Used\",\"userId\":\"u\",\"messageId\":\"m1\","
                + "\"timestamp\":\"2026-11-28T09:00:00.123Z\",\"properties\":{\"feature\":\"export-csv\"}}"))
                .isEqualTo(json("{\"eventId\":\"m1\",\"userId\":\"u\",\"occurredAt\":\"2026-11-28T09:00:00.123Z\","
                        + "\"type\":\"feature_used\",\"feature\":\"export-csv\"}"));
        assertThat(mapped("{\"type\":\"track\",\"event\":\"  Export Report (CSV)! \",\"anonymousId\":\"a\"}")
                .get("feature").asText()).isEqualTo("export-report-csv");
        assertThat(SegmentMapping.slug("Über  Cool...Thing")).isEqualTo("ber-cool...thing");
        assertThat(SegmentMapping.slug("x".repeat(80))).hasSize(64);
    }

    @Test
    void theThreeNamedTracksAreTheirTypesWithTheirProperties() throws Exception {
        assertThat(mapped("{\"type\":\"track\",\"event\":\"Feature Failed\",\"userId\":\"u\","
                + "\"properties\":{\"feature\":\"export\",\"errorCode\":\"timeout\",\"other\":1}}"))
                .isEqualTo(json("{\"userId\":\"u\",\"occurredAt\":\"2026-11-28T10:00:05Z\",\"type\":\"feature_failed\",\"feature\":\"export\",\"errorCode\":\"timeout\"}"));
        assertThat(mapped("{\"type\":\"track\",\"event\":\"Funnel Step\",\"userId\":\"u\","
                + "\"properties\":{\"funnel\":\"signup\",\"step\":2}}"))
                .isEqualTo(json("{\"userId\":\"u\",\"occurredAt\":\"2026-11-28T10:00:05Z\",\"type\":\"funnel_step\",\"funnel\":\"signup\",\"step\":2}"));
        assertThat(mapped("{\"type\":\"track\",\"event\":\"Feedback Given\",\"userId\":\"u\","
                + "\"properties\":{\"feature\":\"export\",\"rating\":4,\"comment\":\"good\"}}"))
                .isEqualTo(json("{\"userId\":\"u\",\"occurredAt\":\"2026-11-28T10:00:05Z\",\"type\":\"feedback_given\",\"feature\":\"export\",\"rating\":4,"
                        + "\"comment\":\"good\"}"));
    }

    @Test
    void identifyWithBothIdsLinksThemAndEverythingElseSegmentDefinesIsIgnored() throws Exception {
        assertThat(mapped("{\"type\":\"identify\",\"userId\":\"u\",\"anonymousId\":\"a\",\"originalTimestamp\":"
                + "\"2026-11-28T09:00:00Z\"}")).isEqualTo(json("{\"userId\":\"u\",\"anonymousId\":\"a\","
                + "\"occurredAt\":\"2026-11-28T09:00:00Z\",\"type\":\"user_identified\"}"));
        var mapped = SegmentMapping.batch(json("{\"sentAt\":\"2026-11-28T10:00:00Z\",\"batch\": ["
                + "{\"type\":\"identify\",\"userId\":\"u\",\"traits\":{}},{\"type\":\"page\"},{\"type\":\"screen\"},"
                + "{\"type\":\"group\"},{\"type\":\"alias\"},{\"type\":\"track\",\"event\":\"x\",\"userId\":\"u\"}]}"), RECEIVED);
        assertThat(mapped.ignored()).isEqualTo(5);
        assertThat(mapped.ignoredIndexes()).containsExactly(0, 1, 2, 3, 4);
        assertThat(mapped.batch().get("events")).hasSize(1);
        assertThat(mapped.batch().get("sentAt").asText()).isEqualTo("2026-11-28T10:00:00Z");
        // A type Segment does not define goes on, for the validator to name the types there are.
        assertThat(SegmentMapping.batch(json("{\"batch\":[{\"type\":\"purchase\"}]}"), RECEIVED).batch().get("events").get(0)
                .get("type").asText()).isEqualTo("purchase");
    }
}
