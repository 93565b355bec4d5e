package dev.northstar.signals;

import dev.northstar.platform.messaging.DeadLetters;
import dev.northstar.platform.messaging.IncomingRecords;
import dev.northstar.platform.messaging.SnapshotSender;
import dev.northstar.signals.store.PartitionStore;
import dev.northstar.model.topic.Keyed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.MutinyEmitter;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * A signal service's state: one ledger per input partition this instance owns, each with the
 * offset it reflects. Around the ledgers it does what every signal service does: consume batches
 * of input records, read by the service's {@link InputReader} (dead-lettering what cannot be read,
 * dropping duplicates and records already reflected), save each partition's state with its offset
 * in the {@link PartitionStore}, and publish the snapshots of what changed, waiting for the broker's
 * acknowledgement.
 *
 * <p>Inputs are keyed by project, so one partition holds whole projects and the ledgers never
 * overlap. Access to the ledgers is serialized on this object; files are written outside the lock.
 */
public final class SignalState<I, T> implements PartitionedState {

    private static final Logger LOG = Logger.getLogger(SignalState.class);
    /** Batches (per partition) at least this large are parsed in parallel. */
    private static final int PARALLEL_PARSE_MIN = 64;

    private final Ledger.Codec<I, T> codec;
    private final InputReader<I> reader;
    private final PartitionStore store;
    private final IncomingRecords records;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final Counter counted;
    private final Counter duplicates;
    private final Counter replayed;
    private final Counter saveFailures;
    private final Counter restored;
    private final Map<TopicPartition, Owned<I, T>> owned = new HashMap<>();
    /** Whether the group has assigned this instance its partitions (perhaps none) at least once. */
    private volatile boolean assignedOnce;

    private static final class Owned<I, T> {
        final Ledger<I, T> ledger;
        long nextOffset;
        long savedOffset;
        /** When the state first differed from what is saved; null while saved. */
        Instant unsavedSince;
        /**
         * The partition's end when it was assigned: until the state reflects everything before it,
         * it is still replaying, and publishing its snapshots would show numbers lower than those
         * already published. 0 once caught up (or when the end was not known).
         */
        long catchUpTo;

        Owned(Ledger<I, T> ledger, long nextOffset) {
            this.ledger = ledger;
            this.nextOffset = nextOffset;
            this.savedOffset = nextOffset;
        }

        /** Whether the state reflects the partition up to its end at assignment. Latches. */
        boolean caughtUp() {
            if (nextOffset >= catchUpTo) {
                catchUpTo = 0;
            }
            return catchUpTo == 0;
        }
    }

    public SignalState(String service, InputReader<I> reader, Ledger.Codec<I, T> codec, PartitionStore store,
                       IncomingRecords records,
                       DeadLetters deadLetters, Clock clock, MeterRegistry meters) {
        this.reader = reader;
        this.codec = codec;
        this.store = store;
        this.records = records;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.counted = meters.counter("northstar_events_counted", "service", service);
        this.duplicates = meters.counter("northstar_events_duplicates", "service", service);
        this.replayed = meters.counter("northstar_events_already_reflected", "service", service);
        this.saveFailures = meters.counter("northstar_store_save_failures", "service", service);
        this.restored = meters.counter("northstar_store_partitions_restored", "service", service);
        meters.gauge("northstar_store_partitions_owned", owned, Map::size);
    }

    @Override
    public void assigned(Collection<TopicPartition> partitions, Seeker seeker) {
        assignedOnce = true;
        for (TopicPartition partition : partitions) {
            Owned<I, T> state = load(partition);
            state.catchUpTo = seeker.endOffset(partition).orElse(0L);
            if (!state.caughtUp()) {
                LOG.infof("Partition %s: replaying from offset %d to %d before publishing its snapshots", partition,
                        state.nextOffset, state.catchUpTo);
            }
            synchronized (this) {
                owned.put(partition, state);
                state.ledger.markAllChanged();
            }
            if (state.nextOffset > 0) {
                seeker.seek(partition, state.nextOffset);
            } else {
                seeker.seekToBeginning(partition);
            }
        }
    }

