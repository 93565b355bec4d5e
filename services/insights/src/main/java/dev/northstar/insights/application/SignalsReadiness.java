package dev.northstar.insights.application;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Insights is ready once it has read the snapshot topics as they were when it started. */
@Readiness
@ApplicationScoped
class SignalsReadiness implements HealthCheck {

    private final SignalsCatchUp signals;

    SignalsReadiness(SignalsCatchUp signals) {
        this.signals = signals;
    }

    @Override
    public HealthCheckResponse call() {
        var loading = signals.loading();
        var response = HealthCheckResponse.named("signals loaded").status(loading.isEmpty());
        if (!loading.isEmpty()) {
            response.withData("still reading", String.join(", ", loading));
        }
        return response.build();
    }
}
