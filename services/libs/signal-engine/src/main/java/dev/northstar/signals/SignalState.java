package dev.northstar.signals;

import dev.northstar.platform.messaging.DeadLetters;
import dev.northstar.platform.messaging.IncomingRecords;
import dev.northstar.platform.messaging.SnapshotSender;
import dev.northstar.platform.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import dev.northstar.signals.store.PartitionStore;
import dev.northstar.model.snapshot.Sliced;
import dev.northstar.model.topic.Keyed;
import dev.northstar.model.topic.Topics;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;

/**
 * A signal service's state: one ledger per input partition this instance owns, each with the
 * offset it reflects. Around the ledgers it does what every signal service does: consume batches
 * of input records, read by the service's {@link InputReader} (dead-lettering what cannot be read,
 * dropping duplicates and records already reflected), save each partition's state with its offset
 * in the {@link PartitionStore}, and publish the snapshots of what changed, waiting for the broker's
 * acknowledgement.
 *
 * <p>Events are keyed by project and actor, so each partition holds disjoint actors (of any number
 * of projects): the ledgers never overlap, and each publishes its snapshots as its partition's slice. Access to the ledgers is serialized on this object; a save serializes a partition's state and
 * writes its file outside the lock (that partition's records wait meanwhile, the others are counted).
 */
public final class SignalState<I, T> implements PartitionedState {

    private static final Logger LOG = Logger.getLogger(SignalState.class);
    /** Batches (per partition) at least this large are parsed in parallel. */
    private static final int PARALLEL_PARSE_MIN = 64;
    /** How long a save waits for the dead letters it would cover (else it is left to the next one). */
    private static final Duration SAVE_DEAD_LETTER_WAIT = Duration.ofSeconds(2);
    /** Shorter on revocation: the rebalance waits for it. */
    private static final Duration REVOKE_DEAD_LETTER_WAIT = Duration.ofSeconds(5);

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
    private final Counter lostRecords;
    private final Counter rewinds;
    private final Counter erasedEvents;
    private final Counter rebuilds;
    private final Counter transfersSent;
    /** The erasures: their actors' events are never counted, and a state holding them is rebuilt without. */
    private final ErasureView erasures;
    private final Map<TopicPartition, Owned<I, T>> owned = new HashMap<>();
    /** Input records found deleted before they were read, per partition (reported, never hidden). */
    private final Map<TopicPartition, Long> lost = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile PartitionedState.InputPositions positions = PartitionedState.InputPositions.NONE;
    /** Whether the input topic has gaps between offsets by design (compacted): then a gap is no sign of trouble. */
    private final boolean gapsExpected;
    /** Whether the group has assigned this instance its partitions (perhaps none) at least once. */
    private volatile boolean assignedOnce;

    /**
     * Where a state's transfers go (ADR 0017): the events topic in a service ({@link Transfers}); nowhere
     * in tests of the engine alone.
     */
    public interface TransferSink {
        TransferSink NONE = new TransferSink() {
            @Override
            public void send(List<dev.northstar.model.event.ProductEvent> transfers) {
            }

            @Override
            public CompletableFuture<Void> flush() {
                return CompletableFuture.completedFuture(null);
            }
        };

        void send(List<dev.northstar.model.event.ProductEvent> transfers);

        /** Completes when everything sent so far is on its topic. */
        CompletableFuture<Void> flush();
    }

    private volatile TransferSink transfers = TransferSink.NONE;

    /** Where this state's transfers go (set once by the engine). */
    public void transfers(TransferSink sink) {
        this.transfers = sink;
    }

    private volatile Tracing tracing = Tracing.off();
    /**
     * Per partition, the span of the first traced batch applied since its snapshots were last drained:
     * the snapshots it changed are published as part of that trace.
     */
    private final Map<TopicPartition, SpanContext> traced = new java.util.concurrent.ConcurrentHashMap<>();

    /** Traces batches and their snapshots (set once by the engine; off until then). */
    public void tracing(Tracing tracing) {
        this.tracing = tracing;
    }

