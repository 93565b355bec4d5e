package dev.northstar.friction;

import dev.northstar.friction.domain.FrictionLedger;
import dev.northstar.model.snapshot.FrictionRecord;
import dev.northstar.signals.EventLedger;
import dev.northstar.signals.LedgerJson;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The friction service, as the signal engine runs it: events counted into {@link FrictionLedger}s
 * (failures, attempts, error codes and funnel progress), saved as JSON. The engine does the rest (listener, state per
 * partition, store, dedup, dead letters, publishing to the topic in application.properties).
 */
@Dependent
public class FrictionSignal {

    /** Ledgers made, saved and restored for the engine. */
    public static final EventLedger.Codec<FrictionRecord> LEDGERS = LedgerJson.codec(FrictionLedger.class, FrictionLedger::new);

    @Produces
    @Singleton
    EventLedger.Codec<FrictionRecord> ledgers() {
        return LEDGERS;
    }
}
