package dev.northstar.model.event;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Optional;

/** The four event types of schema v1, with their wire names. */
public enum EventType {
    FEATURE_USED("feature_used"),
    FEATURE_FAILED("feature_failed"),
    FUNNEL_STEP("funnel_step"),
    FEEDBACK_GIVEN("feedback_given");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    public static Optional<EventType> fromWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    /** Whether the {@code feature} field is required for this type. */
    public boolean requiresFeature() {
        return this != FUNNEL_STEP;
    }
}
