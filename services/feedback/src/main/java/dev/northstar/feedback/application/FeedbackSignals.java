package dev.northstar.feedback.application;

import dev.northstar.feedback.domain.FeedbackLedger;
import dev.northstar.kit.messaging.DeadLetters;
import dev.northstar.kit.messaging.IncomingRecords;
import dev.northstar.kit.signals.SignalState;
import dev.northstar.kit.store.PartitionStore;
import dev.northstar.model.snapshot.FeatureFeedback;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;

/** This instance's feedback state: a ledger per owned partition, fed by the events listener, saved by the store, drained by the publisher. */
@ApplicationScoped
public class FeedbackSignals {

    @Produces
    @ApplicationScoped
    SignalState<FeatureFeedback> state(PartitionStore store, IncomingRecords records, DeadLetters deadLetters, Clock clock,
                                      MeterRegistry meters) {
        return new SignalState<>("feedback", FeedbackLedger.CODEC, store, records, deadLetters, clock, meters);
    }
}
