package dev.northstar.model.event;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Optional;

/** The event types of schema v1, with their wire names ({@code user_identified} since 1.1). */
public enum EventType {
    FEATURE_USED("feature_used"),
    FEATURE_FAILED("feature_failed"),
    FUNNEL_STEP("funnel_step"),
    FEEDBACK_GIVEN("feedback_given"),
    /** An anonymousId is this userId from now on and retroactively (both required, different). */
    USER_IDENTIFIED("user_identified");

    /** The wire names, as error messages list them. */
    public static final String NAMES = "feature_used, feature_failed, funnel_step, feedback_given, user_identified";

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
        return this == FEATURE_USED || this == FEATURE_FAILED || this == FEEDBACK_GIVEN;
    }
}
