package dev.northstar.ingest.domain;

import dev.northstar.model.event.EventBatchResult;
import dev.northstar.model.event.EventBatchResult.EventResult;
import dev.northstar.model.event.EventValidator;
import dev.northstar.model.event.ProductEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * A validated batch: the events to publish and a result for every event in input order. Valid
 * events are accepted even when others in the batch are not.
 */
public record BatchOutcome(List<ProductEvent> accepted, List<EventResult> results) {

    public BatchOutcome {
        accepted = List.copyOf(accepted);
        results = List.copyOf(results);
    }

    public static BatchOutcome of(List<EventValidator.Outcome> outcomes) {
        List<ProductEvent> accepted = new ArrayList<>();
        List<EventResult> results = new ArrayList<>(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            EventValidator.Outcome outcome = outcomes.get(i);
            if (outcome instanceof EventValidator.Valid valid) {
                accepted.add(valid.event());
                results.add(EventResult.ok(i, valid.event().eventId()));
            } else if (outcome instanceof EventValidator.Invalid invalid) {
                results.add(EventResult.rejected(i, invalid.eventId(), invalid.error()));
            }
        }
        return new BatchOutcome(accepted, results);
    }

    public EventBatchResult toResult() {
        return EventBatchResult.of(results);
    }
}
