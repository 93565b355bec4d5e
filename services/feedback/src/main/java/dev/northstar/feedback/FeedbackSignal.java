package dev.northstar.feedback;

import dev.northstar.feedback.domain.FeedbackLedger;
import dev.northstar.model.snapshot.FeatureFeedback;
import dev.northstar.signals.EventLedger;
import dev.northstar.signals.LedgerJson;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The feedback service, as the signal engine runs it: events counted into {@link FeedbackLedger}s
 * (ratings and recent comments), saved as JSON. The engine does the rest (listener, state per
 * partition, store, dedup, dead letters, publishing to the topic in application.properties).
 */
@Dependent
public class FeedbackSignal {

    /** Ledgers made, saved and restored for the engine. */
    public static final EventLedger.Codec<FeatureFeedback> LEDGERS = LedgerJson.codec(FeedbackLedger.class, FeedbackLedger::new);

    @Produces
    @Singleton
    EventLedger.Codec<FeatureFeedback> ledgers() {
        return LEDGERS;
    }
}
