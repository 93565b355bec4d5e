package dev.northstar.platform.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Clock;
import java.time.Duration;

/**
 * DOWN while a dead letter has waited more than {@value #PATIENCE_SECONDS} s for the dead-letter topic:
 * the consumer that sent it is paused (it moves past a bad record only once its letter is on the
 * topic), and says so here with how many letters wait and for how long.
 */
@Readiness
@ApplicationScoped
public class DeadLettersReady implements HealthCheck {

    static final long PATIENCE_SECONDS = 10;

    private final DeadLetters deadLetters;
    private final Clock clock;

    DeadLettersReady(DeadLetters deadLetters, Clock clock) {
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    @Override
    public HealthCheckResponse call() {
        var waiting = deadLetters.waiting();
        long seconds = waiting.oldestSince().map(since -> Duration.between(since, clock.instant()).toSeconds()).orElse(0L);
        return HealthCheckResponse.named("dead letters").status(seconds <= PATIENCE_SECONDS)
                .withData("waiting", waiting.letters()).withData("oldestWaitingSeconds", seconds).build();
    }
}
