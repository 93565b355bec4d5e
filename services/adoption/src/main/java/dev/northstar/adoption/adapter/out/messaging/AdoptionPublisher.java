package dev.northstar.adoption.adapter.out.messaging;

import dev.northstar.kit.signals.SignalState;
import dev.northstar.model.snapshot.AdoptionRecord;
import dev.northstar.kit.messaging.MessagingReady;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes adoption snapshots: what changed every publish interval, everything every republish interval. */
@ApplicationScoped
class AdoptionPublisher {

    private final SignalState<AdoptionRecord> state;
    private final MutinyEmitter<AdoptionRecord> emitter;

    AdoptionPublisher(SignalState<AdoptionRecord> state,
                      @Channel("feature-adoption") MutinyEmitter<AdoptionRecord> emitter) {
        this.state = state;
        this.emitter = emitter;
    }

    @Scheduled(every = "{northstar.adoption.publish-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = MessagingReady.class)
    void publishChanged() {
        state.publishChanged(emitter);
    }

    @Scheduled(every = "{northstar.adoption.republish-interval}", delayed = "{northstar.adoption.republish-interval}")
    void republishAll() {
        state.markAllChanged();
    }
}
