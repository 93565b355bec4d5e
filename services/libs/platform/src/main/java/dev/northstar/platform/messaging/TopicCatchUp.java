package dev.northstar.platform.messaging;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Knows whether a consumer that reads a whole topic from the beginning has read everything that
 * was on it when this instance started: where each partition's records end is read once, on the first
 * question ({@link TopicTail}: the offset after the last record a read_committed reader gets, so a
 * transaction's marker at the end does not keep it waiting), and compared with what the listener
 * reports as consumed. A partition with no record to read at that moment (empty, every record removed
 * by retention, or only markers and aborted records) counts as read, although no record will ever be
 * reported from it. The listener must read committed records only (isolation.level=read_committed), as
 * every Northstar reader does. Latches once caught up.
 */
public final class TopicCatchUp {

    private static final Logger LOG = Logger.getLogger(TopicCatchUp.class);

    private final String topic;
    private final Map<String, Object> clientConfig;
    private final Map<Integer, Long> consumed = new ConcurrentHashMap<>();
    private volatile Map<Integer, Long> target;
    private volatile boolean caughtUp;

    /** On the cluster {@code clientConfig} reaches (see {@code KafkaClients}: connection and security settings). */
    public TopicCatchUp(String topic, Map<String, Object> clientConfig) {
        this.topic = topic;
        this.clientConfig = Map.copyOf(clientConfig);
    }

    /** On an unsecured cluster at {@code bootstrapServers} (tests). */
    public TopicCatchUp(String topic, String bootstrapServers) {
        this(topic, Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
    }

    public String topic() {
        return topic;
    }

    /** Called by the listener for every record it has applied. */
    public void consumed(ConsumerRecord<?, ?> record) {
        consumed.merge(record.partition(), record.offset() + 1, Math::max);
    }

    /** Whether every record that was on the topic at the first question has been applied. Latches. */
    public boolean isCaughtUp() {
        if (caughtUp) {
            return true;
        }
        Map<Integer, Long> goal = target != null ? target : fetchTarget();
        if (goal == null) {
            return false;
        }
        caughtUp = goal.entrySet().stream().allMatch(e -> consumed.getOrDefault(e.getKey(), 0L) >= e.getValue());
        if (caughtUp) {
            LOG.infof("Caught up with %s (end offsets %s)", topic, goal);
        }
        return caughtUp;
    }

    /**
     * Whether every record that was on the topic at the first question has been applied, without ever
     * blocking the caller (for event loops): when where the topic ends is not known yet it is read on a
     * thread of its own (one read at a time, shared by every caller meanwhile), and waited for at most
     * {@code wait}; false when it is not known by then. Latches like {@link #isCaughtUp()}.
     */
    public CompletableFuture<Boolean> caughtUpWithin(Duration wait) {
        if (caughtUp) {
            return CompletableFuture.completedFuture(true);
        }
        if (target != null) {
            return CompletableFuture.completedFuture(isCaughtUp());
        }
        return readTarget().thenApply(goal -> goal != null && isCaughtUp())
                .completeOnTimeout(false, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The read of the target in flight, or a new one when none is or the last one failed. */
    private CompletableFuture<Map<Integer, Long>> readTarget() {
        synchronized (reading) {
            CompletableFuture<Map<Integer, Long>> current = reading[0];
            if (current == null || (current.isDone() && current.join() == null)) {
                current = CompletableFuture.supplyAsync(this::fetchTargetPatiently, READERS);
                reading[0] = current;
            }
            return current;
        }
    }

    /** {@link #fetchTarget()}, asking again every 200 ms for up to 5 s while it cannot be read (a topic just created). */
    private Map<Integer, Long> fetchTargetPatiently() {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Map<Integer, Long> goal = fetchTarget();
        while (goal == null && System.nanoTime() < until) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            goal = fetchTarget();
        }
        return goal;
    }

    /** The offsets to reach per partition, once they could be read (0 where there is nothing to read). */
    Optional<Map<Integer, Long>> target() {
        return Optional.ofNullable(target != null ? target : fetchTarget());
    }

    /**
     * The offsets to reach, read once: per partition the offset after its last record a reader sees
     * ({@link TopicTail}: a transaction's commit or abort marker after it is never reported as consumed, so
     * the end offset itself could never be reached), 0 where there is none. One consumer is kept until they
     * are read (a new one per attempt would open a new connection, with its TLS and SASL handshakes, every
     * time); failures are reported at most every 30 s, naming why.
     */
    private synchronized Map<Integer, Long> fetchTarget() {
        if (target != null) {
            return target;
        }
        try {
            if (tail == null) {
                tail = new TopicTail(clientConfig, "catch-up-" + topic);
            }
            var tails = tail.tails(topic, Duration.ofSeconds(3));
            if (tails.isEmpty()) {
                report("the topic is not known to the broker yet");
                return null;
            }
            target = tails.get().entrySet().stream().collect(Collectors.toUnmodifiableMap(
                    e -> e.getKey().partition(), e -> e.getValue().afterLastRecord()));
            tail.close();
            tail = null;
            return target;
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (RuntimeException e) {
            report(e.toString());
            return null;
        }
    }

    private void report(String why) {
        long now = System.nanoTime();
        if (reportedAt == 0 || now - reportedAt > TimeUnit.SECONDS.toNanos(30)) {
            reportedAt = now;
            LOG.infof("Cannot read the end of %s yet (%s); asking again", topic, why);
        }
    }

    private TopicTail tail;
    private long reportedAt;
    /** The asynchronous read of the target, if any; guarded by itself (never by {@code this}, which a blocking read holds). */
    @SuppressWarnings("unchecked")
    private final CompletableFuture<Map<Integer, Long>>[] reading = new CompletableFuture[1];

    /** Reads targets for callers that must not block; daemon threads, created when needed and dropped after a minute idle. */
    private static final java.util.concurrent.ExecutorService READERS = new java.util.concurrent.ThreadPoolExecutor(
            0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new java.util.concurrent.SynchronousQueue<>(), r -> {
                Thread thread = new Thread(r, "topic-catch-up");
                thread.setDaemon(true);
                return thread;
            });
}
