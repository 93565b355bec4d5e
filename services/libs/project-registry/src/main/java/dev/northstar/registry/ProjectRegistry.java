package dev.northstar.registry;

import dev.northstar.model.project.KeyHash;
import dev.northstar.model.project.ProjectEvent;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every project and the hashes of its current keys, as read back from
 * {@link dev.northstar.model.topic.Topics#PROJECTS}. Thread-safe; the latest record of a project wins, so a
 * rotation makes the old keys unknown.
 */
public final class ProjectRegistry {

    private record Entry(ProjectEvent.ProjectRegistered project) {
    }

    private final Map<String, Entry> projects = new ConcurrentHashMap<>();
    private final Map<String, String> projectByKeyId = new ConcurrentHashMap<>();

    /** Applies a record of the projects topic (idempotent). */
    public void apply(ProjectEvent event) {
        if (event instanceof ProjectEvent.ProjectRegistered registered) {
            Entry previous = projects.put(registered.projectId(), new Entry(registered));
            if (previous != null) {
                projectByKeyId.remove(previous.project().writeKey().keyId());
                projectByKeyId.remove(previous.project().readKey().keyId());
            }
            projectByKeyId.put(registered.writeKey().keyId(), registered.projectId());
            projectByKeyId.put(registered.readKey().keyId(), registered.projectId());
        }
    }

    /** The current registration of a project (hashes only). */
    public Optional<ProjectEvent.ProjectRegistered> find(String projectId) {
        return Optional.ofNullable(projects.get(projectId)).map(Entry::project);
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
