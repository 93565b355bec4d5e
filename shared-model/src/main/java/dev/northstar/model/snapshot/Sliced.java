package dev.northstar.model.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.northstar.model.topic.Topics;

/**
 * A snapshot counted from one partition of {@link Topics#EVENTS}. Events are keyed by project and
 * actor, so the partitions hold disjoint actors and a project's numbers are the slices of every
 * partition added up (insights does; ADR 0015). The signal engine stamps the partition on what a
 * ledger drains; the record key carries it ({@link Topics#sliceKey}).
 *
 * @param <T> the record type itself
 */
public interface Sliced<T> {

    /** The events partition whose actors this counts; null on a record not (yet) stamped. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    Integer partition();

    /** This snapshot as the slice of {@code partition}. */
    T inPartition(int partition);

    /** The key of the snapshot this is a slice of ({@code projectId/feature}, ...), without the partition. */
    @JsonIgnore
    String snapshotKey();

    /** The key it is published under: the snapshot's key, and the partition once stamped. */
    static String recordKey(Sliced<?> slice) {
        return slice.partition() == null ? slice.snapshotKey() : Topics.sliceKey(slice.snapshotKey(), slice.partition());
    }
}
