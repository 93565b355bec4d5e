package dev.northstar.model.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Distinct users whose event time lies in the last 7 days, the last 28 days, and ever. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UserCounts(long d7, long d28, long all) {

    public static final UserCounts NONE = new UserCounts(0, 0, 0);
}
