package dev.northstar.adoption.adapter.out.messaging;

import dev.northstar.adoption.application.AdoptionSignals;
import dev.northstar.kit.messaging.SnapshotSender;
import dev.northstar.model.snapshot.AdoptionRecord;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes adoption snapshots: what changed every publish interval, everything every republish interval. */
@ApplicationScoped
class AdoptionPublisher {

    private final AdoptionSignals signals;
    private final MutinyEmitter<AdoptionRecord> emitter;

    AdoptionPublisher(AdoptionSignals signals, @Channel("feature-adoption") MutinyEmitter<AdoptionRecord> emitter) {
        this.signals = signals;
        this.emitter = emitter;
    }

    @Scheduled(every = "{northstar.adoption.publish-interval}", delayed = "{northstar.adoption.publish-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void publishChanged() {
        try {
            SnapshotSender.sendAll(emitter, signals.drainChanged());
        } catch (RuntimeException e) {
            // Nothing may be lost: publish everything again on the next run.
            signals.markAllChanged();
            throw e;
        }
    }

    @Scheduled(every = "{northstar.adoption.republish-interval}", delayed = "{northstar.adoption.republish-interval}")
    void republishAll() {
        signals.markAllChanged();
    }
}
