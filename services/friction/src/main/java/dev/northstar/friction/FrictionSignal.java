package dev.northstar.friction;

import dev.northstar.friction.domain.ConversionWindows;
import dev.northstar.friction.domain.FrictionLedger;
import dev.northstar.model.snapshot.FrictionRecord;
import dev.northstar.model.event.ProductEvent;
import dev.northstar.signals.InputReader;
import dev.northstar.signals.Ledger;
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
        super(InputReader.productEvents(), withWindows(
                LedgerJson.codec(FrictionLedger.class, () -> new FrictionLedger(windows)), windows));
    }

    /** The json codec, giving a restored ledger the configured windows (they are configuration, not state). */
    private static Ledger.Codec<ProductEvent, FrictionRecord> withWindows(Ledger.Codec<ProductEvent, FrictionRecord> json,
                                                                          ConversionWindows windows) {
        return new Ledger.Codec<>() {
            @Override
            public Ledger<ProductEvent, FrictionRecord> empty() {
                return json.empty();
            }

            @Override
            public byte[] save(Ledger<ProductEvent, FrictionRecord> ledger) {
                return json.save(ledger);
            }

            @Override
            public Ledger<ProductEvent, FrictionRecord> restore(byte[] bytes) throws java.io.IOException {
                return ((FrictionLedger) json.restore(bytes)).checkFormat().windows(windows);
            }

            @Override
            public dev.northstar.signals.store.StateBytes saveState(Ledger<ProductEvent, FrictionRecord> ledger) {
                return json.saveState(ledger);
            }

            @Override
            public Ledger<ProductEvent, FrictionRecord> restoreState(dev.northstar.signals.store.StateBytes state)
                    throws java.io.IOException {
                return ((FrictionLedger) json.restoreState(state)).checkFormat().windows(windows);
            }
        };
    }
}
