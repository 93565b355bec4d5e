package dev.northstar.feedback.adapter.in.messaging;

import dev.northstar.kit.signals.SignalState;
import dev.northstar.model.snapshot.FeatureFeedback;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes product events in batches; a record that cannot be counted is dead-lettered, the rest go on. */
@ApplicationScoped
class EventsListener {

    private final SignalState<FeatureFeedback> state;

    EventsListener(SignalState<FeatureFeedback> state) {
        this.state = state;
    }

    @Incoming("events")
    void onEvents(ConsumerRecords<String, byte[]> batch) {
        state.consume(batch);
    }
}
