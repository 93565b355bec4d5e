package dev.northstar.ingest.application;

import dev.northstar.model.project.ProjectEvent;
import io.smallrye.mutiny.Uni;

/** Port: records a project change on the projects topic; completes once Kafka acknowledged it. */
public interface ProjectPublisher {

    Uni<Void> publish(ProjectEvent event);
}
