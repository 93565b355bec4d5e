package dev.northstar.feedback.adapter.out.messaging;

import dev.northstar.kit.signals.SignalState;
import dev.northstar.model.snapshot.FeatureFeedback;
import dev.northstar.kit.messaging.MessagingReady;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes feedback snapshots: what changed every publish interval, everything every republish interval. */
@ApplicationScoped
class FeedbackPublisher {

    private final SignalState<FeatureFeedback> state;
    private final MutinyEmitter<FeatureFeedback> emitter;

    FeedbackPublisher(SignalState<FeatureFeedback> state,
                      @Channel("feature-feedback") MutinyEmitter<FeatureFeedback> emitter) {
        this.state = state;
        this.emitter = emitter;
    }

    @Scheduled(every = "{northstar.feedback.publish-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = MessagingReady.class)
    void publishChanged() {
        state.publishChanged(emitter);
    }

    @Scheduled(every = "{northstar.feedback.republish-interval}", delayed = "{northstar.feedback.republish-interval}")
    void republishAll() {
        state.markAllChanged();
    }
}
