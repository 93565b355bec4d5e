package dev.northstar.feedback;

import dev.northstar.feedback.domain.FeedbackLedger;
import dev.northstar.model.snapshot.FeatureFeedback;
import dev.northstar.model.event.ProductEvent;
import dev.northstar.signals.InputReader;
import dev.northstar.signals.LedgerJson;
import dev.northstar.signals.SignalDefinition;
import jakarta.inject.Singleton;

/** The feedback service, as the signal engine runs it: {@link FeedbackLedger}s (ratings and recent comments). */
@Singleton
public class FeedbackSignal extends SignalDefinition<ProductEvent, FeatureFeedback> {

    public FeedbackSignal() {
        super(InputReader.productEvents(), LedgerJson.codec(FeedbackLedger.class, FeedbackLedger::new));
    }
}
