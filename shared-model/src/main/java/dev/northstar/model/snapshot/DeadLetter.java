package dev.northstar.model.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.Instant;

/**
 * A record that could not be processed, on {@link dev.northstar.model.topic.Topics#DEAD_LETTER} (keyed by the
 * original key). The same facts travel as headers ({@code northstar.dlq.*}) so operators can
 * filter without parsing.
 *
 * @param payload the original value as text when it was valid UTF-8, else Base64
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeadLetter(String reason, String service, String sourceTopic, int sourcePartition, long sourceOffset,
                         String payload, boolean payloadBase64, Instant at) {
}
