package dev.northstar.cli;

import dev.northstar.model.json.NorthstarJson;
import dev.northstar.model.snapshot.FeatureFeedback;
import dev.northstar.model.topic.Topics;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a re-drive may write back. A dead letter is written by any service principal; the re-drive writes
 * with the admin's rights: only to the events and snapshot topics, only what their readers accept, under
 * the key the body implies (before, any letter went to its source topic under its key, unchecked).
 */
class RedriveRulesTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static final byte[] EVENT = bytes("{\"schemaVersion\":\"1.0\",\"eventId\":\"e-1\",\"type\":\"feature_used\","
            + "\"projectId\":\"shop\",\"userId\":\"u-1\",\"feature\":\"export\",\"occurredAt\":\"2026-12-01T10:00:00Z\","
            + "\"receivedAt\":\"2026-12-01T10:00:01Z\",\"clockCorrected\":false,\"properties\":{}}");

    @Test
    void anEventTheConsumersAcceptGoesBackUnderItsOwnKeyOnly() {
        assertThat(RedriveRules.refusal(Topics.EVENTS.name(), "shop/u-1", EVENT)).isEmpty();
        assertThat(RedriveRules.refusal(Topics.EVENTS.name(), "shop/u-2", EVENT)).get().asString()
                .startsWith("the events topic's reader refuses it: ");
        assertThat(RedriveRules.refusal(Topics.EVENTS.name(), "other/u-1", EVENT)).isPresent();
        assertThat(RedriveRules.refusal(Topics.EVENTS.name(), "shop/u-1", bytes("{\"eventId\": \"e-1\", "))).get()
                .asString().contains("is not JSON");
        assertThat(RedriveRules.refusal(Topics.EVENTS.name(), "shop/u-1", null)).get().asString().contains("no payload");
    }

    @Test
    void aSnapshotGoesBackOnlyUnderTheKeyItsBodyImplies() throws Exception {
        byte[] snapshot = NorthstarJson.mapper().writeValueAsBytes(new FeatureFeedback("shop", "export", 1, 5.0,
                List.of(0L, 0L, 0L, 0L, 1L), List.of(), Instant.parse("2026-12-01T10:00:00Z"), 3));
        assertThat(RedriveRules.refusal(Topics.FEATURE_FEEDBACK.name(), "shop/export#3", snapshot)).isEmpty();
        assertThat(RedriveRules.refusal(Topics.FEATURE_FEEDBACK.name(), "rival/export#3", snapshot)).get().asString()
                .isEqualTo("its key 'rival/export#3' is not the one its body implies ('shop/export#3')");
    }

    /** A stolen service principal plants a letter aimed at the registry, the webhooks or the erasures: refused. */
    @Test
    void nothingGoesToATopicThatIsNotReDrivable() {
        byte[] registration = bytes("{\"type\":\"project_registered\",\"projectId\":\"shop\",\"name\":\"Shop\"}");
        for (String topic : List.of(Topics.PROJECTS.name(), Topics.WEBHOOKS.name(), Topics.ERASURES.name(),
                Topics.FEATURE_INSIGHTS.name(), Topics.FEATURE_HISTORY.name(), Topics.WEBHOOK_DELIVERIES.name(),
                Topics.REDRIVES.name(), Topics.DEAD_LETTER.name(), "anything-else")) {
            assertThat(RedriveRules.refusal(topic, "shop", registration)).as(topic).get().asString()
                    .startsWith("its source topic " + topic + " is not re-drivable (only northstar.events.v2, ");
        }
    }
}
