package dev.northstar.model.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.LocalDate;

/** Distinct users and uses of one UTC day. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DailyUsers(LocalDate day, long users, long uses) {
}
