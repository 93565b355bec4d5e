package dev.northstar.friction.adapter.out.messaging;

import dev.northstar.kit.signals.SignalState;
import dev.northstar.model.snapshot.FrictionRecord;
import dev.northstar.kit.messaging.MessagingReady;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes friction snapshots: what changed every publish interval, everything every republish interval. */
@ApplicationScoped
class FrictionPublisher {

    private final SignalState<FrictionRecord> state;
    private final MutinyEmitter<FrictionRecord> emitter;

    FrictionPublisher(SignalState<FrictionRecord> state,
                      @Channel("feature-friction") MutinyEmitter<FrictionRecord> emitter) {
        this.state = state;
        this.emitter = emitter;
    }

    @Scheduled(every = "{northstar.friction.publish-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = MessagingReady.class)
    void publishChanged() {
        state.publishChanged(emitter);
    }

    @Scheduled(every = "{northstar.friction.republish-interval}", delayed = "{northstar.friction.republish-interval}")
    void republishAll() {
        state.markAllChanged();
    }
}
