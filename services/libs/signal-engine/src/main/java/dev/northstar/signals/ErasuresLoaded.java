package dev.northstar.signals;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once every erasure recorded before the start is known: until then nothing is counted. */
@Readiness
@ApplicationScoped
class ErasuresLoaded implements HealthCheck {

    private final Erasures erasures;

    ErasuresLoaded(Erasures erasures) {
        this.erasures = erasures;
    }

    @Override
    public HealthCheckResponse call() {
        if (!erasures.isLoaded()) {
            erasures.checkLoaded(); // also here, not only on the scheduler's beat
        }
        return HealthCheckResponse.named("erasures loaded").status(erasures.isLoaded())
                .withData("projects with erasures", erasures.projects()).build();
    }
}
