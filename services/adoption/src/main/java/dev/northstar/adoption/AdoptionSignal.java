package dev.northstar.adoption;

import dev.northstar.adoption.adapter.out.store.BitmapJson;
import dev.northstar.adoption.domain.AdoptionLedger;
import dev.northstar.model.snapshot.AdoptionRecord;
import dev.northstar.model.event.ProductEvent;
import dev.northstar.signals.InputReader;
import dev.northstar.signals.LedgerJson;
import dev.northstar.signals.SignalDefinition;
import jakarta.inject.Singleton;

/** The adoption service, as the signal engine runs it: {@link AdoptionLedger}s, saved with their daily and weekly bitmaps (an
 * older form of state is refused and its partition rebuilt). */
@Singleton
public class AdoptionSignal extends SignalDefinition<ProductEvent, AdoptionRecord> {

    public AdoptionSignal() {
        super(InputReader.productEvents(), LedgerJson.codec(AdoptionLedger.class, AdoptionLedger::empty,
                AdoptionLedger::checkFormat, BitmapJson.MODULE));
    }
}
