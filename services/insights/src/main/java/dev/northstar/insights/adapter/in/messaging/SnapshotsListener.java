package dev.northstar.insights.adapter.in.messaging;

import dev.northstar.insights.application.FeatureHistories;
import dev.northstar.model.notify.FeatureHistory;
import dev.northstar.model.topic.Topics;

import dev.northstar.insights.application.InsightsView;
import dev.northstar.insights.application.SignalsCatchUp;
import dev.northstar.platform.messaging.DeadLetters;
import dev.northstar.platform.messaging.IncomingRecords;
import dev.northstar.platform.messaging.NewestSnapshots;
import dev.northstar.model.snapshot.AdoptionRecord;
import dev.northstar.model.snapshot.FeatureFeedback;
import dev.northstar.model.snapshot.FrictionRecord;
import jakarta.enterprise.context.ApplicationScoped;
import dev.northstar.platform.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the compacted snapshot topics into this instance's view (the project registry reads the
 * projects topic: {@code dev.northstar.registry.ProjectsListener}). Every
 * instance reads everything (its own group, from the earliest offset), so any instance can
 * answer any query. Per key it keeps the newest version (the input position a snapshot reflects).
 */
@ApplicationScoped
class SnapshotsListener {

    private final IncomingRecords records;
    private final DeadLetters deadLetters;
    private final InsightsView view;
    private final SignalsCatchUp signals;
    /** A snapshot older than one already taken for its key (published late) never replaces it. */
    private final NewestSnapshots newest = new NewestSnapshots();

    private final FeatureHistories histories;

    private final Tracing tracing;
    private final PendingPublish pending;

    SnapshotsListener(IncomingRecords records, DeadLetters deadLetters, InsightsView view, SignalsCatchUp signals,
                      FeatureHistories histories, Tracing tracing, PendingPublish pending) {
        this.tracing = tracing;
        this.pending = pending;
        this.histories = histories;
        this.records = records;
        this.deadLetters = deadLetters;
        this.view = view;
        this.signals = signals;
    }

    @Incoming("feature-adoption")
    void onAdoption(ConsumerRecord<String, byte[]> record) {
        records.value(record, AdoptionRecord.class).filter(r -> taken(record, r.recordKey()))
                .ifPresent(r -> traced(record, r.projectId(), () -> view.apply(r)));
        signals.consumed(record);
    }

    @Incoming("feature-friction")
    void onFriction(ConsumerRecord<String, byte[]> record) {
        records.value(record, FrictionRecord.class).filter(r -> taken(record, r.recordKey()))
                .ifPresent(r -> traced(record, r.projectId(), () -> view.apply(r)));
        signals.consumed(record);
    }

    @Incoming("feature-feedback")
    void onFeedback(ConsumerRecord<String, byte[]> record) {
        records.value(record, FeatureFeedback.class).filter(r -> taken(record, r.recordKey()))
                .ifPresent(r -> traced(record, r.projectId(), () -> view.apply(r)));
        signals.consumed(record);
    }

    /** The notifier's history of a feature's recommendation (a tombstone removes it). */
    @Incoming("feature-history")
    void onHistory(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            histories.remove(record.key());
        } else {
            records.value(record, FeatureHistory.class)
                    .filter(h -> keyed(record, Topics.featureKey(h.projectId(), h.feature())))
                    .ifPresent(h -> histories.put(record.key(), h));
        }
        signals.consumed(record);
    }

    /**
     * Applies a snapshot; when it carries a sampled trace, in a span of that trace, which the
     * project's next published recommendations continue.
     */
    private void traced(ConsumerRecord<String, byte[]> record, String projectId, Runnable apply) {
        if (signals.isCaughtUp()) {
            pending.applied(record.timestamp());
        }
        var carried = tracing.carried(record);
        if (carried.isEmpty()) {
            apply.run();
            return;
        }
        Span span = tracing.processing(record.topic(), 1, java.util.List.of(carried.get()));
        try {
            pending.traced(projectId, span.getSpanContext());
            apply.run();
        } finally {
            span.end();
        }
    }

    /** Whether to apply a snapshot: keyed as its body says, and not older than one taken for that key. */
    private boolean taken(ConsumerRecord<String, byte[]> record, String expectedKey) {
        return keyed(record, expectedKey) && newest.take(record);
    }

    /**
     * Whether the record's key is the one its body says it belongs under. A snapshot whose key and
     * body disagree on project or feature is not trusted (it could show one project's numbers under
     * another's key, or be replaced by compaction under the wrong key): dead-lettered, not applied.
     */
    private boolean keyed(ConsumerRecord<String, byte[]> record, String expected) {
        if (expected.equals(record.key())) {
            return true;
        }
        deadLetters.send(record, DeadLetters.Reason.INVALID, "record key '" + record.key()
                + "' does not match the project and feature of its body ('" + expected + "')");
        return false;
    }
}
