package dev.northstar.friction;

import dev.northstar.friction.domain.FrictionLedger;
import dev.northstar.model.snapshot.FrictionRecord;
import dev.northstar.model.event.ProductEvent;
import dev.northstar.signals.InputReader;
import dev.northstar.signals.LedgerJson;
import dev.northstar.signals.SignalDefinition;
import jakarta.inject.Singleton;

/** The friction service, as the signal engine runs it: {@link FrictionLedger}s (failures, attempts, error codes, funnel progress). */
@Singleton
public class FrictionSignal extends SignalDefinition<ProductEvent, FrictionRecord> {

    public FrictionSignal() {
        super(InputReader.productEvents(), LedgerJson.codec(FrictionLedger.class, FrictionLedger::new));
    }
}
