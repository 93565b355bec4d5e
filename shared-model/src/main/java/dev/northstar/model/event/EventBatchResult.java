package dev.northstar.model.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/** The answer to {@code POST /v1/events}: counts and one result per event, in input order. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EventBatchResult(int accepted, int rejected, List<EventResult> results) {

    public EventBatchResult {
        results = List.copyOf(results);
    }

    public static EventBatchResult of(List<EventResult> results) {
        int ok = (int) results.stream().filter(r -> r.status() == EventResult.Status.ok).count();
        return new EventBatchResult(ok, results.size() - ok, results);
    }

    /** The outcome for the event at {@code index} of the batch. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EventResult(int index, String eventId, Status status, String error) {

        public enum Status { ok, rejected }

        public static EventResult ok(int index, String eventId) {
            return new EventResult(index, eventId, Status.ok, null);
        }

        public static EventResult rejected(int index, String eventId, String error) {
            return new EventResult(index, eventId, Status.rejected, error);
        }
    }
}
