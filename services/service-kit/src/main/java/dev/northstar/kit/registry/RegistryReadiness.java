package dev.northstar.kit.registry;

import io.quarkus.arc.properties.IfBuildProperty;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only once the project registry is loaded, in services that authenticate keys
 * ({@code northstar.registry.enabled=true} at build time: ingest and insights).
 */
@Readiness
@ApplicationScoped
@IfBuildProperty(name = "northstar.registry.enabled", stringValue = "true")
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
