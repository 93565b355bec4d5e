package dev.northstar.insights.adapter.out.messaging;

import dev.northstar.insights.application.InsightsView;
import dev.northstar.insights.application.SignalsCatchUp;
import dev.northstar.platform.messaging.SnapshotSender;
import dev.northstar.model.snapshot.FeatureInsight;
import dev.northstar.platform.messaging.MessagingReady;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import dev.northstar.insights.adapter.in.messaging.PendingPublish;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import dev.northstar.model.topic.Keyed;
import dev.northstar.platform.tracing.Tracing;
import io.opentelemetry.api.trace.SpanContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    private final Tracing tracing;
    private final PendingPublish pending;
    private final Clock clock;
    private final Timer freshness;
    private final String topic;

    InsightsPublisher(InsightsView view, @Channel("feature-insights") MutinyEmitter<FeatureInsight> emitter,
                      SignalsCatchUp signals, Tracing tracing, PendingPublish pending,
                      @ConfigProperty(name = "mp.messaging.outgoing.feature-insights.topic") String topic,
                      Clock clock, MeterRegistry meters) {
        this.tracing = tracing;
        this.pending = pending;
        this.clock = clock;
        // The same meter as the signal services' (SignalState): from the write of the oldest input a
        // publish reflects to the broker's acknowledgement of it.
        this.freshness = Timer.builder("northstar_snapshot_freshness")
                .description("From the write of the oldest input a publish reflects to the broker's acknowledgement of it")
                .tag("service", "insights").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(meters);
        this.topic = topic;
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
        long oldest = pending.takeOldestApplied();
        try {
            List<Keyed<FeatureInsight>> changed = view.drainChanged();
            Map<String, SpanContext> traces = new HashMap<>();
            if (tracing.enabled()) {
                changed.forEach(c -> traces.computeIfAbsent(c.value().projectId(), pending::takeTrace));
            }
            SnapshotSender.sendAll(emitter, changed, c -> traces.get(c.value().projectId()), tracing, topic);
            if (oldest != Long.MAX_VALUE && !changed.isEmpty()) {
                freshness.record(Math.max(0, clock.millis() - oldest), TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            view.markAllChanged();
            if (oldest != Long.MAX_VALUE) {
                pending.applied(oldest);
            }
            throw e;
        }
    }

    @Scheduled(every = "{northstar.insights.republish-interval}", delayed = "{northstar.insights.republish-interval}")
    void republishAll() {
        view.markAllChanged();
    }
}
