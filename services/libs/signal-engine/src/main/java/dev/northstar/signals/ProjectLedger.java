package dev.northstar.signals;

import dev.northstar.model.event.ProductEvent;
import dev.northstar.signals.dedup.SeenEvents;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
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
public abstract class ProjectLedger<P extends ProjectLedger.Project, T> implements EventLedger<T>, ErasableLedger {

    /**
     * What every project's state holds: the eventIds counted most recently (the dedup window), and the
     * actors whose erasure the state reflects.
     */
    public static class Project {
        final SeenEvents seen = new SeenEvents();
        final Set<String> erased = new HashSet<>();
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

    /**
     * Makes sure {@code project} has an entry for the snapshot key part {@code rest} (what follows
     * {@code projectId/} in the key; empty for a project-level key), empty if new, marked changed.
     */
    protected abstract void keep(P project, String projectId, String rest);

    /** Makes sure {@code project} has the entries {@code event} would count into, empty if new, marked changed. */
    protected abstract void touch(ProductEvent event, P project);

    @Override
    public final void touch(ProductEvent event) {
        touch(event, projects.computeIfAbsent(event.projectId(), id -> newProject.get()));
    }

    @Override
    public final boolean holds(String projectId) {
        return projects.containsKey(projectId);
    }

    @Override
    public final Set<String> projectIds() {
        return java.util.Collections.unmodifiableSet(projects.keySet());
    }

    @Override
    public final Set<String> erasedActors(String projectId) {
        P project = projects.get(projectId);
        return project == null ? Set.of() : java.util.Collections.unmodifiableSet(project.erased);
    }

    @Override
    public final void markErased(String projectId, Collection<String> actors) {
        P project = projects.get(projectId);
        if (project != null) {
            project.erased.addAll(actors);
        }
    }

    @Override
    public final void keep(String recordKey) {
        int slash = recordKey.indexOf(dev.northstar.model.topic.Topics.KEY_SEPARATOR);
        String projectId = slash < 0 ? recordKey : recordKey.substring(0, slash);
        String rest = slash < 0 ? "" : recordKey.substring(slash + 1);
        keep(projects.computeIfAbsent(projectId, id -> newProject.get()), projectId, rest);
    }
}
