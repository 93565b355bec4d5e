package dev.northstar.notifier.adapter.in.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the alert loop has loaded the webhooks and joined its consumer group. */
@Readiness
@ApplicationScoped
class AlertLoopReadiness implements HealthCheck {

    private final AlertLoop loop;

    AlertLoopReadiness(AlertLoop loop) {
        this.loop = loop;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("alerts loop running").status(loop.isRunning()).build();
    }
}