    private static final class Owned<I, T> {
        final Ledger<I, T> ledger;
        long nextOffset;
        long savedOffset;
        /**
         * Records before this offset were counted before, by a state whose transfers were sent: replaying
         * them sends nothing again (transfers are idempotent, but the events topic would grow with every
         * replay). The saved state's offset on restore, the group's committed offset on a rebuild.
         */
        long transfersFrom;
        /**
         * Its ledger is being serialized for a save, outside the lock: nothing touches the ledger until it
         * is done. Batches of the partition wait in {@link #deferred} (the consumer goes on with the other
         * partitions), a republish waits in {@link #markAllAfter}, the rest waits for the monitor.
         */
        boolean serializing;
        final List<Parsed<I, T>> deferred = new ArrayList<>();
        boolean markAllAfter;
        /** When the state first differed from what is saved; null while saved. */
        Instant unsavedSince;
        /**
         * Where the partition's records ended when it was assigned (after its last record, not after a
         * transaction's marker that follows it): until the state reflects everything before it,
         * it is still replaying, and publishing its snapshots would show numbers lower than those
         * already published. 0 once caught up (or when the end was not known).
         */
        long catchUpTo;
        /**
         * The offset the consumer was last asked to read again from, and where the batch that made it
         * ask started: when reading again from there brings the same first record, the offsets in
         * between hold no records (a transaction's commit or abort marker, an aborted transaction's
         * records) and nothing was lost. -1 when no rewind is pending.
         */
        long rewoundFrom = -1;
        long rewoundSawFirst = -1;
        /**
         * The write time (record timestamp, ms) of the oldest input counted since the partition's
         * snapshots were last drained, while caught up; Long.MAX_VALUE when none. Freshness is measured from it.
         */
        long oldestUnpublished = Long.MAX_VALUE;
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
        this(service, reader, codec, store, records, deadLetters, clock, meters, false);
    }

    public SignalState(String service, InputReader<I> reader, Ledger.Codec<I, T> codec, PartitionStore store,
                       IncomingRecords records, DeadLetters deadLetters, Clock clock, MeterRegistry meters,
                       boolean gapsExpected) {
        this(service, reader, codec, store, records, deadLetters, clock, meters, gapsExpected, ErasureView.NONE);
    }

