package dev.northstar.insights.adapter.in.messaging;

import dev.northstar.insights.application.InsightsView;
import dev.northstar.insights.application.SignalsCatchUp;
import dev.northstar.platform.messaging.IncomingRecords;
import dev.northstar.registry.ProjectRegistry;
import dev.northstar.registry.RegistryCatchUp;
import dev.northstar.model.project.ProjectEvent;
import dev.northstar.model.snapshot.AdoptionRecord;
import dev.northstar.model.snapshot.FeatureFeedback;
import dev.northstar.model.snapshot.FrictionRecord;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the compacted snapshot topics and the project registry into this instance's view. Every
 * instance reads everything (its own group, from the earliest offset), so any instance can
 * answer any query.
 */
@ApplicationScoped
class SnapshotsListener {

    private final IncomingRecords records;
    private final InsightsView view;
    private final ProjectRegistry registry;
    private final RegistryCatchUp catchUp;
    private final SignalsCatchUp signals;

    SnapshotsListener(IncomingRecords records, InsightsView view, ProjectRegistry registry, RegistryCatchUp catchUp,
                      SignalsCatchUp signals) {
        this.records = records;
        this.view = view;
        this.registry = registry;
        this.catchUp = catchUp;
        this.signals = signals;
    }

    @Incoming("feature-adoption")
    void onAdoption(ConsumerRecord<String, byte[]> record) {
        records.value(record, AdoptionRecord.class).ifPresent(view::apply);
        signals.consumed(record);
    }

    @Incoming("feature-friction")
    void onFriction(ConsumerRecord<String, byte[]> record) {
        records.value(record, FrictionRecord.class).ifPresent(view::apply);
        signals.consumed(record);
    }

    @Incoming("feature-feedback")
    void onFeedback(ConsumerRecord<String, byte[]> record) {
        records.value(record, FeatureFeedback.class).ifPresent(view::apply);
        signals.consumed(record);
    }

    @Incoming("projects")
    void onProject(ConsumerRecord<String, byte[]> record) {
        records.value(record, ProjectEvent.class).ifPresent(registry::apply);
        catchUp.consumed(record);
    }
}
