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
    private final java.util.concurrent.atomic.AtomicLong lookups = new java.util.concurrent.atomic.AtomicLong();
    /** Guarded by {@code lookups}: the question to the broker in flight, and the one its later callers wait for. */
    private CompletableFuture<Long> inFlight;
    private CompletableFuture<Long> nextRound;

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

    /**
     * Starts reading where the projects topic ends as the service starts, in the background, so that the
     * first requests find it known (a request waits for it at most {@link KeyAuthenticator#BROKER_WAIT}).
     */
    void onStart(@jakarta.enterprise.event.Observes io.quarkus.runtime.StartupEvent start) {
        projects.caughtUpWithin(Duration.ZERO);
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

    /**
     * Whether every record that was on the projects topic at startup has been read, without blocking
     * (see {@link TopicCatchUp#caughtUpWithin}); false when where it ends is not known within {@code wait}.
     */
    public CompletableFuture<Boolean> caughtUpWithin(Duration wait) {
        return projects.caughtUpWithin(wait);
    }

    /**
     * Completes once the registry is loaded, or fails with 503 (Retry-After {@code retryAfter}) when it is
     * not within {@link KeyAuthenticator#BROKER_WAIT}. Never blocks: for request handlers on event loops.
     */
    public io.smallrye.mutiny.Uni<Void> loaded(Duration retryAfter) {
        return io.smallrye.mutiny.Uni.createFrom().completionStage(caughtUpWithin(KeyAuthenticator.BROKER_WAIT))
                .chain(loaded -> loaded ? io.smallrye.mutiny.Uni.createFrom().voidItem()
                        : io.smallrye.mutiny.Uni.createFrom().failure(dev.northstar.platform.usecase.Refused.unavailable(
                                "The project registry is still loading; retry shortly.", retryAfter)));
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
     * the broker does not say): for request handlers on worker threads.
     */
    public boolean behindTopicEnd() {
        try {
            long end = endAfterNow().get(2, TimeUnit.SECONDS);
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
     * read from the broker after this question (without blocking); true when the broker cannot say.
     */
    public CompletableFuture<Boolean> behindTopicEndNow() {
        try {
            return endAfterNow().thenCompose(end -> applied >= end || knownTail(end) != null
                            ? CompletableFuture.completedFuture(behind(end))
                            : CompletableFuture.supplyAsync(() -> behind(end), TAIL_READER))
                    .exceptionally(failure -> true);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(true);
        }
    }

    /**
     * The topic's end as read by a question to the broker that starts after this call: a key created on
     * another instance before it was presented is on the topic by then, so the answer can never be a stale
     * 401. One question is in flight at a time; callers arriving meanwhile share the next one, which starts
     * when it ends: however many unknown keys arrive, the broker is asked at most once per round trip.
     */
    CompletableFuture<Long> endAfterNow() {
        synchronized (lookups) {
            if (inFlight != null && !inFlight.isDone()) {
                if (nextRound == null) {
                    nextRound = new CompletableFuture<>();
                }
                return nextRound;
            }
            inFlight = ask();
            return inFlight;
        }
    }

    private CompletableFuture<Long> ask() {
        lookups.incrementAndGet();
        CompletableFuture<Long> asked;
        try {
            asked = endNow();
        } catch (RuntimeException e) {
            asked = CompletableFuture.failedFuture(e);
        }
        asked.whenComplete((end, failure) -> {
            synchronized (lookups) {
                CompletableFuture<Long> waiting = nextRound;
                if (waiting == null) {
                    return;
                }
                // Its callers all arrived after the question that just ended started: a new one for them.
                nextRound = null;
                CompletableFuture<Long> again = ask();
                inFlight = again;
                again.whenComplete((e, f) -> {
                    if (f != null) {
                        waiting.completeExceptionally(f);
                    } else {
                        waiting.complete(e);
                    }
                });
            }
        });
        return asked;
    }

    /** Questions asked to the broker about the topic's end (tests). */
    long endLookups() {
        return lookups.get();
    }

    /** The end of the projects topic for a read_committed reader (after the last committed transaction), now. */
    private CompletableFuture<Long> endNow() {
        var partition = new TopicPartition(topic, 0);
        // A plain future: those derived from the Kafka client's refuse to be completed by their users (timeouts).
        CompletableFuture<Long> end = new CompletableFuture<>();
        admin().listOffsets(Map.of(partition, OffsetSpec.latest()),
                        new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).partitionResult(partition)
                .whenComplete((info, failure) -> {
                    if (failure != null) {
                        end.completeExceptionally(failure);
                    } else {
                        end.complete(info.offset());
                    }
                });
        return end;
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