    public SignalState(String service, InputReader<I> reader, Ledger.Codec<I, T> codec, PartitionStore store,
                       IncomingRecords records, DeadLetters deadLetters, Clock clock, MeterRegistry meters,
                       boolean gapsExpected, ErasureView erasures) {
        this.erasures = erasures;
        this.gapsExpected = gapsExpected;
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
        this.lostRecords = meters.counter("northstar_input_records_lost", "service", service);
        this.rewinds = meters.counter("northstar_input_rewinds", "service", service);
        this.erasedEvents = meters.counter("northstar_events_erased", "service", service);
        this.rebuilds = meters.counter("northstar_erasure_rebuilds", "service", service);
        this.transfersSent = meters.counter("northstar_identity_transfers", "service", service);
        meters.gauge("northstar_store_partitions_owned", owned, Map::size);
        io.micrometer.core.instrument.Gauge.builder("northstar_state_entries", this, SignalState::entries)
                .description("Entries the owned partitions' state holds: actors, linked ids, remembered event ids")
                .tag("service", service).register(meters);
        this.freshness = io.micrometer.core.instrument.Timer.builder("northstar_snapshot_freshness")
                .description("From the write of the oldest input a publish reflects to the broker's acknowledgement of it")
                .tag("service", service).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofMinutes(10))
                .register(meters);
    }

    private final io.micrometer.core.instrument.Timer freshness;

    @Override
    public void assigned(Collection<TopicPartition> partitions, Seeker seeker) {
        assignedOnce = true;
        for (TopicPartition partition : partitions) {
            Owned<I, T> state = load(partition);
            state.transfersFrom = state.nextOffset > 0 ? state.nextOffset
                    : seeker.committedOffset(partition).orElse(0L);
            long start = seeker.startOffset(partition).orElse(0L);
            if (state.nextOffset < start) {
                reportLost(partition, state.nextOffset, start);
                state.nextOffset = start;
                state.savedOffset = state.nextOffset == state.savedOffset ? start : state.savedOffset;
            }
            state.catchUpTo = seeker.recordsEnd(partition).orElse(0L);
            synchronized (this) {
                // Under the lock erase() takes: an erasure learnt meanwhile is either seen here or sees this state.
                if (needsRebuild(state.ledger)) {
                    LOG.infof("Partition %s: the saved state predates an erasure; rebuilding it without the erased",
                            partition);
                    state = rebuilt(state);
                }
                owned.put(partition, state);
                state.ledger.markAllChanged();
            }
            if (!state.caughtUp()) {
                LOG.infof("Partition %s: replaying from offset %d to %d before publishing its snapshots", partition,
                        state.nextOffset, state.catchUpTo);
            }
            if (state.nextOffset > 0) {
                seeker.seek(partition, state.nextOffset);
            } else {
                seeker.seekToBeginning(partition);
            }
        }
    }

    /** Records {@code [from, to)} of {@code partition} were deleted before this instance read them. */
    private void reportLost(TopicPartition partition, long from, long to) {
        long count = to - from;
        lost.merge(partition, count, Long::sum);
        lostRecords.increment(count);
        LOG.errorf("Partition %s: %d input records (offsets %d to %d) were deleted before they were read "
                + "(retention or a deletion); this instance's numbers do not include them", partition, count, from, to - 1);
    }

    /** The consumer this state asks to rewind and commit (set once the channel is up). */
    public void positions(PartitionedState.InputPositions positions) {
        this.positions = positions;
    }

    private Owned<I, T> load(TopicPartition partition) {
        Optional<PartitionStore.Checkpoint> saved = store.load(partition);
        if (saved.isPresent()) {
            try {
                Ledger<I, T> ledger = codec.restoreState(saved.get().state());
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
            dev.northstar.signals.store.StateBytes bytes = null;
            long offset = 0;
            synchronized (this) {
                awaitSerialized(owned.get(partition));
                Owned<I, T> state = owned.remove(partition);
                if (state != null && store.durable() && state.nextOffset != state.savedOffset) {
                    bytes = codec.saveState(state.ledger);
                    offset = state.nextOffset;
                }
            }
            if (bytes != null && deadLettersSent(REVOKE_DEAD_LETTER_WAIT)) {
                write(partition, offset, bytes);
            }
        }
    }

    /**
     * Whether every dead letter sent so far is on the dead-letter topic, waiting up to {@code timeout}:
     * a checkpoint never covers a record whose dead letter is not (it is kept for the next save; a
     * replay would dead-letter the record again, which is a duplicate letter, not a lost one).
     */
    private boolean deadLettersSent(Duration timeout) {
        try {
            CompletableFuture.allOf(deadLetters.flush(), transfers.flush())
                    .get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.TimeoutException e) {
            LOG.warnf("Dead letters or transfers not acknowledged within %d s: the state is not saved yet",
                    timeout.toSeconds());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (java.util.concurrent.ExecutionException e) {
            return false;
        }
    }

    @Override
    public synchronized void lost(Collection<TopicPartition> partitions) {
        partitions.forEach(owned::remove);
    }

    /**
     * Counts every readable record of a batch; each record that cannot be counted is dead-lettered.
     * Records are parsed outside the lock; they are applied once every dead letter of the parse is
     * on the dead-letter topic (so an offset never moves past a record whose dead letter was not
     * acknowledged), per partition under one lock, and only to the ownership of the partition they
     * were read under: a partition revoked (and perhaps assigned again) meanwhile is left to its
     * current state, which resumes from its own offset. The stage completes when the batch is applied.
     */
    public CompletionStage<Void> consume(ConsumerRecords<String, byte[]> batch) {
        CompletableFuture<Void> erasuresLoaded = erasures.loaded().toCompletableFuture();
        if (!erasuresLoaded.isDone()) {
            // Nothing is counted before every erasure is known: an erased actor is never counted, even once.
            return erasuresLoaded.thenCompose(loaded -> consume(batch));
        }
        List<Parsed<I, T>> parsed = new ArrayList<>(batch.partitions().size());
        long notOurs = 0;
        for (TopicPartition partition : batch.partitions()) {
            List<ConsumerRecord<String, byte[]>> records = batch.records(partition);
            Owned<I, T> owner;
            long from;
            synchronized (this) {
                owner = owned.get(partition);
                from = owner == null ? Long.MAX_VALUE : owner.nextOffset;
            }
            if (owner == null) {
                notOurs += records.size();
                continue;
            }
            parsed.add(new Parsed<>(partition, owner, records, parseAll(records, from)));
        }
        replayed.increment(notOurs);
        Span span = Span.getInvalid();
        List<TopicPartition> tracedPartitions = List.of();
        if (tracing.enabled()) {
            List<SpanContext> carried = new ArrayList<>();
            tracedPartitions = new ArrayList<>();
            for (Parsed<I, T> p : parsed) {
                List<SpanContext> inPartition = tracing.carried(p.records());
                if (!inPartition.isEmpty()) {
                    tracedPartitions.add(p.partition());
                    inPartition.stream().filter(c -> !carried.contains(c)).forEach(carried::add);
                }
            }
            if (!carried.isEmpty()) {
                span = tracing.processing(tracedPartitions.get(0).topic(), batch.count(), carried);
            }
        }
        Span batchSpan = span;
        List<TopicPartition> partitionsTraced = tracedPartitions;
        Runnable applyAll = () -> {
            parsed.forEach(this::apply);
            partitionsTraced.forEach(p -> traced.putIfAbsent(p, batchSpan.getSpanContext()));
            batchSpan.end();
        };
        CompletableFuture<Void> deadLettered = deadLetters.flush();
        if (deadLettered.isDone()) {
            applyAll.run();
            return CompletableFuture.completedFuture(null);
        }
        return deadLettered.thenRun(applyAll).whenComplete((done, failed) -> {
            if (failed != null) {
                batchSpan.end(); // not applied: the consumer reads the batch again
            }
        });
    }

    private record Parsed<I, T>(TopicPartition partition, Owned<I, T> owner,
                                List<ConsumerRecord<String, byte[]>> records, List<Optional<I>> inputs) {
    }

    private void apply(Parsed<I, T> batch) {
        // Tallied per batch: the meters are updated once, not per record.
        long countedNow = 0;
        long duplicatesNow = 0;
        long replayedNow = 0;
        long erasedNow = 0;
        synchronized (this) {
            Owned<I, T> state = owned.get(batch.partition());
            if (state == batch.owner() && state.serializing) {
                state.deferred.add(batch); // counted once the save has its copy of the state
                return;
            }
            if (state != batch.owner() || !followsOn(batch.partition(), state, batch.records())) {
                // Read under an ownership that has ended, or not following on from what the state reflects.
                replayed.increment(batch.records().size());
                return;
            }
            boolean live = state.caughtUp(); // a replay is not measured for freshness
            for (int i = 0; i < batch.records().size(); i++) {
                ConsumerRecord<String, byte[]> record = batch.records().get(i);
                if (record.offset() < state.nextOffset) {
                    // Already reflected in the state (fetched before the consumer was positioned).
                    replayedNow++;
                    continue;
                }
                Optional<I> input = batch.inputs().get(i);
                Erased verdict = input.isPresent() ? erased(state, input.get()) : Erased.NO;
                if (verdict == Erased.LINKS_ANOTHER) {
                    // An erased person's anonymous id, seen linked only now: what this partition counted of it
                    // before the link is counted no more. Read again from the start without it (the rest of
                    // this batch included).
                    LOG.infof("Partition %s: an erased person's anonymous id is linked at offset %d; rebuilding the "
                            + "partition's state from its start without it", batch.partition(), record.offset());
                    owned.put(batch.partition(), rebuilt(state));
                    positions.rewind(batch.partition(), 0);
                    erasedNow++;
                    break;
                }
                if (verdict == Erased.YES) {
                    erasedNow++;
                } else if (input.isPresent()) {
                    switch (count(state, record, input.get())) {
                        case COUNTED -> countedNow++;
                        case DUPLICATE -> duplicatesNow++;
                        case FAILED -> { } // dead-lettered
                    }
                    if (!pendingMarks.isEmpty()) {
                        ErasableLedger erasable = (ErasableLedger) state.ledger;
                        pendingMarks.forEach(p -> erasable.markErased(p, erasures.erasedIn(p)));
                        pendingMarks.clear();
                    }
                }
                moveOn(state, record.offset());
            }
            if (countedNow > 0 && live) {
                state.oldestUnpublished = Math.min(state.oldestUnpublished, batch.records().get(0).timestamp());
            }
        }
        counted.increment(countedNow);
        duplicates.increment(duplicatesNow);
        replayed.increment(replayedNow);
        erasedEvents.increment(erasedNow);
    }

    /** What the erasures say of one input. */
    private enum Erased {
        /** Counted. */
        NO,
        /** An erased person's: not counted. */
        YES,
        /**
         * A link of an anonymous id to an erased user, the anonymous id not yet erased here: the
         * partition, which may have counted it before the link, is rebuilt without it.
         */
        LINKS_ANOTHER
    }

    /**
     * Whether {@code input} is an erased person's event (never counted): an erased actor's, or that of an
     * anonymous id linked to an erased user (the whole person is erased, ADR 0014). Otherwise, when its
     * project has erasures the ledger does not yet say it reflects (a project it has not held before),
     * says so: from its first event on, the project is counted without them.
     */
    private Erased erased(Owned<I, T> state, I input) {
        if (!(input instanceof dev.northstar.model.event.ProductEvent event)
                || !(state.ledger instanceof ErasableLedger erasable)) {
            return Erased.NO;
        }
        Set<String> actors = erasures.erasedIn(event.projectId());
        if (actors.isEmpty()) {
            return Erased.NO; // (an anonymous id is erased here only with an erased user of its project)
        }
        boolean newProject = !erasable.holds(event.projectId());
        // What this partition's state reflects as erased: with the users, the anonymous ids linked to them.
        Set<String> linked = newProject ? Set.of() : erasable.erasedActors(event.projectId());
        // A link and a transfer carry the anonymous person too: erasing either id drops them.
        boolean carriesAnonymous = event.isTransfer() || event.type() == dev.northstar.model.event.EventType.USER_IDENTIFIED;
        boolean identify = event.type() == dev.northstar.model.event.EventType.USER_IDENTIFIED && !event.isTransfer();
        boolean erasedUser = identify && (actors.contains(event.userId()) || linked.contains(event.userId()));
        if (erasedUser && !actors.contains(event.anonymousId()) && !linked.contains(event.anonymousId())) {
            erasable.touch(event);
            erasable.markErased(event.projectId(), actors);
            erasable.markErasedWith(event.projectId(), event.anonymousId(), event.userId());
            // Nothing of the project counted here before: nothing of the anonymous id to take back.
            return newProject ? Erased.YES : Erased.LINKS_ANOTHER;
        }
        if (actors.contains(event.actor()) || linked.contains(event.actor()) || (carriesAnonymous
                && (actors.contains(event.anonymousId()) || linked.contains(event.anonymousId())))) {
            // Not counted; but the keys it touched are kept, so their snapshots are published (at zero if need be).
            erasable.touch(event);
            if (newProject) {
                erasable.markErased(event.projectId(), actors);
            }
            return Erased.YES;
        }
        if (newProject && !actors.isEmpty()) {
            // Counted first (which makes the project), then marked.
            pendingMarks.add(event.projectId());
        }
        return Erased.NO;
    }

    /** Projects first seen by the batch being applied, to mark with their erasures once counted. */
    private final Set<String> pendingMarks = new java.util.HashSet<>();

    /**
     * Erases {@code actorId} of {@code projectId}: every owned partition whose state holds the project
     * and does not yet reflect the erasure is rebuilt from the start of its input without the actor's
     * events (and without any other erased actor's). Its snapshots are held back until the rebuilt state
     * has caught up with where the old one was, then every key the old state had is published again:
     * with zero counts where only erased actors had contributed.
     */
    public synchronized void erase(String projectId, String actorId) {
        awaitNoneSerialized();
        for (Map.Entry<TopicPartition, Owned<I, T>> entry : new ArrayList<>(owned.entrySet())) {
            if (entry.getValue().ledger instanceof ErasableLedger erasable && erasable.holds(projectId)
                    && !erasable.erasedActors(projectId).contains(actorId)) {
                LOG.infof("Partition %s: erasing an actor of project %s; rebuilding the partition's state from its "
                        + "start without the erased", entry.getKey(), projectId);
                owned.put(entry.getKey(), rebuilt(entry.getValue()));
                positions.rewind(entry.getKey(), 0);
            }
        }
    }

    /** A partition that reflects an erasure: none of the person's events is counted in its state. */
    public record Reflected(int partition, int linkedIds) {
    }

    /**
     * The owned partitions whose state reflects the erasure of {@code actorId} in {@code projectId}: caught
     * up (not replaying, nor rebuilding) and either never holding the project or marked as without the
     * actor; with the anonymous ids each erased with the person.
     */
    public synchronized List<Reflected> reflecting(String projectId, String actorId) {
        List<Reflected> out = new ArrayList<>();
        for (Map.Entry<TopicPartition, Owned<I, T>> entry : owned.entrySet()) {
            Owned<I, T> state = entry.getValue();
            if (state.serializing || !state.caughtUp() || !(state.ledger instanceof ErasableLedger erasable)) {
                continue;
            }
            if (!erasable.holds(projectId)) {
                out.add(new Reflected(entry.getKey().partition(), 0));
            } else if (erasable.erasedActors(projectId).contains(actorId)) {
                int linked = (int) erasable.erasedWith(projectId).values().stream().filter(actorId::equals).count();
                out.add(new Reflected(entry.getKey().partition(), linked));
            }
        }
        return out;
    }

    /** Whether a ledger holds a project with an erasure it does not reflect. */
    private boolean needsRebuild(Ledger<I, T> ledger) {
        if (!(ledger instanceof ErasableLedger erasable)) {
            return false;
        }
        for (Map.Entry<String, Set<String>> project : erasures.all().entrySet()) {
            if (erasable.holds(project.getKey())
                    && !erasable.erasedActors(project.getKey()).containsAll(project.getValue())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A new state for a partition, to be rebuilt from offset 0 without the erased: it keeps every
     * snapshot key of {@code old} (so each is published again), reflects every erasure of its projects
     * known now, and holds its snapshots back until it has read as far as {@code old} had.
     */
    private Owned<I, T> rebuilt(Owned<I, T> old) {
        old.ledger.markAllChanged();
        List<Keyed<T>> keys = old.ledger.drainChanged(clock.instant());
        Ledger<I, T> fresh = codec.empty();
        ErasableLedger erasable = (ErasableLedger) fresh;
        keys.forEach(k -> erasable.keep(k.key()));
        ErasableLedger before = (ErasableLedger) old.ledger;
        erasable.projectIds().forEach(projectId -> {
            // The erased users, the anonymous ids erased with them here, and those the old state knew
            // linked to any of them: read again, none of their events is counted, before a link or after.
            Set<String> erased = new java.util.HashSet<>(erasures.erasedIn(projectId));
            erased.addAll(before.erasedActors(projectId));
            Map<String, String> with = new HashMap<>(before.erasedWith(projectId));
            with.putAll(before.linkedTo(projectId, erased));
            erasable.markErased(projectId, erased);
            with.forEach((anonymous, user) -> erasable.markErasedWith(projectId, anonymous, user));
        });
        Owned<I, T> rebuilt = new Owned<>(fresh, 0);
        rebuilt.transfersFrom = Math.max(old.nextOffset, old.transfersFrom);
        rebuilt.savedOffset = -1; // differs from what is saved, whatever its offset: saved again
        rebuilt.unsavedSince = clock.instant();
        rebuilt.catchUpTo = Math.max(old.nextOffset, old.catchUpTo);
        rebuilds.increment();
        return rebuilt;
    }

    /**
     * Whether a batch follows on from what the state reflects: its first record not yet reflected is
     * the next offset. If it starts later, the records in between were not read under this state
     * (a batch fetched before a rebalance, or records deleted by retention before they were read):
     * the batch is left and the consumer asked to read again from the next offset, which finds out
     * where the log starts ({@link #logStartsAt}). When the batch read again starts at the same record, the
     * offsets in between were no records (a transaction's markers) and the state goes on from it. On a
     * compacted input gaps are normal, never questioned.
     */
    private boolean followsOn(TopicPartition partition, Owned<I, T> state, List<ConsumerRecord<String, byte[]>> records) {
        if (gapsExpected) {
            return true;
        }
        long first = records.stream().mapToLong(ConsumerRecord::offset).filter(o -> o >= state.nextOffset)
                .findFirst().orElse(state.nextOffset);
        if (first == state.nextOffset) {
            state.rewoundFrom = -1;
            return true;
        }
        if (state.rewoundFrom == state.nextOffset && state.rewoundSawFirst == first) {
            // Read again from nextOffset, the log still has nothing before `first`: no records there to count
            // (transaction markers or aborted writes; records removed by retention were reported by logStartsAt).
            LOG.debugf("Partition %s: offsets %d to %d hold no records (transaction markers); going on from %d",
                    partition, state.nextOffset, first - 1, first);
            state.nextOffset = first;
            state.rewoundFrom = -1;
            return true;
        }
        LOG.warnf("Partition %s: a batch starts at offset %d but the state reflects everything before %d; "
                + "reading again from %d", partition, first, state.nextOffset, state.nextOffset);
        rewinds.increment();
        state.rewoundFrom = state.nextOffset;
        state.rewoundSawFirst = first;
        positions.rewind(partition, state.nextOffset);
        return false;
    }

    /**
     * Told by the consumer, reading {@code partition} again from {@code expectedNext}, that its log
     * now starts at {@code start}: the records before it are gone. Reported (metric, log, health), and
     * the state goes on from the start. Ignored if the state has moved on or changed owner meanwhile.
     */
    public synchronized void logStartsAt(TopicPartition partition, long expectedNext, long start) {
        Owned<I, T> state = owned.get(partition);
        if (state != null && state.nextOffset == expectedNext && start > expectedNext) {
            reportLost(partition, expectedNext, start);
            state.nextOffset = start;
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
            Counted counted = state.ledger.record(input) ? Counted.COUNTED : Counted.DUPLICATE;
            if (state.ledger instanceof ProjectLedger<?, ?> ledger) {
                List<dev.northstar.model.event.ProductEvent> out = ledger.drainTransfers();
                if (!out.isEmpty() && record.offset() >= state.transfersFrom) {
                    transfers.send(out);
                    transfersSent.increment(out.size());
                }
            }
            return counted;
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
        awaitSerialized(owned.get(partition));
        Owned<I, T> state = owned.computeIfAbsent(partition, p -> new Owned<>(codec.empty(), 0));
        if (state.ledger.record(input)) {
            counted.increment();
        } else {
            duplicates.increment();
        }
        if (state.ledger instanceof ProjectLedger<?, ?> ledger) {
            ledger.drainTransfers(); // no offset: nothing to send
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
        dev.northstar.signals.store.StateBytes bytes;
        long offset;
        Owned<I, T> saving;
        synchronized (this) {
            saving = owned.get(partition);
            if (!store.durable() || saving == null || saving.nextOffset == saving.savedOffset || saving.serializing) {
                return;
            }
            saving.serializing = true;
            offset = saving.nextOffset;
        }
        try {
            // Outside the lock: the other partitions are counted and published meanwhile.
            bytes = codec.saveState(saving.ledger);
        } finally {
            synchronized (this) {
                serialized(saving);
            }
        }
        if (deadLettersSent(SAVE_DEAD_LETTER_WAIT) && write(partition, offset, bytes)) {
            synchronized (this) {
                Owned<I, T> state = owned.get(partition);
                if (state != null) {
                    state.savedOffset = offset;
                    state.unsavedSince = state.nextOffset == offset ? null : clock.instant();
                }
            }
        }
    }

    /** A save has its copy of {@code state}: what waited for it goes on (under the lock). */
    private void serialized(Owned<I, T> state) {
        state.serializing = false;
        if (state.markAllAfter) {
            state.markAllAfter = false;
            state.ledger.markAllChanged();
        }
        List<Parsed<I, T>> waiting = new ArrayList<>(state.deferred);
        state.deferred.clear();
        notifyAll();
        waiting.forEach(this::apply); // each checks that its ownership still holds
    }

    /** Waits (releasing the lock) until no save is serializing {@code state}'s ledger. Call under the lock. */
    private void awaitSerialized(Owned<I, T> state) {
        while (state != null && state.serializing) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Waits until no save is serializing any owned ledger. Call under the lock. */
    private void awaitNoneSerialized() {
        while (owned.values().stream().anyMatch(s -> s.serializing)) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Commits to the consumer group, per owned partition, the offset its checkpoint reflects: the saved
     * one with the {@code json} store, the one counted up to with {@code memory} (after its dead letters
     * are on their topic). Standard tools then show the group's real lag. The state's own offsets stay
     * the truth on assignment; a failed commit is only a stale lag figure.
     */
    public void commitCheckpoints() {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        CompletableFuture<Void> sent;
        synchronized (this) {
            // Everything the offsets cover was sent (dead letters, transfers) before this point.
            sent = CompletableFuture.allOf(deadLetters.flush(), transfers.flush());
            owned.forEach((partition, state) -> {
                long offset = store.durable() ? state.savedOffset : state.nextOffset;
                if (offset > 0) {
                    offsets.put(partition, offset);
                }
            });
        }
        if (!sent.isDone() || sent.isCompletedExceptionally()) {
            return; // the next save commits
        }
        if (!offsets.isEmpty()) {
            positions.commit(offsets);
        }
    }

    private boolean write(TopicPartition partition, long offset, dev.northstar.signals.store.StateBytes bytes) {
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
    public void publishChanged(MutinyEmitter<? super T> emitter, String topic) {
        if (!SnapshotSender.ready(emitter)) {
            return;
        }
        Drained<T> drained = drain();
        var snapshots = drained.snapshots();
        try {
            SnapshotSender.sendVersioned(emitter, snapshots, tracing, topic);
            if (drained.oldestInput() != Long.MAX_VALUE) {
                freshness.record(Math.max(0, clock.millis() - drained.oldestInput()), java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        } catch (RuntimeException e) {
            markAllChanged();
            throw e;
        }
    }

    /**
     * The snapshots of everything that changed since the last drain, over the owned partitions that
     * have caught up; a partition still replaying keeps its changes until it has.
     */
    public List<Keyed<T>> drainChanged() {
        return drainChangedVersioned().stream().map(SnapshotSender.Versioned::snapshot).toList();
    }

    /** The same, each with its version: the offset of its partition the state reflects. */
    public List<SnapshotSender.Versioned<T>> drainChangedVersioned() {
        return drain().snapshots();
    }

    /** Drained snapshots, and the write time of the oldest input they reflect that was not published before. */
    private record Drained<T>(List<SnapshotSender.Versioned<T>> snapshots, long oldestInput) {
    }

    private synchronized Drained<T> drain() {
        Instant now = clock.instant();
        List<SnapshotSender.Versioned<T>> out = new ArrayList<>();
        long[] oldest = {Long.MAX_VALUE};
        owned.forEach((partition, state) -> {
            if (state.caughtUp() && !state.serializing) { // a partition being saved publishes next time
                oldest[0] = Math.min(oldest[0], state.oldestUnpublished);
                state.oldestUnpublished = Long.MAX_VALUE;
                SpanContext trace = traced.remove(partition);
                state.ledger.drainChanged(now).forEach(snapshot -> out.add(new SnapshotSender.Versioned<>(
                        slice(snapshot, partition.partition()), state.nextOffset, trace)));
            }
        });
        return new Drained<>(out, oldest[0]);
    }

    /** What the owned partitions' ledgers hold, in entries ({@link Ledger#entries()}). */
    private synchronized double entries() {
        long entries = 0;
        for (Owned<I, T> state : owned.values()) {
            if (!state.serializing) {
                entries += state.ledger.entries();
            }
        }
        return entries;
    }

    /**
     * A ledger's snapshot as the slice of the partition it was counted from: the events topic is keyed
     * by project and actor, so partitions hold disjoint actors and readers add the slices of a key up
     * (ADR 0015). Snapshots that are not {@link Sliced} go out as they are.
     */
    @SuppressWarnings("unchecked")
    private static <T> Keyed<T> slice(Keyed<T> snapshot, int partition) {
        if (snapshot.value() instanceof Sliced<?> sliced) {
            return new Keyed<>(Topics.sliceKey(snapshot.key(), partition), (T) sliced.inPartition(partition));
        }
        return snapshot;
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

    @Override
    public Map<TopicPartition, Long> lostInput() {
        return Map.copyOf(lost);
    }

    public synchronized void markAllChanged() {
        owned.values().forEach(state -> {
            if (state.serializing) {
                state.markAllAfter = true;
            } else {
                state.ledger.markAllChanged();
            }
        });
    }
}
