package dev.northstar.model.notify;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a webhook can be told about. */
public enum AlertType {
    /** A feature's recommended action changed (watch → sunset, …). */
    RECOMMENDATION_CHANGED,
    /** A feature's 28-day failure rate rose to the improve threshold or above (it was below). */
    FAILURE_SPIKE;

    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type of a wire name, if it is one. */
    public static Optional<AlertType> ofWireName(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName().equals(name)).findFirst();
    }
}
