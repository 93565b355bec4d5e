package dev.northstar.adoption.application;

import dev.northstar.adoption.domain.AdoptionLedger;
import dev.northstar.kit.messaging.DeadLetters;
import dev.northstar.kit.messaging.IncomingRecords;
import dev.northstar.kit.signals.SignalState;
import dev.northstar.model.snapshot.AdoptionRecord;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;

/** This instance's adoption state: one ledger, fed by the events listener, drained by the publisher. */
@ApplicationScoped
public class AdoptionSignals {

    @Produces
    @ApplicationScoped
    SignalState<AdoptionRecord> state(IncomingRecords records, DeadLetters deadLetters, Clock clock,
                                      MeterRegistry meters) {
        return new SignalState<>("adoption", new AdoptionLedger(), records, deadLetters, clock, meters);
    }
}