    private Owned<I, T> load(TopicPartition partition) {
        Optional<PartitionStore.Checkpoint> saved = store.load(partition);
        if (saved.isPresent()) {
            try {
                Ledger<I, T> ledger = codec.restore(saved.get().state());
                restored.increment();
                LOG.infof("Partition %s: state restored, resuming at offset %d", partition, saved.get().nextOffset());
                return new Owned<>(ledger, saved.get().nextOffset());
            } catch (IOException | RuntimeException e) {
                LOG.warnf("Partition %s: saved state cannot be read (%s); rebuilding it from the log", partition,
                        e.toString());
            }
        } else if (store.durable()) {
            LOG.infof("Partition %s: no saved state; rebuilding it from the earliest offset", partition);
        }
        return new Owned<>(codec.empty(), 0);
    }

    @Override
    public void revoked(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            // Taken out and serialized in one step: no record can be counted between the two.
            byte[] bytes = null;
            long offset = 0;
            synchronized (this) {
                Owned<I, T> state = owned.remove(partition);
                if (state != null && store.durable() && state.nextOffset != state.savedOffset) {
                    bytes = codec.save(state.ledger);
                    offset = state.nextOffset;
                }
            }
            if (bytes != null) {
                write(partition, offset, bytes);
            }
        }
    }

    @Override
    public synchronized void lost(Collection<TopicPartition> partitions) {
        partitions.forEach(owned::remove);
    }

    /**
     * Counts every readable event of a batch; each record that cannot be counted is dead-lettered.
     * Records are parsed outside the lock, then applied per partition under one lock.
     */
    public void consume(ConsumerRecords<String, byte[]> batch) {
        for (TopicPartition partition : batch.partitions()) {
            List<ConsumerRecord<String, byte[]>> records = batch.records(partition);
            long from;
            synchronized (this) {
                Owned<I, T> state = owned.get(partition);
                from = state == null ? Long.MAX_VALUE : state.nextOffset;
            }
            List<Optional<I>> inputs = parseAll(records, from);
            // Tallied per batch: the meters are updated once, not per record.
            long countedNow = 0;
            long duplicatesNow = 0;
            long replayedNow = 0;
            synchronized (this) {
                Owned<I, T> state = owned.get(partition);
                for (int i = 0; i < records.size(); i++) {
                    ConsumerRecord<String, byte[]> record = records.get(i);
                    if (state == null || record.offset() < state.nextOffset || record.offset() < from) {
                        // Not ours any more, or already reflected in the state (fetched before a rebalance).
                        replayedNow++;
                        continue;
                    }
                    Optional<I> input = inputs.get(i);
                    if (input.isPresent()) {
                        switch (count(state, record, input.get())) {
                            case COUNTED -> countedNow++;
                            case DUPLICATE -> duplicatesNow++;
                            case FAILED -> { } // dead-lettered
                        }
                    }
                    moveOn(state, record.offset());
                }
            }
            counted.increment(countedNow);
            duplicates.increment(duplicatesNow);
            replayed.increment(replayedNow);
        }
    }

    private enum Counted { COUNTED, DUPLICATE, FAILED }

    /**
     * Parses and validates the records at or after {@code from}, in input order. Parsing is most of
     * the work and independent per record, so a large batch is parsed on the common fork-join pool
     * as well as this thread; counting stays sequential.
     */
    private List<Optional<I>> parseAll(List<ConsumerRecord<String, byte[]>> records, long from) {
        @SuppressWarnings("unchecked")
        Optional<I>[] inputs = new Optional[records.size()];
        IntStream indexes = IntStream.range(0, inputs.length);
        if (inputs.length >= PARALLEL_PARSE_MIN) {
            indexes = indexes.parallel();
        }
        indexes.forEach(i -> {
            ConsumerRecord<String, byte[]> record = records.get(i);
            inputs[i] = record.offset() < from ? Optional.empty() : parse(record);
        });
        return Arrays.asList(inputs);
    }

    private Optional<I> parse(ConsumerRecord<String, byte[]> record) {
        try {
            return reader.read(record, records);
        } catch (RuntimeException e) {
            deadLetters.send(record, DeadLetters.Reason.HANDLER_ERROR, e.toString());
            return Optional.empty();
        }
    }

    private Counted count(Owned<I, T> state, ConsumerRecord<String, byte[]> record, I input) {
        try {
            return state.ledger.record(input) ? Counted.COUNTED : Counted.DUPLICATE;
        } catch (RuntimeException e) {
            deadLetters.send(record, DeadLetters.Reason.HANDLER_ERROR, e.toString());
            return Counted.FAILED;
        }
    }

    private void moveOn(Owned<I, T> state, long offset) {
        state.nextOffset = offset + 1;
        if (state.unsavedSince == null) {
            state.unsavedSince = clock.instant();
        }
    }

    /** Counts one input straight into the ledger of its partition (tests and tools; no offset moves). */
    public synchronized void record(TopicPartition partition, I input) {
        Owned<I, T> state = owned.computeIfAbsent(partition, p -> new Owned<>(codec.empty(), 0));
        if (state.ledger.record(input)) {
            counted.increment();
        } else {
            duplicates.increment();
        }
    }

    @Override
    public void saveChanged() {
        if (!store.durable()) {
            return;
        }
        List<TopicPartition> partitions;
        synchronized (this) {
            partitions = new ArrayList<>(owned.keySet());
        }
        partitions.forEach(this::save);
    }

    private void save(TopicPartition partition) {
        byte[] bytes;
        long offset;
        synchronized (this) {
            Owned<I, T> state = owned.get(partition);
            if (!store.durable() || state == null || state.nextOffset == state.savedOffset) {
                return;
            }
            bytes = codec.save(state.ledger);
            offset = state.nextOffset;
        }
        if (write(partition, offset, bytes)) {
            synchronized (this) {
                Owned<I, T> state = owned.get(partition);
                if (state != null) {
                    state.savedOffset = offset;
                    state.unsavedSince = state.nextOffset == offset ? null : clock.instant();
                }
            }
        }
    }

    private boolean write(TopicPartition partition, long offset, byte[] bytes) {
        try {
            store.save(partition, new PartitionStore.Checkpoint(offset, bytes));
            return true;
        } catch (IOException | RuntimeException e) {
            saveFailures.increment();
            LOG.errorf("Partition %s: state at offset %d could not be saved (%s); the previous save stays in place",
                    partition, offset, e.toString());
            return false;
        }
    }

    @Override
    public synchronized Optional<Duration> unsavedFor(Instant now) {
        if (!store.durable()) {
            return Optional.empty();
        }
        return owned.values().stream().map(s -> s.unsavedSince).filter(java.util.Objects::nonNull)
                .min(Instant::compareTo).map(since -> Duration.between(since, now));
    }

    /**
     * Publishes the snapshots of what changed and waits for the broker. If that fails, everything is
     * marked changed again, so nothing is lost: the next run republishes it.
     */
    public void publishChanged(MutinyEmitter<? super T> emitter) {
        if (!SnapshotSender.ready(emitter)) {
            return;
        }
        var snapshots = drainChanged();
        try {
            SnapshotSender.sendAll(emitter, snapshots);
        } catch (RuntimeException e) {
            markAllChanged();
            throw e;
        }
    }

    /**
     * The snapshots of everything that changed since the last drain, over the owned partitions that
     * have caught up; a partition still replaying keeps its changes until it has.
     */
    public synchronized List<Keyed<T>> drainChanged() {
        Instant now = clock.instant();
        List<Keyed<T>> out = new ArrayList<>();
        owned.values().stream().filter(Owned::caughtUp).forEach(state -> out.addAll(state.ledger.drainChanged(now)));
        return out;
    }

    /** Whether this instance has had its first assignment (before it, it cannot know what it owns). */
    public boolean assignedOnce() {
        return assignedOnce;
    }

    @Override
    public synchronized Map<TopicPartition, Long> behind() {
        Map<TopicPartition, Long> behind = new HashMap<>();
        owned.forEach((partition, state) -> {
            if (!state.caughtUp()) {
                behind.put(partition, state.catchUpTo - state.nextOffset);
            }
        });
        return behind;
    }

    public synchronized void markAllChanged() {
        owned.values().forEach(state -> state.ledger.markAllChanged());
    }
}
