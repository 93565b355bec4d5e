package dev.northstar.kit.dedup;

import java.util.HashSet;
import java.util.Set;

/**
 * The eventIds already counted for one project: an eventId seen again is counted once, however
 * it arrives. Kept inside each service's state so that it survives with it.
 */
public final class SeenEvents {

    private final Set<String> ids = new HashSet<>();
    private long duplicates;

    /** Records {@code eventId}; false when it was seen before (a duplicate, not to be counted). */
    public boolean firstTime(String eventId) {
        if (ids.add(eventId)) {
            return true;
        }
        duplicates++;
        return false;
    }

    public long duplicates() {
        return duplicates;
    }

    public int size() {
        return ids.size();
    }
}
