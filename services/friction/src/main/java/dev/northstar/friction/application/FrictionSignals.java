package dev.northstar.friction.application;

import dev.northstar.friction.domain.FrictionLedger;
import dev.northstar.kit.messaging.DeadLetters;
import dev.northstar.kit.messaging.IncomingRecords;
import dev.northstar.kit.signals.SignalState;
import dev.northstar.model.snapshot.FrictionRecord;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;

/** This instance's friction state: one ledger, fed by the events listener, drained by the publisher. */
@ApplicationScoped
public class FrictionSignals {

    @Produces
    @ApplicationScoped
    SignalState<FrictionRecord> state(IncomingRecords records, DeadLetters deadLetters, Clock clock,
                                      MeterRegistry meters) {
        return new SignalState<>("friction", new FrictionLedger(), records, deadLetters, clock, meters);
    }
}
