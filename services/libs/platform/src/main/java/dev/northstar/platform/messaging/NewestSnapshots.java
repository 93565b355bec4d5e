package dev.northstar.platform.messaging;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the newest snapshot per topic and key, by the version its publisher put in
 * {@link SnapshotSender#VERSION_HEADER}: a snapshot older than one already taken (published late
 * by an instance that has since lost the partition) is not taken, so numbers never go back. A
 * snapshot of the same version is taken (windows slide without new input); one without a version
 * is always taken.
 */
public final class NewestSnapshots {

    private final Map<String, Long> newest = new ConcurrentHashMap<>();

    /** Whether {@code record} is at least as new as any taken before for its topic and key; if so, remembers it. */
    public boolean take(ConsumerRecord<?, ?> record) {
        var version = SnapshotSender.version(record);
        if (version.isEmpty() || record.key() == null) {
            return true;
        }
        String key = record.topic() + '\u0000' + record.key();
        long v = version.getAsLong();
        boolean[] taken = {false};
        newest.compute(key, (k, previous) -> {
            if (previous == null || v >= previous) {
                taken[0] = true;
                return v;
            }
            return previous;
        });
        return taken[0];
    }
}
