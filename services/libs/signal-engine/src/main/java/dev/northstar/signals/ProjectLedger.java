package dev.northstar.signals;

import dev.northstar.model.event.ProductEvent;
import dev.northstar.signals.dedup.SeenEvents;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A ledger of product events kept per project, each project with its dedup window: an eventId seen
 * again in a project is refused here, once, for every signal service (the engine counts it in
 * {@code northstar_events_duplicates}); the service counts only what is new. Saved as its fields:
 * {@code projects}, each with its {@code seen} window and the service's own state.
 *
 * @param <P> the service's state of one project
 * @param <T> the snapshot record type of the service's output topic
 */
public abstract class ProjectLedger<P extends ProjectLedger.Project, T> implements EventLedger<T> {

    /** What every project's state holds: the eventIds counted most recently (the dedup window). */
    public static class Project {
        final SeenEvents seen = new SeenEvents();
    }

    /** Every project of this partition, by id. */
    protected final Map<String, P> projects = new HashMap<>();
    private final transient Supplier<P> newProject;

    /** @param newProject the state of a project not seen before */
    protected ProjectLedger(Supplier<P> newProject) {
        this.newProject = newProject;
    }

    @Override
    public final boolean record(ProductEvent event) {
        P project = projects.computeIfAbsent(event.projectId(), id -> newProject.get());
        if (!project.seen.firstTime(event.eventId())) {
            return false;
        }
        count(event, project);
        return true;
    }

    /** Counts an event not counted before into its project's state. */
    protected abstract void count(ProductEvent event, P project);
}
