package dev.northstar.platform.messaging;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Skips scheduled publishers until startup has finished, so that the beans holding emitters are
 * not created before Reactive Messaging has wired the channels (SRMSG00019 otherwise). Use it as
 * {@code @Scheduled(skipExecutionIf = MessagingReady.class)}.
 */
@Singleton
public class MessagingReady implements Scheduled.SkipPredicate {

    private volatile boolean started;

    /** Observed last of all startup observers: the messaging lifecycle has run by then. */
    void onStart(@Observes @Priority(Integer.MAX_VALUE) StartupEvent event) {
        started = true;
    }

    @Override
    public boolean test(ScheduledExecution execution) {
        return !started;
    }
}
