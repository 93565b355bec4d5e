package dev.northstar.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.northstar.model.event.EventValidator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Sends product events to Northstar's ingest ({@code POST /v1/events}) from any JVM app: each call
 * validates the event with the server's own rules (an invalid one is refused at once, with the
 * server's message), gives it an id and puts it on a bounded queue; one background thread sends
 * batches and retries them — with exponential backoff and jitter, after {@code Retry-After} on 429
 * and 503, never on other 4xx — with the same event ids, so the server counts a retried event once.
 * Events the server rejects, or that could not be delivered within the retry budget, go to the
 * {@link Builder#onRejected} callback. {@link #flush} and {@link #close} wait for what was sent
 * before them. Thread-safe.
 *
 * <pre>{@code
 * try (Northstar northstar = Northstar.builder(URI.create("https://ingest.example.com"), writeKey).build()) {
 *     northstar.featureUsed(Actor.user("u-42"), "export-csv");
 * }
 * }</pre>
 */
public final class Northstar implements AutoCloseable {

    /** The most events ingest takes in one request. */
    public static final int MAX_BATCH_EVENTS = 500;
    /** The largest request body ingest takes. */
    public static final int MAX_BATCH_BYTES = 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the client did so far. */
    public record Stats(long enqueued, long accepted, long rejected, long failed, long dropped, long retries) {
    }

    private record Pending(long seq, String eventId, byte[] json) {
    }

    private final URI events;
    private final String writeKey;
    private final int batchSize;
    private final int batchBytes;
    private final Duration linger;
    private final Overflow overflow;
    private final Duration retryBudget;
    private final Backoff backoff;
    private final Duration requestTimeout;
    private final Consumer<Rejection> onRejected;
    private final HttpClient http;
    private final Clock clock;
    private final Supplier<String> ids;
    private final EventValidator validator;
    private final BlockingQueue<Pending> queue;
    private final Thread sender;

    private final AtomicLong enqueued = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    /** Sequence numbers: the last one given to an event, and the last one done with (sent, rejected or failed). */
    private final AtomicLong lastSeq = new AtomicLong();
    private final Object progress = new Object();
    private long doneSeq;
    private volatile boolean flushing;
    private volatile boolean closed;

    private Northstar(Builder b) {
        this.events = b.ingest.resolve("/v1/events");
        this.writeKey = b.writeKey;
        this.batchSize = b.batchSize;
        this.batchBytes = b.batchBytes;
        this.linger = b.linger;
        this.overflow = b.overflow;
        this.retryBudget = b.retryBudget;
        this.backoff = new Backoff(b.backoffBase, b.backoffMax);
        this.requestTimeout = b.requestTimeout;
        this.onRejected = b.onRejected;
        this.http = b.http != null ? b.http : HttpClient.newBuilder().connectTimeout(b.requestTimeout).build();
        this.clock = b.clock;
        this.ids = b.ids;
        this.validator = new EventValidator(b.clock);
        this.queue = new ArrayBlockingQueue<>(b.queueCapacity);
        this.sender = new Thread(this::run, "northstar-sender");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /** A client for the ingest at {@code ingest} (its base URL) with a project's write key. */
    public static Builder builder(URI ingest, String writeKey) {
        return new Builder(ingest, writeKey);
    }

    /** Someone used a feature. */
    public boolean featureUsed(Actor actor, String feature) {
        return send(event("feature_used", actor).put("feature", feature));
    }

    /** A feature failed for someone; {@code errorCode} may be null. */
    public boolean featureFailed(Actor actor, String feature, String errorCode) {
        ObjectNode e = event("feature_failed", actor).put("feature", feature);
        if (errorCode != null) {
            e.put("errorCode", errorCode);
        }
        return send(e);
    }

    /** Someone reached a step (1 to 50) of a funnel. */
    public boolean funnelStep(Actor actor, String funnel, int step) {
        return send(event("funnel_step", actor).put("funnel", funnel).put("step", step));
    }

    /** Someone rated a feature (1 to 5); {@code comment} may be null. */
    public boolean feedbackGiven(Actor actor, String feature, int rating, String comment) {
        ObjectNode e = event("feedback_given", actor).put("feature", feature).put("rating", rating);
        if (comment != null) {
            e.put("comment", comment);
        }
        return send(e);
    }

    /** The visitor known as {@code anonymousId} signed in as {@code userId}: from now on, one person. */
    public boolean identify(String anonymousId, String userId) {
        return enqueue(event("user_identified", new Actor(userId, anonymousId)));
    }

    /**
     * Any event as {@code POST /v1/events} takes it (importers, events with their own time): an
     * {@code eventId} is added when it has none (keep your own to make re-imports idempotent).
     */
    public boolean send(java.util.Map<String, ?> event) {
        return send((ObjectNode) JSON.valueToTree(event));
    }

    /** The same for an event already read as JSON (an importer's line); the node is used as it is. */
    public boolean send(ObjectNode event) {
        if (!event.hasNonNull("eventId")) {
            event.put("eventId", ids.get());
        }
        return enqueue(event);
    }

    private ObjectNode event(String type, Actor actor) {
        Objects.requireNonNull(actor, "actor");
        ObjectNode e = JSON.createObjectNode().put("eventId", ids.get()).put("type", type);
        if (actor.userId() != null) {
            e.put("userId", actor.userId());
        }
        if (actor.anonymousId() != null) {
            e.put("anonymousId", actor.anonymousId());
        }
        return e.put("occurredAt", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
    }

    /**
     * Validates and enqueues an event: true when it is queued, false when the queue was full and the
     * client drops; throws {@link IllegalArgumentException} with the server's message when the event is
     * invalid, {@link IllegalStateException} once closed.
     */
    private boolean enqueue(ObjectNode event) {
        if (closed) {
            throw new IllegalStateException("this Northstar client is closed");
        }
        var outcome = validator.validate(event, "", new EventValidator.Context("client", clock.instant(), Optional.empty()));
        if (outcome instanceof EventValidator.Invalid invalid) {
            throw new IllegalArgumentException(invalid.error());
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(event);
        } catch (IOException e) {
            throw new IllegalArgumentException("the event cannot be written as JSON: " + e.getMessage(), e);
        }
        if (json.length + 64 > batchBytes) {
            throw new IllegalArgumentException("event: " + json.length + " bytes, more than a batch may hold ("
                    + batchBytes + ")");
        }
        String eventId = event.get("eventId").asText();
        synchronized (queue) { // sequence numbers in queue order, so that flush waits for exactly what came before
            Pending pending = new Pending(lastSeq.get() + 1, eventId, json);
            boolean queued;
            try {
                queued = overflow == Overflow.BLOCK ? offerBlocking(pending) : queue.offer(pending);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for room in the queue", e);
            }
            if (!queued) {
                dropped.incrementAndGet();
                return false;
            }
            lastSeq.set(pending.seq());
            enqueued.incrementAndGet();
            return true;
        }
    }

    private boolean offerBlocking(Pending pending) throws InterruptedException {
        while (!queue.offer(pending, 100, TimeUnit.MILLISECONDS)) {
            if (closed) {
                return false;
            }
        }
        return true;
    }

    /**
     * Sends everything enqueued before this call at once (no lingering) and waits until each of those
     * events was accepted, rejected or given up on, or {@code timeout} passed; true when all were.
     */
    public boolean flush(Duration timeout) {
        long target = lastSeq.get();
        long deadline = System.nanoTime() + timeout.toNanos();
        flushing = true;
        try {
            synchronized (progress) {
                while (doneSeq < target) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    progress.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                }
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            flushing = false;
        }
    }

    /**
     * Flushes for up to {@code timeout}, then stops the sender: events still queued or being retried
     * are reported to the callback as not delivered. Enqueueing after this throws.
     */
    public boolean close(Duration timeout) {
        boolean all = flush(timeout);
        closed = true;
        sender.interrupt();
        try {
            sender.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Pending> left = new ArrayList<>();
        queue.drainTo(left);
        giveUp(left, "not sent: the client was closed first");
        return all;
    }

    /** {@link #close(Duration)} with 30 seconds. */
    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    public Stats stats() {
        return new Stats(enqueued.get(), accepted.get(), rejected.get(), failed.get(), dropped.get(), retries.get());
    }

    // The sender thread.

    private void run() {
        List<Pending> batch = new ArrayList<>();
        while (!closed) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                int bytes = first.json().length + 64;
                long lingerUntil = System.nanoTime() + linger.toNanos();
                while (batch.size() < batchSize) {
                    Pending next = queue.peek();
                    if (next != null) {
                        if (bytes + next.json().length + 1 > batchBytes) {
                            break;
                        }
                        batch.add(queue.poll());
                        bytes += next.json().length + 1;
                        continue;
                    }
                    long left = lingerUntil - System.nanoTime();
                    if (left <= 0 || flushing || closed) {
                        break;
                    }
                    Thread.sleep(Math.min(5, Math.max(1, TimeUnit.NANOSECONDS.toMillis(left))));
                }
                deliver(batch);
            } catch (InterruptedException e) {
                if (!batch.isEmpty()) {
                    giveUp(batch, "not sent: the client was closed first");
                }
                return;
            } finally {
                batch.clear();
            }
        }
    }

    /** Sends one batch until the server answered for it, a 4xx refused it, or the retry budget is spent. */
    private void deliver(List<Pending> batch) throws InterruptedException {
        long deadline = System.nanoTime() + retryBudget.toNanos();
        String reason;
        for (int attempt = 0; ; attempt++) {
            Duration wait;
            try {
                HttpResponse<String> response = http.send(request(batch), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 202 || status == 200) {
                    answered(batch, response.body());
                    return;
                }
                reason = "HTTP " + status + detail(response.body()).map(d -> ": " + d).orElse("");
                if (status == 429 || status == 503) {
                    wait = retryAfter(response).orElse(backoff.delay(attempt));
                } else if (status >= 500) {
                    wait = backoff.delay(attempt);
                } else {
                    refused(batch, reason); // 4xx: the same request would be refused again
                    return;
                }
            } catch (IOException e) {
                reason = "ingest unreachable: " + e;
                wait = backoff.delay(attempt);
            }
            if (System.nanoTime() + wait.toNanos() > deadline) {
                giveUp(batch, "not delivered within the retry budget of " + retryBudget.toSeconds() + " s after "
                        + (attempt + 1) + " attempts; last: " + reason);
                return;
            }
            retries.incrementAndGet();
            Thread.sleep(wait.toMillis());
        }
    }

    /** The request for a batch, with {@code sentAt} now (the server corrects the device's clock by it). */
    private HttpRequest request(List<Pending> batch) {
        StringBuilder body = new StringBuilder(batch.size() * 200);
        body.append("{\"sentAt\":\"").append(clock.instant().truncatedTo(ChronoUnit.MILLIS)).append("\",\"events\":[");
        for (int i = 0; i < batch.size(); i++) {
            body.append(i == 0 ? "" : ",").append(new String(batch.get(i).json(), StandardCharsets.UTF_8));
        }
        body.append("]}");
        return HttpRequest.newBuilder(events).timeout(requestTimeout)
                .header("Authorization", "Bearer " + writeKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
    }

    private void answered(List<Pending> batch, String body) {
        try {
            JsonNode results = JSON.readTree(body).path("results");
            for (int i = 0; i < batch.size(); i++) {
                JsonNode result = results.path(i);
                if ("rejected".equals(result.path("status").asText())) {
                    rejected.incrementAndGet();
                    report(new Rejection(batch.get(i).eventId(), result.path("error").asText(), true));
                } else {
                    accepted.incrementAndGet();
                }
            }
        } catch (IOException e) {
            accepted.addAndGet(batch.size()); // a 202 means stored; only the details could not be read
        }
        done(batch);
    }

    private void refused(List<Pending> batch, String reason) {
        for (Pending p : batch) {
            rejected.incrementAndGet();
            report(new Rejection(p.eventId(), reason, true));
        }
        done(batch);
    }

    private void giveUp(List<Pending> batch, String reason) {
        for (Pending p : batch) {
            failed.incrementAndGet();
            report(new Rejection(p.eventId(), reason, false));
        }
        done(batch);
    }

    private void done(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        synchronized (progress) {
            doneSeq = Math.max(doneSeq, batch.get(batch.size() - 1).seq());
            progress.notifyAll();
        }
    }

    private void report(Rejection rejection) {
        try {
            onRejected.accept(rejection);
        } catch (RuntimeException e) {
            // the app's callback failing must not stop the sender
        }
    }

    private static Optional<Duration> retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").flatMap(v -> {
            try {
                return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v.trim()))));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private static Optional<String> detail(String body) {
        try {
            JsonNode problem = JSON.readTree(body);
            return problem != null && problem.path("detail").isTextual() ? Optional.of(problem.get("detail").asText())
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** How the client batches, queues and retries; every setting has a default. */
    public static final class Builder {
        private final URI ingest;
        private final String writeKey;
        private int batchSize = 100;
        private int batchBytes = 512 * 1024;
        private Duration linger = Duration.ofMillis(50);
        private int queueCapacity = 10_000;
        private Overflow overflow = Overflow.BLOCK;
        private Duration retryBudget = Duration.ofMinutes(10);
        private Duration backoffBase = Duration.ofMillis(100);
        private Duration backoffMax = Duration.ofSeconds(30);
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Consumer<Rejection> onRejected = r -> { };
        private HttpClient http;
        private Clock clock = Clock.systemUTC();
        private Supplier<String> ids = () -> UUID.randomUUID().toString();

        private Builder(URI ingest, String writeKey) {
            this.ingest = Objects.requireNonNull(ingest, "ingest");
            this.writeKey = Objects.requireNonNull(writeKey, "writeKey");
        }

        /** Events per request, 1 to 500 (default 100). */
        public Builder batchSize(int events) {
            if (events < 1 || events > MAX_BATCH_EVENTS) {
                throw new IllegalArgumentException("batchSize: must be 1 to " + MAX_BATCH_EVENTS);
            }
            this.batchSize = events;
            return this;
        }

        /** Bytes per request, up to 1 MiB (default 512 KiB). */
        public Builder batchBytes(int bytes) {
            if (bytes < 1024 || bytes > MAX_BATCH_BYTES) {
                throw new IllegalArgumentException("batchBytes: must be 1 KiB to 1 MiB");
            }
            this.batchBytes = bytes;
            return this;
        }

        /** How long a batch waits for more events before it is sent (default 50 ms). */
        public Builder linger(Duration linger) {
            this.linger = positiveOrZero(linger, "linger");
            return this;
        }

        /** Events waiting to be sent, at most (default 10,000), and what a full queue does (default block). */
        public Builder queue(int capacity, Overflow whenFull) {
            if (capacity < 1) {
                throw new IllegalArgumentException("queue capacity: must be at least 1");
            }
            this.queueCapacity = capacity;
            this.overflow = Objects.requireNonNull(whenFull, "whenFull");
            return this;
        }

        /** How long a batch is retried before its events are given up (default 10 minutes). */
        public Builder retryBudget(Duration budget) {
            this.retryBudget = positiveOrZero(budget, "retryBudget");
            return this;
        }

        /** The first retry's delay and the longest (defaults 100 ms and 30 s); each is jittered. */
        public Builder backoff(Duration base, Duration max) {
            this.backoffBase = positiveOrZero(base, "backoff base");
            this.backoffMax = positiveOrZero(max, "backoff max");
            return this;
        }

        /** How long one request may take (default 30 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positiveOrZero(timeout, "requestTimeout");
            return this;
        }

        /** Called, on the sender thread, for each event not stored. */
        public Builder onRejected(Consumer<Rejection> callback) {
            this.onRejected = Objects.requireNonNull(callback, "callback");
            return this;
        }

        public Builder httpClient(HttpClient client) {
            this.http = client;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Where event ids come from (default random UUIDs). */
        public Builder eventIds(Supplier<String> ids) {
            this.ids = Objects.requireNonNull(ids, "ids");
            return this;
        }

        public Northstar build() {
            return new Northstar(this);
        }

        private static Duration positiveOrZero(Duration d, String what) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException(what + ": must be zero or more");
            }
            return d;
        }
    }
}
