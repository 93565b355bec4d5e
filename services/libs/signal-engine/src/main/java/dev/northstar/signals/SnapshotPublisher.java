package dev.northstar.signals;

import dev.northstar.platform.messaging.MessagingReady;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes the service's snapshots on the {@code snapshots} channel (its topic is the service's
 * one line of channel configuration): what changed every {@code northstar.signals.publish-interval},
 * everything every {@code northstar.signals.republish-interval}, so 7- and 28-day windows slide
 * even without new events.
 */
@ApplicationScoped
class SnapshotPublisher {

    static final String CHANNEL = "snapshots";

    private final SignalEngine engine;
    private final MutinyEmitter<Object> emitter;

    private final String topic;

    SnapshotPublisher(SignalEngine engine, @Channel(CHANNEL) MutinyEmitter<Object> emitter,
                      @ConfigProperty(name = "mp.messaging.outgoing." + CHANNEL + ".topic") String topic) {
        this.engine = engine;
        this.emitter = emitter;
        this.topic = topic;
    }

    @Scheduled(every = "{northstar.signals.publish-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = MessagingReady.class)
    void publishChanged() {
        engine.state().publishChanged(emitter, topic);
    }

    @Scheduled(every = "{northstar.signals.republish-interval}", delayed = "{northstar.signals.republish-interval}")
    void republishAll() {
        engine.state().markAllChanged();
    }
}
