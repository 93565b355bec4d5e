package dev.northstar.ingest;

import dev.northstar.testkit.Management;
import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.model.json.NorthstarJson;
import dev.northstar.model.topic.Topics;
import dev.northstar.testkit.KafkaResource;
import dev.northstar.testkit.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP bad-input catalogue: documents that cannot be a batch at all. Every case answers
 * problem+json with what was wrong and where, and nothing of it reaches the events topic. (Events
 * that are individually invalid inside a well-formed batch are covered, fixture by fixture, in
 * {@link IngestApiTest#everyGoldenInvalidEventIsRefusedOverHttpWithItsExactError()}.)
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class BadInputCatalogueTest {

    private static final Path FIXTURES = Path.of("../../shared-model/src/test/resources/fixtures/events/v1/invalid");
    private static final String MARKER = "catalogue-" + UUID.randomUUID();

    private static TopicReader events;
    private static IngestApiTest.Keys keys;

    @TestHTTPResource("/v1/events")
    URI eventsUri;

    @BeforeAll
    static void setUp() {
        events = new TopicReader(KafkaResource.bootstrapServers(), Topics.EVENTS.name());
    }

    @AfterAll
    static void tearDown() {
        // Not one record carrying a catalogue marker reached the topic, whatever the case.
        assertThat(events.values(v -> v.contains(MARKER))).isEmpty();
        events.close();
    }

    private static String writeKey() {
        if (keys == null) {
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    Management.given().get("/q/health/ready").then().statusCode(200));
            keys = IngestApiTest.createProject();
        }
        return keys.writeKey();
    }

    /** A case: a raw body, the Content-Type sent, and what the answer must say. */
    record Case(String name, byte[] body, String contentType, int status, String detail) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String event(String suffix) {
        return IngestApiTest.event(MARKER + "-" + suffix, "");
    }

    private static Case json(String name, String body, int status, String detail) {
        return new Case(name, body.getBytes(StandardCharsets.UTF_8), "application/json", status, detail);
    }

    /** A golden parse-level fixture (one event) wrapped in a batch: the whole body is refused. */
    private static Case fixture(String name, String detail) throws IOException {
        byte[] event = Files.readAllBytes(FIXTURES.resolve(name + ".json"));
        byte[] head = "{\"events\":[".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "]}".getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + event.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(event, 0, body, head.length, event.length);
        System.arraycopy(tail, 0, body, head.length + event.length, tail.length);
        return new Case("fixture " + name, body, "application/json", 400, detail);
    }

    static Stream<Arguments> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        cases.add(fixture("truncated", "Malformed JSON: line 1, column"));
        cases.add(fixture("trailing-comma", "was expecting double-quote to start field name"));
        cases.add(fixture("duplicate-keys", "Duplicate field 'eventId'"));
        cases.add(fixture("invalid-utf8", "Invalid UTF-8"));
        cases.add(fixture("raw-nul-byte", "CTRL-CHAR, code 0"));
        cases.add(fixture("nesting-10000-deep", "nesting depth"));
        cases.add(fixture("number-100000-digits", "exceeds the maximum allowed"));
        cases.add(fixture("string-100000-chars", "exceeds the maximum allowed (65536"));
        cases.add(fixture("not-json", "Unrecognized token"));
        cases.add(json("empty body", "", 400, "The request body is empty"));
        cases.add(json("whitespace only", "   \n ", 400, "the document is empty"));
        cases.add(json("truncated batch", "{\"events\":[" + event("a"), 400, "Unexpected end-of-input"));
        cases.add(json("cut inside a string", "{\"events\":[{\"eventId\":\"" + MARKER, 400, "line 1, column"));
        cases.add(json("duplicate events key", "{\"events\":[" + event("b") + "],\"events\":[]}", 400,
                "Duplicate field 'events'"));
        cases.add(json("top-level array", "[" + event("c") + "]", 400, "must be a JSON object"));
        cases.add(json("top-level string", "\"" + MARKER + "\"", 400, "must be a JSON object"));
        cases.add(json("no events field", "{\"event\":" + event("d") + "}", 400, "events: is required"));
        cases.add(json("events is an object", "{\"events\":" + event("e") + "}", 400, "must be an array"));
        cases.add(json("empty batch", "{\"events\":[]}", 400, "events: must contain at least one event"));
        cases.add(json("sentAt without offset", "{\"sentAt\":\"2026-11-24T10:00:00\",\"events\":[" + event("f") + "]}",
                400, "sentAt"));
        cases.add(json("sentAt a number", "{\"sentAt\":1764000000,\"events\":[" + event("g") + "]}", 400, "sentAt"));
        cases.add(json("garbage after the batch", "{\"events\":[" + event("h") + "]} {}", 400, "Trailing token"));
        StringBuilder many = new StringBuilder("{\"events\":[");
        for (int i = 0; i < 501; i++) {
            many.append(i == 0 ? "" : ",").append(event("many-" + i));
        }
        cases.add(json("501 events", many.append("]}").toString(), 413, "at most 500 events per request, got 501"));
        cases.add(new Case("text/plain", ("{\"events\":[" + event("i") + "]}").getBytes(StandardCharsets.UTF_8),
                "text/plain", 415, "application/json"));
        cases.add(new Case("form encoded", ("events=" + MARKER).getBytes(StandardCharsets.UTF_8),
                "application/x-www-form-urlencoded", 415, "application/json"));
        return cases.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aBodyThatIsNotABatchIsRefusedWithAProblemSayingWhy(Case c) throws Exception {
        HttpResponse<String> response = post(HttpRequest.BodyPublishers.ofByteArray(c.body()), c.contentType(),
                "Bearer " + writeKey());

        assertThat(response.statusCode()).as(c.name()).isEqualTo(c.status());
        assertProblem(response, c.status(), c.detail());
    }

    @Test
    void aChunkedBodyOverOneMebibyteIsRefusedWithoutBeingKept() throws Exception {
        byte[] big = new byte[2 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) ' ');
        byte[] start = ("{\"events\":[" + event("chunked") + ",").getBytes(StandardCharsets.UTF_8);
        System.arraycopy(start, 0, big, 0, start.length);
        // ofInputStream has no known length: the client sends Transfer-Encoding: chunked.
        HttpResponse<String> response = post(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)),
                "application/json", "Bearer " + writeKey());

        // Read up to the limit only, answered with a problem, the connection closed; nothing of it
        // reaches the topic (checked after all cases).
        assertThat(response.statusCode()).isEqualTo(413);
        assertProblem(response, 413, "at most 1048576 bytes (1 MiB); this chunked body went past that");
        assertThat(response.headers().firstValue("Connection")).hasValue("close");
    }

    @Test
    void aChunkedBodyWithinTheLimitIsAcceptedLikeAnyOther() throws Exception {
        String id = "chunked-ok-" + UUID.randomUUID();
        byte[] body = ("{\"events\":[" + IngestApiTest.event(id, "") + "]}").getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> response = post(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)),
                "application/json", "Bearer " + writeKey());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        assertThat(response.body()).contains("\"accepted\":1");
        Awaitility.await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(events.values(v -> v.contains(id))).hasSize(1));
    }

    private HttpResponse<String> post(HttpRequest.BodyPublisher body, String contentType, String authorization)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(eventsUri).header("Content-Type", contentType)
                .header("Authorization", authorization).POST(body).timeout(Duration.ofSeconds(30)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static void assertProblem(HttpResponse<String> response, int status, String detail) throws IOException {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = NorthstarJson.mapper().readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("type").asText()).startsWith("/problems/");
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).contains(detail);
    }
}
