package dev.northstar.model.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/**
 * A dead letter's record written back to its source topic, on
 * {@link dev.northstar.model.topic.Topics#REDRIVES} (key {@code sourceTopic/sourcePartition/sourceOffset}):
 * the record of that position is re-driven at most once, whichever of its dead letters is chosen.
 *
 * @param deadLetterPartition the dead letter's partition on the dead-letter topic
 * @param deadLetterOffset    the dead letter's offset there
 * @param reason              the dead letter's reason
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Redrive(String sourceTopic, int sourcePartition, long sourceOffset, int deadLetterPartition,
                      long deadLetterOffset, String reason, Instant at) {
}
