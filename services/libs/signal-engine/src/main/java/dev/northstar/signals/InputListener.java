package dev.northstar.signals;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.concurrent.CompletionStage;

/**
 * Consumes the service's input topic in batches (the events topic unless the service names another
 * for the {@code input} channel); a record that cannot be counted is dead-lettered, the rest go on.
 * The channel's settings (group, offsets kept with the state, failure strategy) are the engine's,
 * in its {@code META-INF/microprofile-config.properties}.
 */
@ApplicationScoped
class InputListener {

    static final String CHANNEL = "input";

    private final SignalEngine engine;

    InputListener(SignalEngine engine) {
        this.engine = engine;
    }

    /** The next batch comes once this one is applied (after its dead letters are on their topic). */
    @Incoming(CHANNEL)
    CompletionStage<Void> onRecords(ConsumerRecords<String, byte[]> batch) {
        return engine.state().consume(batch);
    }
}
