package dev.northstar.signals;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What changed since the last publish, per project: the names (features, funnels) whose snapshot
 * must be published again. A project can be marked with no names (its project-level record
 * changed). Not thread-safe, like the ledgers that use it.
 */
public final class ChangedKeys {

    private Map<String, Set<String>> changed = new LinkedHashMap<>();

    /** Marks the project itself changed. */
    public void mark(String projectId) {
        changed.computeIfAbsent(projectId, p -> new LinkedHashSet<>());
    }

    /** Marks one name of a project changed. */
    public void mark(String projectId, String name) {
        changed.computeIfAbsent(projectId, p -> new LinkedHashSet<>()).add(name);
    }

    public void markAll(String projectId, Collection<String> names) {
        changed.computeIfAbsent(projectId, p -> new LinkedHashSet<>()).addAll(names);
    }

    /** Everything marked since the last drain, in marking order; the tracker starts empty again. */
    public Map<String, Set<String>> drain() {
        Map<String, Set<String>> drained = changed;
        changed = new LinkedHashMap<>();
        return drained;
    }
}
