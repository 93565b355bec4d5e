package dev.northstar.model.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.northstar.model.json.NorthstarJson;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** The gate at work: fed a breaking change it fails, fed an additive one it passes. */
class CompatibilityGateTest {

    private static final JsonNode PUBLISHED_EVENT = PublishedMessages.resource("/dev/northstar/model/schemas/v1/event.json");

    private static List<String> afterChanging(Consumer<ObjectNode> change) {
        ObjectNode current = PUBLISHED_EVENT.deepCopy();
        change.accept(current);
        return CompatibilityGate.breakingChanges(PUBLISHED_EVENT, current);
    }

    private static ObjectNode property(ObjectNode schema, String name) {
        return (ObjectNode) schema.get("properties").get(name);
    }

    @Test
    void theUnchangedSchemaPasses() {
        assertThat(afterChanging(s -> { })).isEmpty();
    }

    @Test
    void aRemovedFieldFails() {
        assertThat(afterChanging(s -> ((ObjectNode) s.get("properties")).remove("comment")))
                .containsExactly("$.comment: removed (or renamed)");
    }

    @Test
    void aRenamedFieldFails() {
        assertThat(afterChanging(s -> {
            ObjectNode props = (ObjectNode) s.get("properties");
            props.set("user", props.remove("userId"));
        })).contains("$.userId: removed (or renamed)");
    }

    @Test
    void aChangedTypeFails() {
        assertThat(afterChanging(s -> property(s, "rating").put("type", "string")))
                .anyMatch(p -> p.startsWith("$.rating: type changed"));
    }

    @Test
    void aNewlyRequiredFieldFails() {
        assertThat(afterChanging(s -> ((ArrayNode) s.get("required")).add("userId")))
                .containsExactly("$.userId: newly required");
    }

    @Test
    void aNarrowedRuleFails() {
        assertThat(afterChanging(s -> property(s, "comment").put("maxLength", 1000)))
                .containsExactly("$.comment: maxLength narrowed from 2000 to 1000");
        assertThat(afterChanging(s -> property(s, "step").put("minimum", 2)))
                .containsExactly("$.step: minimum narrowed from 1 to 2");
        assertThat(afterChanging(s -> property(s, "feature").put("pattern", "^[a-z]{1,32}$")))
                .anyMatch(p -> p.startsWith("$.feature: rule 'pattern' changed"));
        assertThat(afterChanging(s -> ((ArrayNode) property(s, "type").get("enum")).remove(2)))
                .containsExactly("$.type: enum value \"funnel_step\" removed");
    }

    private static ObjectNode ruleFor(String type, String required) {
        ObjectNode rule = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        rule.putObject("if").putObject("properties").putObject("type").put("const", type);
        rule.putObject("then").putArray("required").add(required);
        return rule;
    }

    @Test
    void aNewEventTypeWithRulesOfItsOwnPassesButANewRuleForAPublishedTypeFails() {
        assertThat(afterChanging(s -> {
            ((ArrayNode) property(s, "type").get("enum")).add("page_viewed");
            ((ArrayNode) s.get("allOf")).add(ruleFor("page_viewed", "feature"));
        })).isEmpty();
        assertThat(afterChanging(s -> ((ArrayNode) s.get("allOf")).add(ruleFor("feature_used", "anonymousId"))))
                .anyMatch(p -> p.startsWith("$: rule 'allOf' changed"));
    }

    @Test
    void anAddedOptionalFieldOrAWiderLimitPasses() {
        assertThat(afterChanging(s -> ((ObjectNode) s.get("properties")).putObject("sessionId")
                .put("type", "string").put("maxLength", 128))).isEmpty();
        assertThat(afterChanging(s -> property(s, "comment").put("maxLength", 4000))).isEmpty();
    }

    /** Version 1 of a snapshot record, and three ways to change it. */
    record FeedbackV1(String projectId, String feature, long count, double average, Instant asOf) {
    }

    record FeedbackWithMedian(String projectId, String feature, long count, double average, Instant asOf,
                              double median) {
    }

    record FeedbackWithoutAverage(String projectId, String feature, long count, Instant asOf) {
    }

    record FeedbackWithTextCount(String projectId, String feature, String count, double average, Instant asOf) {
    }

    @Test
    void worksOnTheRecordsOfEveryTopicToo() {
        JsonNode published = RecordSchemas.describe(FeedbackV1.class);

        assertThat(CompatibilityGate.breakingChanges(published, RecordSchemas.describe(FeedbackWithoutAverage.class)))
                .containsExactly("$.average: removed (or renamed)");
        assertThat(CompatibilityGate.breakingChanges(published, RecordSchemas.describe(FeedbackWithTextCount.class)))
                .containsExactly("$.count: type changed from \"integer\" to \"string\"");
        // Readers ignore fields they do not know and read a missing one as empty: a new field is additive.
        assertThat(CompatibilityGate.breakingChanges(published, RecordSchemas.describe(FeedbackWithMedian.class)))
                .isEmpty();
    }

    @Test
    void describesRecordsAsTheMapperWritesThem() throws Exception {
        JsonNode schema = RecordSchemas.describe(FeedbackV1.class);
        JsonNode written = NorthstarJson.mapper().valueToTree(new FeedbackV1("acme", "export", 2, 4.5,
                Instant.parse("2026-11-24T12:00:00Z")));

        List<String> names = new java.util.ArrayList<>();
        schema.get("properties").fieldNames().forEachRemaining(names::add);
        List<String> writtenNames = new java.util.ArrayList<>();
        written.fieldNames().forEachRemaining(writtenNames::add);
        assertThat(names).containsExactlyElementsOf(writtenNames);
    }
}
