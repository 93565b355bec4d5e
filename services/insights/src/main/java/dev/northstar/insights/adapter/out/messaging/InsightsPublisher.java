package dev.northstar.insights.adapter.out.messaging;

import dev.northstar.insights.application.InsightsView;
import dev.northstar.platform.messaging.SnapshotSender;
import dev.northstar.model.snapshot.FeatureInsight;
import dev.northstar.platform.messaging.MessagingReady;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes each feature's recommendation when its signals change, and all of them periodically. */
@ApplicationScoped
class InsightsPublisher {

    private final InsightsView view;
    private final MutinyEmitter<FeatureInsight> emitter;

    InsightsPublisher(InsightsView view, @Channel("feature-insights") MutinyEmitter<FeatureInsight> emitter) {
        this.view = view;
        this.emitter = emitter;
    }

    @Scheduled(every = "{northstar.insights.publish-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = MessagingReady.class)
    void publishChanged() {
        if (!SnapshotSender.ready(emitter)) {
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
