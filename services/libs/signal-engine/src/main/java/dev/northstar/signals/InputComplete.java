package dev.northstar.signals;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * DOWN once this instance found input records deleted (by retention) before it could count them:
 * its numbers lack them, and nobody should take them for complete. The data names each partition
 * and how many records it lacks; the log and {@code northstar_input_records_lost} say the same. An
 * operator who accepts the loss (say, a retention chosen on purpose) sets
 * {@code northstar.signals.accept-lost-input=true}: then it stays UP, still with the data.
 */
@Readiness
@ApplicationScoped
class InputComplete implements HealthCheck {

    private final SignalEngine engine;
    private final boolean acceptLoss;

    InputComplete(SignalEngine engine,
                  @ConfigProperty(name = "northstar.signals.accept-lost-input", defaultValue = "false") boolean acceptLoss) {
        this.engine = engine;
        this.acceptLoss = acceptLoss;
    }

    @Override
    public HealthCheckResponse call() {
        var lost = engine.state().lostInput();
        var response = HealthCheckResponse.named("input complete").status(lost.isEmpty() || acceptLoss)
                .withData("lossAccepted", acceptLoss);
        lost.forEach((partition, records) -> response.withData(partition + " records lost", records));
        return response.build();
    }
}
