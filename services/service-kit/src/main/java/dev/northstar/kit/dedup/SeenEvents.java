package dev.northstar.kit.dedup;

import java.util.Iterator;
import java.util.LinkedHashSet;

/**
 * The eventIds already counted for one project: an eventId seen again is counted once, however it
 * arrives. Kept inside each service's state so that it survives with it.
 *
 * <p>Bounded: a project remembers its last {@link #WINDOW} distinct eventIds. A duplicate that
 * arrives after more than that many newer distinct events of the same project would be counted
 * again. Producer retries and Kafka redeliveries come within seconds or minutes, orders of
 * magnitude inside the window; docs/adr/0005 explains the choice.
 */
public final class SeenEvents {

    /** Distinct eventIds remembered per project. */
    public static final int WINDOW = 100_000;

    private final LinkedHashSet<String> ids = new LinkedHashSet<>();
    private long duplicates;

    /** Records {@code eventId}; false when it was seen before (a duplicate, not to be counted). */
    public boolean firstTime(String eventId) {
        if (!ids.add(eventId)) {
            duplicates++;
            return false;
        }
        if (ids.size() > WINDOW) {
            Iterator<String> oldest = ids.iterator();
            oldest.next();
            oldest.remove();
        }
        return true;
    }

    public long duplicates() {
        return duplicates;
    }

    public int size() {
        return ids.size();
    }
}
