package dev.northstar.insights.adapter.in.messaging;

import dev.northstar.insights.application.InsightsView;
import dev.northstar.insights.application.SignalsCatchUp;
import dev.northstar.platform.messaging.IncomingRecords;
import dev.northstar.platform.messaging.NewestSnapshots;
import dev.northstar.model.snapshot.AdoptionRecord;
import dev.northstar.model.snapshot.FeatureFeedback;
import dev.northstar.model.snapshot.FrictionRecord;
import jakarta.enterprise.context.ApplicationScoped;
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
    private final InsightsView view;
    private final SignalsCatchUp signals;
    /** A snapshot older than one already taken for its key (published late) never replaces it. */
    private final NewestSnapshots newest = new NewestSnapshots();

    SnapshotsListener(IncomingRecords records, InsightsView view, SignalsCatchUp signals) {
        this.records = records;
        this.view = view;
        this.signals = signals;
    }

    @Incoming("feature-adoption")
    void onAdoption(ConsumerRecord<String, byte[]> record) {
        if (newest.take(record)) {
            records.value(record, AdoptionRecord.class).ifPresent(view::apply);
        }
        signals.consumed(record);
    }

    @Incoming("feature-friction")
    void onFriction(ConsumerRecord<String, byte[]> record) {
        if (newest.take(record)) {
            records.value(record, FrictionRecord.class).ifPresent(view::apply);
        }
        signals.consumed(record);
    }

    @Incoming("feature-feedback")
    void onFeedback(ConsumerRecord<String, byte[]> record) {
        if (newest.take(record)) {
            records.value(record, FeatureFeedback.class).ifPresent(view::apply);
        }
        signals.consumed(record);
    }
}
