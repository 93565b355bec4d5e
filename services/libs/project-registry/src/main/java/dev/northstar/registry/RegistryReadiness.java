package dev.northstar.registry;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once the project registry is loaded: a service that depends on this module authenticates keys. */
@Readiness
@ApplicationScoped
public class RegistryReadiness implements HealthCheck {

    private final RegistryCatchUp catchUp;

    public RegistryReadiness(RegistryCatchUp catchUp) {
        this.catchUp = catchUp;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("project registry loaded").status(catchUp.isCaughtUp()).build();
    }
}
