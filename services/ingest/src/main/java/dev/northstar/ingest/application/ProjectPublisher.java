package dev.northstar.ingest.application;

import dev.northstar.model.project.ProjectEvent;
import io.smallrye.mutiny.Uni;

/** Port: records project changes on the projects topic. */
public interface ProjectPublisher {

    /** Publishes {@code event} under {@code key}; completes with the record's offset once Kafka acknowledged it. */
    Uni<Long> publish(String key, ProjectEvent event);

    /**
     * Publishes a tombstone for {@code key}: compaction then removes the record that had it; completes
     * with the tombstone's offset once Kafka acknowledged it.
     */
    Uni<Long> retract(String key);
}
