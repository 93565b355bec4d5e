package dev.northstar.registry;

import dev.northstar.model.project.KeyHash;
import dev.northstar.model.project.ProjectEvent;

import dev.northstar.model.topic.Topics;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every project and the hashes of its current keys, as read back from
 * {@link dev.northstar.model.topic.Topics#PROJECTS} in log order, so every instance that has read
 * the same records holds the same registry. Thread-safe. The rules
 * ({@link ProjectEvent.ProjectRegistered}): the first creation of an id counts, a later one for the
 * same id is refused; a rotation counts only if it replaces the current write key (or if the record
 * it replaced is gone, compacted away); records keyed by the bare project id (before per-registration
 * keys) replace what was there.
 */
public final class ProjectRegistry {

    /** What applying a record did. */
    public enum Outcome {
        /** The registry now holds it. */
        APPLIED,
        /** It already held exactly this registration (a record read twice). */
        ALREADY_APPLIED,
        /** It lost: a creation for an id that exists, or a rotation of keys that were no longer current. */
        REFUSED
    }

    private record Entry(ProjectEvent.ProjectRegistered project, String recordKey) {
    }

    private final Map<String, Entry> projects = new ConcurrentHashMap<>();
    private final Map<String, String> projectByKeyId = new ConcurrentHashMap<>();

    /** Each project's declared features, by name, in name order. */
    private final Map<String, java.util.NavigableMap<String, ProjectEvent.FeatureDeclared>> catalogue =
            new ConcurrentHashMap<>();
    private final Map<String, ProjectEvent.SettingsChanged> settings = new ConcurrentHashMap<>();

    /** Applies a record of the projects topic, keyed {@code recordKey}. Idempotent. */
    public synchronized Outcome apply(String recordKey, ProjectEvent event) {
        if (event instanceof ProjectEvent.FeatureDeclared declared) {
            if (recordKey != null && !recordKey.equals(Topics.declarationKey(declared.projectId(), declared.feature()))) {
                return Outcome.REFUSED; // keyed unlike its body: compaction would keep the wrong one
            }
            catalogue.computeIfAbsent(declared.projectId(), p -> new java.util.concurrent.ConcurrentSkipListMap<>())
                    .put(declared.feature(), declared);
            return Outcome.APPLIED;
        }
        if (event instanceof ProjectEvent.SettingsChanged changed) {
            if (recordKey != null && !recordKey.equals(Topics.settingsKey(changed.projectId()))) {
                return Outcome.REFUSED;
            }
            settings.put(changed.projectId(), changed);
            return Outcome.APPLIED;
        }
        if (!(event instanceof ProjectEvent.ProjectRegistered registered)) {
            return Outcome.REFUSED;
        }
        Entry current = projects.get(registered.projectId());
        if (current != null && current.project().writeKey().keyId().equals(registered.writeKey().keyId())) {
            return Outcome.ALREADY_APPLIED;
        }
        boolean legacy = recordKey == null || !recordKey.contains(Topics.KEY_SEPARATOR);
        boolean counts = legacy
                || (registered.replaces() == null ? current == null
                : current == null || current.project().writeKey().keyId().equals(registered.replaces()));
        if (!counts) {
            return Outcome.REFUSED;
        }
        projects.put(registered.projectId(), new Entry(registered, recordKey));
        if (current != null) {
            projectByKeyId.remove(current.project().writeKey().keyId());
            projectByKeyId.remove(current.project().readKey().keyId());
        }
        projectByKeyId.put(registered.writeKey().keyId(), registered.projectId());
        projectByKeyId.put(registered.readKey().keyId(), registered.projectId());
        return Outcome.APPLIED;
    }

    /**
     * Applies a tombstone of the projects topic: a declaration's removes it (other keys' tombstones
     * are retractions of registrations that never counted, and change nothing).
     */
    public synchronized void remove(String recordKey) {
        if (recordKey == null) {
            return;
        }
        String[] parts = recordKey.split(Topics.KEY_SEPARATOR, 3);
        if (parts.length == 3 && parts[1].equals("features")) {
            var features = catalogue.get(parts[0]);
            if (features != null) {
                features.remove(parts[2]);
            }
        }
    }

    /** A project's declared features, in name order. */
    public java.util.List<ProjectEvent.FeatureDeclared> declaredFeatures(String projectId) {
        var features = catalogue.get(projectId);
        return features == null ? java.util.List.of() : java.util.List.copyOf(features.values());
    }

    /** One declared feature of a project. */
    public Optional<ProjectEvent.FeatureDeclared> declared(String projectId, String feature) {
        return Optional.ofNullable(catalogue.get(projectId)).map(features -> features.get(feature));
    }

    /** How a project treats events for undeclared features: open unless set otherwise. */
    public ProjectEvent.CatalogueMode catalogueMode(String projectId) {
        var current = settings.get(projectId);
        return current == null || current.catalogue() == null ? ProjectEvent.CatalogueMode.OPEN : current.catalogue();
    }

    /** The key of the record the current registration of a project was read from. */
    public Optional<String> recordKeyOf(String projectId) {
        return Optional.ofNullable(projects.get(projectId)).map(Entry::recordKey);
    }

    /** The current registration of a project (hashes only). */
    public Optional<ProjectEvent.ProjectRegistered> find(String projectId) {
        return Optional.ofNullable(projects.get(projectId)).map(Entry::project);
    }

    /** Every project's current registration (hashes only), by project id. */
    public java.util.List<ProjectEvent.ProjectRegistered> all() {
        return projects.values().stream().map(Entry::project)
                .sorted(java.util.Comparator.comparing(ProjectEvent.ProjectRegistered::projectId)).toList();
    }

    public boolean exists(String projectId) {
        return projects.containsKey(projectId);
    }

    public int size() {
        return projects.size();
    }

    /**
     * The project a key belongs to, when the key is a current key of that role. Keys of the
     * other role, unknown keys and rotated keys are all refused the same way.
     */
    public Optional<String> authenticate(String key, KeyRole role) {
        return ProjectKeys.parse(key, role).flatMap(parsed -> {
            String projectId = projectByKeyId.get(parsed.keyId());
            if (projectId == null) {
                return Optional.empty();
            }
            Entry entry = projects.get(projectId);
            if (entry == null) {
                return Optional.empty();
            }
            KeyHash stored = role == KeyRole.WRITE ? entry.project().writeKey() : entry.project().readKey();
            if (!stored.keyId().equals(parsed.keyId()) || !ProjectKeys.matches(stored, parsed.secret())) {
                return Optional.empty();
            }
            return Optional.of(projectId);
        });
    }
}
