package dev.northstar.registry;

import dev.northstar.model.topic.Topics;
import dev.northstar.platform.config.KafkaClients;
import dev.northstar.platform.messaging.TopicCatchUp;
import dev.northstar.platform.messaging.TopicTail;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Knows how far this instance has read the projects topic: whether it has read everything that was
 * on it when the instance started (until then a key it does not know may simply not be loaded yet:
 * the service is not ready, and such a key is answered 503, never 401), when it has read a given
 * record (a registration waits for its own record to come back), and whether the topic holds records
 * it has not read yet right now (a key created on another instance a moment ago).
 */
@ApplicationScoped
public class RegistryCatchUp {

    /** Unknown keys arriving within this of each other share one question to the broker. */
    private static final Duration END_CACHE = Duration.ofMillis(100);
    /** Reads the topic's tail off the event loop (rarely: once per end offset with records not applied). */
    private static final Executor TAIL_READER = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "registry-tail");
        thread.setDaemon(true);
        return thread;
    });

    private final String topic;
    private final TopicCatchUp projects;
    private final KafkaClients clients;
    /** Offset after the last record applied (the projects topic has one partition). */
    private volatile long applied;
    private final List<Waiter> waiters = new ArrayList<>();
    private Admin admin;
    private TopicTail tail;
    private volatile TopicTail.Tail lastTail;
    private long endAt = -1;
    private long endFetchedNanos;

    private record Waiter(long offset, CompletableFuture<Void> done) {
    }

    @jakarta.inject.Inject
    public RegistryCatchUp(KafkaClients clients) {
        this(clients, Topics.PROJECTS.name());
    }

    /** On another topic of one partition (tests). */
    RegistryCatchUp(KafkaClients clients, String topic) {
        this.clients = clients;
        this.topic = topic;
        this.projects = new TopicCatchUp(topic, clients.admin(Map.of()));
    }

    /** Called by the projects listener for every record it has applied. */
    public void consumed(ConsumerRecord<?, ?> record) {
        projects.consumed(record);
        synchronized (waiters) {
            applied = Math.max(applied, record.offset() + 1);
            waiters.removeIf(w -> {
                if (w.offset() < applied) {
                    w.done().complete(null);
                    return true;
                }
                return false;
            });
        }
    }

    /** Whether every record that was on the projects topic at startup has been read. Latches. */
    public boolean isCaughtUp() {
        return projects.isCaughtUp();
    }

    /** Completes once the record at {@code offset} of the projects topic has been applied to the registry. */
    public CompletableFuture<Void> applied(long offset) {
        synchronized (waiters) {
            if (offset < applied) {
                return CompletableFuture.completedFuture(null);
            }
            var waiter = new Waiter(offset, new CompletableFuture<>());
            waiters.add(waiter);
            return waiter.done();
        }
    }

    /**
     * The same as {@link #behindTopicEndNow()}, waiting for the answer (up to two seconds; true when
     * the broker does not say): for request handlers on worker threads. Answers within
     * {@code END_CACHE} of a previous question share its answer.
     */
    public boolean behindTopicEnd() {
        synchronized (this) {
            if (endAt >= 0 && System.nanoTime() - endFetchedNanos < END_CACHE.toNanos()) {
                return behind(endAt);
            }
        }
        long asked = System.nanoTime();
        try {
            long end = endNow().get(2, TimeUnit.SECONDS);
            synchronized (this) {
                endAt = end;
                endFetchedNanos = asked;
            }
            return behind(end);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } catch (Exception e) {
            return true;
        }
    }

    /**
     * Whether the projects topic holds records this instance has not applied, with the topic's end
     * read from the broker now (without blocking); true when the broker cannot say.
     */
    public CompletableFuture<Boolean> behindTopicEndNow() {
        try {
            return endNow().thenCompose(end -> applied >= end || knownTail(end) != null
                            ? CompletableFuture.completedFuture(behind(end))
                            : CompletableFuture.supplyAsync(() -> behind(end), TAIL_READER))
                    .exceptionally(failure -> true);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(true);
        }
    }

    /** The end of the projects topic for a read_committed reader (after the last committed transaction), now. */
    private CompletableFuture<Long> endNow() {
        var partition = new TopicPartition(topic, 0);
        return admin().listOffsets(Map.of(partition, OffsetSpec.latest()),
                        new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).partitionResult(partition)
                .toCompletionStage().toCompletableFuture().thenApply(ListOffsetsResult.ListOffsetsResultInfo::offset);
    }

    /**
     * Whether records before {@code end} are not applied yet. The end is one past the last offset, which
     * may be a transaction's marker that no reader ever applies: below the end, what counts is the last
     * record a reader sees ({@link TopicTail}), read once per end (blocking; never on an event loop).
     */
    private boolean behind(long end) {
        if (applied >= end) {
            return false;
        }
        TopicTail.Tail known = knownTail(end);
        if (known == null) {
            var partition = new TopicPartition(topic, 0);
            known = tail().tails(java.util.List.of(partition), Duration.ofSeconds(2)).get(partition);
            lastTail = known;
        }
        return applied < known.afterLastRecord();
    }

    /** The tail read last, if it was read at {@code end} or later (a later tail also holds for an earlier end). */
    private TopicTail.Tail knownTail(long end) {
        TopicTail.Tail known = lastTail;
        return known != null && known.end() >= end ? known : null;
    }

    private synchronized TopicTail tail() {
        if (tail == null) {
            tail = new TopicTail(clients.admin(Map.of()), "registry-catch-up");
        }
        return tail;
    }

    private synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(clients.admin(Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000,
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000)));
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
        if (tail != null) {
            tail.close();
        }
    }
}
