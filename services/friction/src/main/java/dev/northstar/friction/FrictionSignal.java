package dev.northstar.friction;

import dev.northstar.friction.domain.ConversionWindows;
import dev.northstar.friction.domain.FrictionLedger;
import dev.northstar.model.snapshot.FrictionRecord;
import dev.northstar.model.event.ProductEvent;
import dev.northstar.signals.InputReader;
import dev.northstar.signals.LedgerJson;
import dev.northstar.signals.SignalDefinition;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/**
 * The friction service, as the signal engine runs it: {@link FrictionLedger}s (failures, attempts, error
 * codes, ordered funnels with their conversion windows from configuration).
 */
@Singleton
public class FrictionSignal extends SignalDefinition<ProductEvent, FrictionRecord> {

    /** With the default conversion window for every funnel (tests and tools). */
    public FrictionSignal() {
        this(ConversionWindows.DEFAULT);
    }

    @jakarta.inject.Inject
    public FrictionSignal(@ConfigProperty(name = "northstar.funnels.conversion-window-days", defaultValue = "7") int days,
                          @ConfigProperty(name = "northstar.funnels.conversion-window-days-by-funnel")
                          Optional<String> byFunnel) {
        this(ConversionWindows.parse(days, byFunnel));
    }

    public FrictionSignal(ConversionWindows windows) {
        // A restored ledger gets the configured windows: they are configuration, not state.
        super(InputReader.productEvents(), LedgerJson.codec(FrictionLedger.class, () -> new FrictionLedger(windows),
                restored -> restored.checkFormat().windows(windows)));
    }
}
