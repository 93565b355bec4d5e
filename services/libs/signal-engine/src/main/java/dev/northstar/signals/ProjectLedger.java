package dev.northstar.signals;

import dev.northstar.model.event.ProductEvent;
import dev.northstar.signals.dedup.SeenEvents;

import dev.northstar.model.event.EventType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A ledger of product events kept per project, each project with its dedup window: an eventId seen
 * again in a project is refused here, once, for every signal service (the engine counts it in
 * {@code northstar_events_duplicates}); the service counts only what is new. It also keeps the
 * project's identity links of this partition (ADR 0017): an anonymous id linked to a user counts as
 * that user, whose partition receives its person-level part as transferred events. Saved as its fields:
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
        /** The anonymous ids among {@link #erased} that were erased with their user, each with the user. */
        final Map<String, String> erasedWith = new HashMap<>();
        /**
         * The anonymous ids of this partition linked to a user ({@code user_identified} is keyed by its
         * anonymousId, so this partition decides each of its links: the first one counts).
         */
        final Map<String, String> links = new HashMap<>();
        /** {@code user_identified} events that tried to link an already linked anonymous id elsewhere. */
        long conflictingLinks;
    }

    /** How much of an event a ledger counts ({@link #count(ProductEvent, Project, Part)}). */
    public enum Part {
        /** Everything: the event of an actor counted on this partition. */
        ALL,
        /**
         * Only what counts events (uses, failures, ratings): an anonymous actor linked to a user counts as
         * that user on the user's partition; its person-level part goes there ({@link #transfers}).
         */
        EVENT,
        /** Only what counts people (active, distinct users, funnels): a transfer from another partition. */
        PERSON
    }

    /** Events to write to the events topic for other partitions: the person-level part of linked actors. */
    private final transient List<ProductEvent> outbox = new ArrayList<>();

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
        if (event.isTransfer()) {
            count(event, project, Part.PERSON);
            return true;
        }
        if (event.type() == EventType.USER_IDENTIFIED) {
            identify(event, project);
            return true;
        }
        String user = event.userId() == null ? project.links.get(event.anonymousId()) : null;
        if (user != null) {
            count(event, project, Part.EVENT);
            if (transfers(event.type())) {
                outbox.add(transfer(event, user, event.eventId()));
            }
            return true;
        }
        count(event, project, Part.ALL);
        return true;
    }

    /**
     * A link from an anonymous id to a user. The first for the anonymous id counts: its person-level
     * state here moves to the user's partition ({@link #moveOut}), and the identify itself goes there as
     * activity. A later one to the same user is activity only; one to another user is ignored and
     * counted ({@link #conflictingLinks()}).
     */
    private void identify(ProductEvent event, P project) {
        String anonymous = event.anonymousId();
        String known = project.links.get(anonymous);
        if (known != null && !known.equals(event.userId())) {
            project.conflictingLinks++;
            return;
        }
        if (known == null) {
            project.links.put(anonymous, event.userId());
            moveOut(project, event.projectId(), anonymous, event.userId()).forEach(outbox::add);
        }
        if (transfers(EventType.USER_IDENTIFIED)) {
            outbox.add(transfer(event, event.userId(), event.eventId()));
        }
    }

    /**
     * The person-level part of {@code event}, as an event of {@code user} for the user's partition: same
     * type, time and details, marked transferred, with an id of its own ({@code xfer:} + {@code id}).
     */
    protected static ProductEvent transfer(ProductEvent event, String user, String id) {
        return event.toBuilder().eventId("xfer:" + id).userId(user).transferred(true).properties(Map.of())
                .comment(null).build();
    }

    /** What the engine writes to the events topic since the last drain (the caller decides whether to send). */
    public final List<ProductEvent> drainTransfers() {
        if (outbox.isEmpty()) {
            return List.of();
        }
        List<ProductEvent> out = List.copyOf(outbox);
        outbox.clear();
        return out;
    }

    /** {@code user_identified} events that were ignored because their anonymous id was linked to another user. */
    public final long conflictingLinks() {
        return projects.values().stream().mapToLong(p -> p.conflictingLinks).sum();
    }

    /**
     * Counts the {@code part} of an event not counted before into its project's state. Services whose
     * numbers are all per event (feedback) count every part the same.
     */
    protected abstract void count(ProductEvent event, P project, Part part);

    /**
     * Whether this service carries the person-level part of events of {@code type} to a linked user's
     * partition. Exactly one service does for each type, so each transfer is written once: friction
     * for funnel steps (funnels are its), adoption for every other type (activity and feature users).
     */
    protected boolean transfers(EventType type) {
        return false;
    }

    /**
     * Takes everything person-level this state holds of {@code anonymous} out of it and answers it as
     * transferred events of {@code user} ({@link #transfer}); nothing when the service counts no people.
     */
    protected List<ProductEvent> moveOut(P project, String projectId, String anonymous, String user) {
        return List.of();
    }

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
    public final long entries() {
        long entries = 0;
        for (P project : projects.values()) {
            entries += project.seen.size() + project.links.size() + project.erased.size() + actors(project);
        }
        return entries;
    }

    /** The actors a project's own state keeps (0 unless the ledger keeps them). */
    protected long actors(P project) {
        return 0;
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
    public final Map<String, String> linkedTo(String projectId, Set<String> users) {
        P project = projects.get(projectId);
        if (project == null || users.isEmpty()) {
            return Map.of();
        }
        Map<String, String> linked = new HashMap<>();
        project.links.forEach((anonymous, user) -> {
            if (users.contains(user)) {
                linked.put(anonymous, user);
            }
        });
        return linked;
    }

    @Override
    public final void markErasedWith(String projectId, String anonymousId, String userId) {
        P project = projects.get(projectId);
        if (project != null) {
            project.erased.add(anonymousId);
            project.erasedWith.put(anonymousId, userId);
        }
    }

    @Override
    public final Map<String, String> erasedWith(String projectId) {
        P project = projects.get(projectId);
        return project == null ? Map.of() : java.util.Collections.unmodifiableMap(project.erasedWith);
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
