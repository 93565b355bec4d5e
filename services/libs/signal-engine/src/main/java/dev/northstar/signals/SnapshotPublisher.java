package dev.northstar.signals;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Publishes the service's snapshots on the {@code snapshots} channel (its topic is the service's
 * one line of channel configuration): what changed every {@code northstar.signals.publish-interval}
 * (100 ms: an event shows in the query API within a quarter of a second; each changed key is
 * written at most once per interval), everything every {@code northstar.signals.republish-interval},
 * so 7- and 28-day windows slide even without new events. Quarkus's simple scheduler runs nothing
 * more often than once a second, so the publishing loop has a thread of its own.
 */
@ApplicationScoped
class SnapshotPublisher {

    private static final Logger LOG = Logger.getLogger(SnapshotPublisher.class);
    static final String CHANNEL = "snapshots";

    private final SignalEngine engine;
    private final MutinyEmitter<Object> emitter;
    private final String topic;
    private final Duration interval;
    private ScheduledExecutorService publisher;

    SnapshotPublisher(SignalEngine engine, @Channel(CHANNEL) MutinyEmitter<Object> emitter,
                      @ConfigProperty(name = "mp.messaging.outgoing." + CHANNEL + ".topic") String topic,
                      @ConfigProperty(name = "northstar.signals.publish-interval") Duration interval) {
        this.engine = engine;
        this.emitter = emitter;
        this.topic = topic;
        this.interval = interval;
    }

    /** Starts publishing once startup has finished (the channels are wired by then). */
    synchronized void start(@Observes @Priority(Integer.MAX_VALUE) StartupEvent event) {
        publisher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "northstar-publisher");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(10, interval.toMillis());
        publisher.scheduleWithFixedDelay(this::publishChanged, millis, millis, TimeUnit.MILLISECONDS);
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        if (publisher != null) {
            publisher.shutdownNow();
        }
    }

    void publishChanged() {
        try {
            engine.state().publishChanged(emitter, topic);
        } catch (RuntimeException e) {
            // Everything drained was marked changed again; the next run publishes it. Never stop the loop.
            LOG.warnf("Publishing %s failed; retrying in %s: %s", topic, interval, e.toString());
        }
    }

    @Scheduled(every = "{northstar.signals.republish-interval}", delayed = "{northstar.signals.republish-interval}")
    void republishAll() {
        engine.state().markAllChanged();
    }
}
