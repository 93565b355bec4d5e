package dev.northstar.feedback.application;

import dev.northstar.feedback.domain.FeedbackLedger;
import dev.northstar.kit.messaging.DeadLetters;
import dev.northstar.kit.messaging.IncomingRecords;
import dev.northstar.kit.signals.SignalState;
import dev.northstar.model.snapshot.FeatureFeedback;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;

/** This instance's feedback state: one ledger, fed by the events listener, drained by the publisher. */
@ApplicationScoped
public class FeedbackSignals {

    @Produces
    @ApplicationScoped
    SignalState<FeatureFeedback> state(IncomingRecords records, DeadLetters deadLetters, Clock clock,
                                      MeterRegistry meters) {
        return new SignalState<>("feedback", new FeedbackLedger(), records, deadLetters, clock, meters);
    }
}
