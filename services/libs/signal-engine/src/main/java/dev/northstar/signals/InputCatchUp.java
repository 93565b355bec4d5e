package dev.northstar.signals;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the consumer group has given this instance its partitions and every one of them has
 * been read up to where it ended when it was assigned (at once when the state was restored there).
 * Until then the service is replaying and holds back those partitions' snapshots, so nobody sees
 * numbers lower than were already published.
 */
@Readiness
@ApplicationScoped
class InputCatchUp implements HealthCheck {

    private final SignalEngine engine;

    InputCatchUp(SignalEngine engine) {
        this.engine = engine;
    }

    @Override
    public HealthCheckResponse call() {
        var state = engine.state();
        var behind = state.behind();
        var response = HealthCheckResponse.named("input caught up").status(state.assignedOnce() && behind.isEmpty())
                .withData("assigned", state.assignedOnce());
        behind.forEach((partition, records) -> response.withData(partition.toString(), records));
        return response.build();
    }
}
