package dev.northstar.adoption;

import dev.northstar.adoption.adapter.out.store.BitmapJson;
import dev.northstar.adoption.domain.AdoptionLedger;
import dev.northstar.model.snapshot.AdoptionRecord;
import dev.northstar.signals.EventLedger;
import dev.northstar.signals.LedgerJson;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The adoption service, as the signal engine runs it: events counted into {@link AdoptionLedger}s,
 * saved as JSON with their daily bitmaps. The engine does the rest (listener, state per partition,
 * store, dedup, dead letters, publishing to the topic in application.properties).
 */
@Dependent
public class AdoptionSignal {

    /** Ledgers made, saved and restored for the engine. */
    public static final EventLedger.Codec<AdoptionRecord> LEDGERS =
            LedgerJson.codec(AdoptionLedger.class, AdoptionLedger::new, BitmapJson.MODULE);

    @Produces
    @Singleton
    EventLedger.Codec<AdoptionRecord> ledgers() {
        return LEDGERS;
    }
}
