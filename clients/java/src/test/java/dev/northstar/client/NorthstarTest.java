package dev.northstar.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client's side of ingest's HTTP contract, against an HTTP server in this JVM that answers as
 * ingest does (202 with per-event results, 429 and 503 with Retry-After, problem+json 4xx): batching,
 * flush, retries with the same event ids, no retry of a refused batch, the queue bound and the retry
 * budget. The process-level test against the real ingest, killed mid-stream, is
 * {@code deploy/local ClientIT}.
 */
class NorthstarTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What the stand-in answers to the n-th request (0-based), given its body. */
    private volatile Function<Integer, Answer> script = n -> Answer.accepted();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final List<Long> requestTimes = new CopyOnWriteArrayList<>();
    private HttpServer server;
    private URI ingest;

    private record Answer(int status, String body, String retryAfter, CountDownLatch hold) {
        static Answer accepted() {
            return new Answer(202, null, null, null);
        }

        static Answer status(int status, String retryAfter) {
            return new Answer(status, "{\"type\":\"/problems/x\",\"title\":\"x\",\"status\":" + status
                    + ",\"detail\":\"answer " + status + "\"}", retryAfter, null);
        }
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/v1/events", this::handle);
        server.start();
        ingest = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
        int n;
        synchronized (requests) {
            n = requests.size();
            requests.add(body);
            requestTimes.add(System.nanoTime());
        }
        assertThat(exchange.getRequestHeaders().getFirst("Authorization")).isEqualTo("Bearer nsw_test");
        Answer answer = script.apply(n);
        if (answer.hold() != null) {
            try {
                answer.hold().await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String text = answer.body();
        if (answer.status() == 202 && text == null) {
            StringBuilder results = new StringBuilder();
            JsonNode events = body.get("events");
            for (int i = 0; i < events.size(); i++) {
                JsonNode e = events.get(i);
                boolean reject = e.path("feature").asText().startsWith("reject");
                results.append(i == 0 ? "" : ",").append("{\"index\":").append(i).append(",\"eventId\":\"")
                        .append(e.get("eventId").asText()).append("\",\"status\":\"")
                        .append(reject ? "rejected\",\"error\":\"events[" + i + "].feature: refused here\"" : "ok\"")
                        .append("}");
            }
            text = "{\"accepted\":0,\"rejected\":0,\"results\":[" + results + "]}";
        }
        if (answer.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private Northstar.Builder client() {
        return Northstar.builder(ingest, "nsw_test").backoff(Duration.ofMillis(10), Duration.ofMillis(50));
    }

    private List<String> sentIds() {
        List<String> ids = new ArrayList<>();
        requests.forEach(r -> r.get("events").forEach(e -> ids.add(e.get("eventId").asText())));
        return ids;
    }

    @Test
    void sendsBatchesOfAtMostTheBatchSizeWithSentAtAndFlushWaitsForAllOfThem() {
        try (Northstar northstar = client().batchSize(100).linger(Duration.ofSeconds(5)).build()) {
            for (int i = 0; i < 250; i++) {
                assertThat(northstar.featureUsed(Actor.user("u-" + i % 7), "export")).isTrue();
            }
            northstar.identify("anon-1", "u-1");
            assertThat(northstar.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(northstar.stats().accepted()).isEqualTo(251);
        }
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.get("events").size()).isBetween(1, 100);
            assertThat(r.get("sentAt").asText()).isNotBlank();
        });
        assertThat(sentIds()).hasSize(251).doesNotHaveDuplicates();
        JsonNode last = requests.get(requests.size() - 1).get("events");
        JsonNode identify = last.get(last.size() - 1);
        assertThat(identify.get("type").asText()).isEqualTo("user_identified");
        assertThat(identify.get("anonymousId").asText()).isEqualTo("anon-1");
        assertThat(identify.get("userId").asText()).isEqualTo("u-1");
    }

    @Test
    void retriesAfterRetryAfterOn429And503AndBackoffOn5xxWithTheSameEventIds() {
        script = n -> switch (n) {
            case 0 -> Answer.status(429, "1");
            case 1 -> Answer.status(503, "0");
            case 2 -> Answer.status(500, null);
            default -> Answer.accepted();
        };
        try (Northstar northstar = client().build()) {
            northstar.featureUsed(Actor.user("u-1"), "export");
            northstar.featureFailed(Actor.anonymous("a-1"), "export", "timeout");
            assertThat(northstar.flush(Duration.ofSeconds(20))).isTrue();
            assertThat(northstar.stats()).isEqualTo(new Northstar.Stats(2, 2, 0, 0, 0, 3));
        }
        assertThat(requests).hasSize(4);
        List<String> firstIds = new ArrayList<>();
        requests.get(0).get("events").forEach(e -> firstIds.add(e.get("eventId").asText()));
        for (JsonNode request : requests) {
            List<String> ids = new ArrayList<>();
            request.get("events").forEach(e -> ids.add(e.get("eventId").asText()));
            assertThat(ids).as("a retry resends the same events, so the server counts them once").isEqualTo(firstIds);
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(requestTimes.get(1) - requestTimes.get(0)))
                .as("Retry-After: 1 is honoured").isGreaterThanOrEqualTo(950);
    }

    @Test
    void aRefusedBatchIsNotRetriedAndEveryEventOfItIsReportedWithTheServersDetail() {
        script = n -> Answer.status(401, null);
        List<Rejection> rejections = Collections.synchronizedList(new ArrayList<>());
        try (Northstar northstar = client().onRejected(rejections::add).build()) {
            northstar.featureUsed(Actor.user("u-1"), "export");
            northstar.featureUsed(Actor.user("u-2"), "export");
            assertThat(northstar.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(northstar.stats().rejected()).isEqualTo(2);
        }
        assertThat(requests).hasSize(1);
        assertThat(rejections).hasSize(2).allSatisfy(r -> {
            assertThat(r.error()).isEqualTo("HTTP 401: answer 401");
            assertThat(r.delivered()).isTrue();
        });
    }

    @Test
    void perEventRejectionsOfAnAcceptedBatchGoToTheCallbackAndTheOthersCount() {
        List<Rejection> rejections = Collections.synchronizedList(new ArrayList<>());
        try (Northstar northstar = client().onRejected(rejections::add).build()) {
            northstar.featureUsed(Actor.user("u-1"), "export");
            northstar.featureUsed(Actor.user("u-1"), "rejected-here");
            northstar.feedbackGiven(Actor.user("u-1"), "export", 5, "great");
            assertThat(northstar.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(northstar.stats().accepted()).isEqualTo(2);
        }
        assertThat(rejections).singleElement().satisfies(r -> {
            assertThat(r.error()).isEqualTo("events[1].feature: refused here");
            assertThat(r.eventId()).isEqualTo(sentIds().get(1));
        });
    }

    @Test
    void anInvalidEventIsRefusedAtOnceWithTheServersMessage() {
        try (Northstar northstar = client().build()) {
            assertThatThrownBy(() -> northstar.featureUsed(Actor.user("u-1"), "Not A Slug"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("feature: must match [a-z0-9][a-z0-9._-]{0,63}");
            assertThatThrownBy(() -> northstar.feedbackGiven(Actor.user("u-1"), "export", 6, null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("rating:");
            assertThatThrownBy(() -> northstar.identify("same", "same"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("anonymousId");
            assertThat(northstar.flush(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(requests).isEmpty();
    }

    @Test
    void aFullQueueDropsAndCountsWhenToldToAndEverythingQueuedIsStillSent() {
        CountDownLatch release = new CountDownLatch(1);
        script = n -> n == 0 ? new Answer(202, null, null, release) : Answer.accepted();
        try (Northstar northstar = client().batchSize(1).linger(Duration.ZERO).queue(3, Overflow.DROP).build()) {
            northstar.featureUsed(Actor.user("u-0"), "export"); // taken by the sender, held by the server
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> requests.size() == 1);
            int queued = 0;
            for (int i = 1; i <= 10; i++) {
                queued += northstar.featureUsed(Actor.user("u-" + i), "export") ? 1 : 0;
            }
            assertThat(queued).isEqualTo(3);
            assertThat(northstar.stats().dropped()).isEqualTo(7);
            release.countDown();
            assertThat(northstar.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(northstar.stats().accepted()).isEqualTo(4);
        }
    }

    @Test
    void eventsNotDeliveredWithinTheRetryBudgetAreReportedAsNotDelivered() {
        script = n -> Answer.status(503, "0");
        List<Rejection> rejections = Collections.synchronizedList(new ArrayList<>());
        try (Northstar northstar = client().retryBudget(Duration.ofMillis(300)).onRejected(rejections::add).build()) {
            northstar.featureUsed(Actor.user("u-1"), "export");
            assertThat(northstar.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(northstar.stats().failed()).isEqualTo(1);
        }
        assertThat(requests.size()).isGreaterThan(1);
        assertThat(rejections).singleElement().satisfies(r -> {
            assertThat(r.delivered()).isFalse();
            assertThat(r.error()).startsWith("not delivered within the retry budget").contains("HTTP 503: answer 503");
        });
    }

    @Test
    void closeReportsWhatItCouldNotSendAndRefusesNewEvents() {
        script = n -> Answer.status(503, "30");
        List<Rejection> rejections = Collections.synchronizedList(new ArrayList<>());
        Northstar northstar = client().onRejected(rejections::add).build();
        northstar.featureUsed(Actor.user("u-1"), "export");
        assertThat(northstar.close(Duration.ofMillis(500))).isFalse();
        assertThat(rejections).singleElement().satisfies(r -> assertThat(r.delivered()).isFalse());
        assertThatThrownBy(() -> northstar.featureUsed(Actor.user("u-1"), "export"))
                .isInstanceOf(IllegalStateException.class);
    }
}
