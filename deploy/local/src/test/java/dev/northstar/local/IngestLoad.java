package dev.northstar.local;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A closed-loop load of unique events on ingest from a few threads, remembering every eventId
 * that was answered 202 "ok" and counting every other answer: the ground truth for "nothing
 * acknowledged is ever lost".
 */
final class IngestLoad implements AutoCloseable {

    private static final int BATCH = 20;

    private final NorthstarClient client;
    private final String writeKey;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sequence = new AtomicLong();
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
    private final Thread[] threads;

    IngestLoad(NorthstarClient client, String writeKey, int threads) {
        this.client = client;
        this.writeKey = writeKey;
        this.threads = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            this.threads[i] = new Thread(this::run, "ingest-load-" + i);
            this.threads[i].start();
        }
    }

    private void run() {
        while (running.get()) {
            StringBuilder batch = new StringBuilder("{\"events\":[");
            for (int i = 0; i < BATCH; i++) {
                batch.append(i == 0 ? "" : ",").append("{\"eventId\":\"load-").append(sequence.incrementAndGet())
                        .append("\",\"type\":\"feature_used\",\"userId\":\"u-").append(i)
                        .append("\",\"feature\":\"export\",\"occurredAt\":\"").append(Instant.now()).append("\"}");
            }
            try {
                var answer = client.postEvents(writeKey, batch.append("]}").toString());
                count(String.valueOf(answer.status()));
                if (answer.status() == 202) {
                    for (JsonNode result : answer.body().get("results")) {
                        if (result.get("status").asText().equals("ok")) {
                            acknowledged.add(result.get("eventId").asText());
                        }
                    }
                }
            } catch (IllegalStateException e) {
                count("no-answer"); // the process is down: connection refused or reset
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // as a client would back off
            }
        }
    }

    private void count(String answer) {
        answers.computeIfAbsent(answer, a -> new AtomicLong()).incrementAndGet();
    }

    Set<String> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    int acknowledgedCount() {
        return acknowledged.size();
    }

    long answers(String answer) {
        AtomicLong n = answers.get(answer);
        return n == null ? 0 : n.get();
    }

    Map<String, AtomicLong> answers() {
        return Map.copyOf(answers);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        for (Thread t : threads) {
            t.join(60_000);
        }
    }
}
