package dev.northstar.registry;

import dev.northstar.model.topic.Topics;
import dev.northstar.platform.config.KafkaClients;
import dev.northstar.platform.messaging.TopicCatchUp;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

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

    private final TopicCatchUp projects;
    private final KafkaClients clients;
    /** Offset after the last record applied (the projects topic has one partition). */
    private volatile long applied;
    private final List<Waiter> waiters = new ArrayList<>();
    private Admin admin;
    private long endAt = -1;
    private long endFetchedNanos;

    private record Waiter(long offset, CompletableFuture<Void> done) {
    }

    public RegistryCatchUp(KafkaClients clients) {
        this.clients = clients;
        this.projects = new TopicCatchUp(Topics.PROJECTS.name(), clients.admin(Map.of()));
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
                return applied < endAt;
            }
        }
        long asked = System.nanoTime();
        var partition = new TopicPartition(Topics.PROJECTS.name(), 0);
        try {
            long end = admin().listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
                    .get(2, java.util.concurrent.TimeUnit.SECONDS).offset();
            synchronized (this) {
                endAt = end;
                endFetchedNanos = asked;
            }
            return applied < end;
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
        var partition = new TopicPartition(Topics.PROJECTS.name(), 0);
        try {
            return admin().listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
                    .toCompletionStage().toCompletableFuture()
                    .thenApply(info -> applied < info.offset())
                    .exceptionally(failure -> true);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(true);
        }
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
    }
}
