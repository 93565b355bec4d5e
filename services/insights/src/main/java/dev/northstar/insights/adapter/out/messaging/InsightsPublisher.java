package dev.northstar.insights.adapter.out.messaging;

import dev.northstar.insights.application.InsightsView;
import dev.northstar.insights.application.SignalsCatchUp;
import dev.northstar.platform.messaging.SnapshotSender;
import dev.northstar.model.snapshot.FeatureInsight;
import dev.northstar.platform.messaging.MessagingReady;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes each feature's recommendation when its signals change, and all of them periodically;
 * nothing until this instance has read the signals it had when it started (a recommendation from a
 * partly loaded view would be a change that never happened, and alerts follow changes).
 */
@ApplicationScoped
class InsightsPublisher {

    private final InsightsView view;
    private final MutinyEmitter<FeatureInsight> emitter;
    private final SignalsCatchUp signals;

    InsightsPublisher(InsightsView view, @Channel("feature-insights") MutinyEmitter<FeatureInsight> emitter,
                      SignalsCatchUp signals) {
        this.view = view;
        this.emitter = emitter;
        this.signals = signals;
    }

    @Scheduled(every = "{northstar.insights.publish-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = MessagingReady.class)
    void publishChanged() {
        if (!signals.isCaughtUp() || !SnapshotSender.ready(emitter)) {
            return;
        }
        try {
            SnapshotSender.sendAll(emitter, view.drainChanged());
        } catch (RuntimeException e) {
            view.markAllChanged();
            throw e;
        }
    }

    @Scheduled(every = "{northstar.insights.republish-interval}", delayed = "{northstar.insights.republish-interval}")
    void republishAll() {
        view.markAllChanged();
    }
}
