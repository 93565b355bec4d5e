package dev.northstar.model.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Events in the last 7 UTC days (today and the 6 before), the last 28 UTC days, and ever: the same
 * windows as users and failures.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UsesByWindow(long d7, long d28, long all) {
}
