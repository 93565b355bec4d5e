package dev.northstar.adoption.application;

import dev.northstar.adoption.domain.AdoptionLedger;
import dev.northstar.kit.messaging.DeadLetters;
import dev.northstar.kit.messaging.IncomingRecords;
import dev.northstar.kit.signals.SignalState;
import dev.northstar.kit.store.PartitionStore;
import dev.northstar.model.snapshot.AdoptionRecord;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.time.Clock;

/** This instance's adoption state: a ledger per owned partition, fed by the events listener, saved by the store, drained by the publisher. */
@ApplicationScoped
public class AdoptionSignals {

    @Produces
    @ApplicationScoped
    SignalState<AdoptionRecord> state(PartitionStore store, IncomingRecords records, DeadLetters deadLetters, Clock clock,
                                      MeterRegistry meters) {
        return new SignalState<>("adoption", AdoptionLedger.CODEC, store, records, deadLetters, clock, meters);
    }
}
