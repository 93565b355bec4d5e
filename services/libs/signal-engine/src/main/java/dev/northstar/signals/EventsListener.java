package dev.northstar.signals;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes product events in batches; a record that cannot be counted is dead-lettered, the rest
 * go on. The channel's settings (group, offsets kept with the state, failure strategy) are the
 * engine's, in its {@code META-INF/microprofile-config.properties}.
 */
@ApplicationScoped
class EventsListener {

    static final String CHANNEL = "events";

    private final SignalEngine engine;

    EventsListener(SignalEngine engine) {
        this.engine = engine;
    }

    @Incoming(CHANNEL)
    void onEvents(ConsumerRecords<String, byte[]> batch) {
        engine.state().consume(batch);
    }
}
