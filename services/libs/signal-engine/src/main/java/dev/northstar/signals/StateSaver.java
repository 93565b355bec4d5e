package dev.northstar.signals;

import dev.northstar.platform.messaging.MessagingReady;
import dev.northstar.signals.store.StoreConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

import java.time.Clock;
import java.time.Duration;

/**
 * Saves every changed partition state each {@code northstar.store.snapshot-interval} and on a
 * clean stop, then commits the offsets the checkpoints reflect to the consumer group (lag for
 * standard tools), and reports the service unhealthy when changed state has not been saved for
 * {@code northstar.store.max-unsaved-age} (disk full, read-only volume).
 */
@ApplicationScoped
@Liveness
@Readiness
public class StateSaver implements HealthCheck {

    private final SignalEngine engine;
    private final StoreConfig config;
    private final Clock clock;

    StateSaver(SignalEngine engine, StoreConfig config, Clock clock) {
        this.engine = engine;
        this.config = config;
        this.clock = clock;
    }

    /** Not before startup has finished: the state's dead letters and consumer are wired only then. */
    @Scheduled(every = "{northstar.store.snapshot-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = MessagingReady.class)
    void saveChanged() {
        engine.state().saveChanged();
        engine.state().commitCheckpoints();
    }

    void onStop(@Observes @Priority(1) ShutdownEvent event) {
        saveChanged();
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("state-store").withData("kind", config.kind().name());
        Duration unsaved = engine.state().unsavedFor(clock.instant()).orElse(Duration.ZERO);
        builder.withData("unsavedSeconds", unsaved.toSeconds());
        return unsaved.compareTo(config.maxUnsavedAge()) > 0 ? builder.down().build() : builder.up().build();
    }
}
