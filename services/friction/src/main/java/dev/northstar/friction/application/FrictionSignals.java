package dev.northstar.friction.application;

import dev.northstar.friction.domain.FrictionLedger;
import dev.northstar.kit.messaging.DeadLetters;
import dev.northstar.kit.messaging.IncomingRecords;
import dev.northstar.kit.signals.SignalState;
import dev.northstar.kit.store.PartitionStore;
import dev.northstar.model.snapshot.FrictionRecord;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;

/** This instance's friction state: a ledger per owned partition, fed by the events listener, saved by the store, drained by the publisher. */
@ApplicationScoped
public class FrictionSignals {

    @Produces
    @ApplicationScoped
    SignalState<FrictionRecord> state(PartitionStore store, IncomingRecords records, DeadLetters deadLetters, Clock clock,
                                      MeterRegistry meters) {
        return new SignalState<>("friction", FrictionLedger.CODEC, store, records, deadLetters, clock, meters);
    }
}
