package dev.northstar.adoption.application;

import dev.northstar.adoption.domain.AdoptionLedger;
import dev.northstar.model.event.ProductEvent;
import dev.northstar.model.snapshot.AdoptionRecord;
import dev.northstar.model.topic.Keyed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.util.List;

/** The adoption state of this instance: events in, snapshots out. Serializes access to the ledger. */
@ApplicationScoped
public class AdoptionSignals {

    private final AdoptionLedger ledger = new AdoptionLedger();
    private final Clock clock;
    private final Counter counted;
    private final Counter duplicates;

    public AdoptionSignals(Clock clock, MeterRegistry meters) {
        this.clock = clock;
        this.counted = meters.counter("northstar_events_counted", "service", "adoption");
        this.duplicates = meters.counter("northstar_events_duplicates", "service", "adoption");
    }

    public synchronized void record(ProductEvent event) {
        if (ledger.record(event)) {
            counted.increment();
        } else {
            duplicates.increment();
        }
    }

    public synchronized List<Keyed<AdoptionRecord>> drainChanged() {
        return ledger.drainChanged(clock.instant());
    }

    public synchronized void markAllChanged() {
        ledger.markAllChanged();
    }
}
