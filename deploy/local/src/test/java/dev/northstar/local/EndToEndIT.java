package dev.northstar.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.local.demo.DemoFeeder;
import dev.northstar.local.demo.DemoPopulation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole product as separate processes: a real Kafka broker (child JVM) and the six packaged
 * fast-jars, talking only through Kafka. A user's flow through the public HTTP API: create a
 * project, post events, read the features until the numbers are right.
 */
class EndToEndIT {

    private static final String ADMIN_TOKEN = TestStacks.ADMIN_TOKEN;
    private static LocalStack stack;
    private static NorthstarClient client;
    private static OtlpReceiver traces;

    @BeforeAll
    static void startTheSystem() throws java.io.IOException {
        traces = new OtlpReceiver();
        stack = TestStacks.start(TestStacks.all(), Map.of(
                "NORTHSTAR_NOTIFIER_ALLOWED_NETWORKS", "127.0.0.1/32", "NORTHSTAR_NOTIFIER_SETTLE", "0s",
                // Tracing on, exported to the test's receiver; only requests that arrive sampled are traced.
                "OTEL_SDK_DISABLED", "false", "OTEL_TRACES_SAMPLER_ARG", "0",
                "OTEL_EXPORTER_OTLP_ENDPOINT", traces.uri().toString(), "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms"));
        client = new NorthstarClient(stack.service("ingest").uri("/"), stack.service("insights").uri("/"));
    }

    @AfterAll
    static void stopTheSystem() {
        if (stack != null) {
            stack.close();
        }
        if (traces != null) {
            traces.close();
        }
    }

    private static NorthstarClient.ProjectKeys createProject(String projectId) {
        var answer = client.createProject(ADMIN_TOKEN, projectId, "E2E " + projectId);
        assertThat(answer.status()).as(answer.text()).isEqualTo(201);
        return new NorthstarClient.ProjectKeys(projectId, answer.body().get("writeKey").asText(),
                answer.body().get("readKey").asText());
    }

    private static String event(String id, String type, String user, String feature, String extra) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"" + type + "\",\"userId\":\"" + user + "\","
                + (feature == null ? "" : "\"feature\":\"" + feature + "\",")
                + "\"occurredAt\":\"" + Instant.now().minusSeconds(3600) + "\"" + extra + "}";
    }

    private static JsonNode feature(JsonNode page, String name) {
        return StreamSupport.stream(page.get("features").spliterator(), false)
                .filter(f -> f.get("feature").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no feature " + name + " yet in " + page));
    }

    @Test
    void eventsPostedToIngestShowUpInTheQueryApiCountedExactly() {
        var keys = createProject("e2e-flow");
        String batch = "{\"events\":["
                + event("e1", "feature_used", "ann", "export", "") + ","
                + event("e2", "feature_used", "ann", "export", "") + ","
                + event("e3", "feature_used", "bob", "export", "") + ","
                + event("e4", "feature_used", "cat", "export", "") + ","
                + event("e5", "feature_failed", "bob", "search", ",\"errorCode\":\"timeout\"") + ","
                + event("e6", "feature_used", "cat", "search", "") + ","
                + event("e7", "feedback_given", "ann", "export", ",\"rating\":4,\"comment\":\"<img src=x onerror=alert(1)>\"") + ","
                + event("e8", "funnel_step", "ann", null, ",\"funnel\":\"signup\",\"step\":1") + ","
                + event("e9", "funnel_step", "bob", null, ",\"funnel\":\"signup\",\"step\":1") + ","
                + event("e10", "funnel_step", "ann", null, ",\"funnel\":\"signup\",\"step\":2") + ","
                + event("bad", "feature_used", "dan", "Not A Slug", "")
                + "]}";
        var answer = client.postEvents(keys.writeKey(), batch);
        assertThat(answer.status()).as(answer.text()).isEqualTo(202);
        assertThat(answer.body().get("accepted").asInt()).isEqualTo(10);
        assertThat(answer.body().get("results").get(10).get("error").asText())
                .isEqualTo("events[10].feature: must match [a-z0-9][a-z0-9._-]{0,63}");
        // A retry of part of the batch (same event ids) must not be counted again.
        assertThat(client.postEvents(keys.writeKey(), "{\"events\":[" + event("e1", "feature_used", "ann", "export", "")
                + "]}").status()).isEqualTo(202);

        String path = "/v1/projects/e2e-flow/features";
        // Snapshots arrive as the services publish them: partial answers are retried, not failures.
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            var page = client.get(path, keys.readKey());
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body().get("activeUsers").get("d28").asInt()).isEqualTo(3);
            JsonNode export = feature(page.body(), "export");
            assertThat(export.get("users").get("d28").asInt()).isEqualTo(3);
            assertThat(export.get("uses").asInt()).isEqualTo(4);
            assertThat(export.get("adoption").asDouble()).isEqualTo(1.0);
            assertThat(export.get("rating").get("count").asInt()).isEqualTo(1);
            assertThat(export.get("rating").get("avg").asDouble()).isEqualTo(4.0);
            JsonNode search = feature(page.body(), "search");
            assertThat(search.get("failureRate").asDouble()).isEqualTo(0.5);
            assertThat(search.get("recommendation").get("action").asText()).isEqualTo("improve");
        });
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            var funnel = client.get("/v1/projects/e2e-flow/funnels/signup", keys.readKey());
            assertThat(funnel.status()).isEqualTo(200);
            assertThat(funnel.body().get("steps").get(1).get("conversion").asDouble()).isEqualTo(0.5);
        });
        var detail = client.get(path + "/export", keys.readKey());
        assertThat(detail.body().get("recentComments").get(0).get("comment").asText())
                .isEqualTo("<img src=x onerror=alert(1)>");
    }

    /**
     * Tracing: a request that arrives as part of a sampled trace (the caller's W3C traceparent) is
     * followed through Kafka — ingest's request and publish, a signal service's batch and the
     * snapshot it published, insights applying it and publishing the recommendation — as ONE trace,
     * each span the child of the one before, exported by OTLP. Requests without one are not traced
     * (sampling ratio 0 here): nothing else in this class shows up.
     */
    @Test
    void aSampledRequestIsOneTraceFromIngestThroughAConsumerToInsightsPublish() {
        var keys = createProject("e2e-traced");
        String traceId = java.util.HexFormat.of().formatHex(java.nio.ByteBuffer.allocate(16)
                .putLong(System.nanoTime()).putLong(0x5eed_5eedL).array());
        String callerSpan = "00f067aa0ba902b7";
        var answer = client.postEvents(keys.writeKey(), "{\"events\":[" + event("t1", "feature_used", "tia", "traced", "")
                + "]}", Map.of("traceparent", "00-" + traceId + "-" + callerSpan + "-01"));
        assertThat(answer.status()).as(answer.text()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(traces.errors()).as("exports the receiver could not decode").isEmpty();
            List<OtlpReceiver.Received> trace = traces.trace(traceId);
            OtlpReceiver.Received published = trace.stream()
                    .filter(s -> s.service().equals("insights") && s.name().equals("publish northstar.feature-insights.v1"))
                    .findFirst().orElseThrow(() -> new AssertionError("no insights publish yet in " + trace));
            // Walk up from insights' publish to the caller's span, one parent at a time.
            Map<String, OtlpReceiver.Received> byId = trace.stream()
                    .collect(Collectors.toMap(OtlpReceiver.Received::spanId, s -> s, (a, b) -> a));
            List<String> path = new java.util.ArrayList<>();
            OtlpReceiver.Received span = published;
            while (span != null) {
                path.add(0, span.service() + ": " + span.name());
                if (span.parentSpanId().equals(callerSpan)) {
                    break;
                }
                span = byId.get(span.parentSpanId());
            }
            assertThat(span).as("the chain from insights' publish up to the caller's span: " + path).isNotNull();
            // Whichever signal service's snapshot insights applied first carries the trace on.
            String events = dev.northstar.model.topic.Topics.EVENTS.name();
            String signal = path.size() > 2 ? path.get(2).substring(0, path.get(2).indexOf(':')) : "?";
            String snapshots = Map.of("adoption", dev.northstar.model.topic.Topics.FEATURE_ADOPTION.name(),
                    "friction", dev.northstar.model.topic.Topics.FEATURE_FRICTION.name(),
                    "feedback", dev.northstar.model.topic.Topics.FEATURE_FEEDBACK.name()).getOrDefault(signal, "?");
            assertThat(path).containsExactly(
                    "ingest: POST /v1/events",
                    "ingest: publish " + events,
                    signal + ": process " + events,
                    signal + ": publish " + snapshots,
                    "insights: process " + snapshots,
                    "insights: publish " + dev.northstar.model.topic.Topics.FEATURE_INSIGHTS.name());
            // The other signal services read the same batch in the same trace.
            assertThat(trace).extracting(s -> s.service() + ": " + s.name())
                    .contains("adoption: process " + events, "friction: process " + events, "feedback: process " + events);
        });
    }

    /**
     * The Grafana dashboard and the Prometheus alert rules under deploy/observability name only metrics
     * the running services expose (each series with its service tag), once the services did what the
     * panels show: events counted and published, a record that cannot be read dead-lettered.
     */
    @Test
    void theDashboardAndTheAlertRulesUseOnlyMetricsTheServicesExpose() throws Exception {
        var keys = createProject("e2e-metrics");
        assertThat(client.postEvents(keys.writeKey(), "{\"events\":[" + event("m1", "feature_used", "mia", "charts", "")
                + "," + event("m2", "feature_failed", "mia", "charts", ",\"errorCode\":\"timeout\"")
                + "," + event("m3", "feedback_given", "mia", "charts", ",\"rating\":5") + "]}").status()).isEqualTo(202);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(Map.<String, Object>of(
                "bootstrap.servers", stack.bootstrapServers()), new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.StringSerializer())) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(
                    dev.northstar.model.topic.Topics.EVENTS.name(), "e2e-metrics/mia", "{not json")).get();
        }
        var root = TestStacks.repoRoot().resolve("deploy/observability");
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var yaml = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());
        Map<String, String> expressions = new java.util.LinkedHashMap<>();
        for (JsonNode panel : json.readTree(root.resolve("grafana-dashboard.json").toFile()).get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                expressions.put("panel '" + panel.get("title").asText() + "' " + target.get("refId").asText(),
                        target.get("expr").asText());
            }
        }
        for (JsonNode group : yaml.readTree(root.resolve("prometheus-rules.yaml").toFile()).get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                assertThat(rule.path("labels").path("severity").asText()).as(rule.toString()).isIn("warning", "critical");
                assertThat(rule.path("annotations").path("summary").asText()).as(rule.toString()).isNotBlank();
                expressions.put("alert " + rule.get("alert").asText(), rule.get("expr").asText());
            }
        }
        assertThat(expressions).hasSizeGreaterThan(10);
        var names = java.util.regex.Pattern.compile("\\b(?:northstar|kafka|http_server|jvm|process)_[a-z0-9_]+");
        var http = java.net.http.HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Set<String> exposed = new HashSet<>();
            Set<String> untagged = new java.util.TreeSet<>();
            for (ServiceProcess service : stack.services()) {
                String metrics = http.send(java.net.http.HttpRequest.newBuilder(service.uri("/q/metrics")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
                metrics.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).forEach(line -> {
                    exposed.add(line.split("[{ ]", 2)[0]);
                    if (!line.contains("service=\"" + service.name() + "\"")) {
                        untagged.add(service.name() + ": " + line);
                    }
                });
            }
            assertThat(untagged).as("series without their service tag").isEmpty();
            expressions.forEach((where, expr) -> {
                var used = names.matcher(expr).results().map(java.util.regex.MatchResult::group).toList();
                assertThat(used).as(where + " names a metric: " + expr).isNotEmpty();
                assertThat(exposed).as(where + ": " + expr).containsAll(used);
            });
        });
    }

    /**
     * Alerts end to end: events make a feature's recommendation change; insights publishes it, the
     * notifier detects it and POSTs it to the project's webhook, and insights serves the history.
     */
    @Test
    void aRecommendationChangedByEventsIsPostedToTheWebhookAndKeptInTheHistory() throws Exception {
        var keys = createProject("e2e-alerts");
        URI notifier = stack.service("notifier").uri("/");
        try (var receiver = new AlertReceiver(0)) {
            var hook = await().atMost(Duration.ofSeconds(60)).until(() -> client.admin(notifier, "POST",
                    "/v1/admin/projects/e2e-alerts/webhooks", ADMIN_TOKEN, "{\"url\":\"" + receiver.url() + "\"}"),
                    a -> a.status() != 503);
            assertThat(hook.status()).as(hook.text()).isEqualTo(201);
            String uses = IntStream.range(0, 4).mapToObj(i -> event("u" + i, "feature_used", "user" + i, "billing", ""))
                    .collect(Collectors.joining(","));
            assertThat(client.postEvents(keys.writeKey(), "{\"events\":[" + uses + "]}").status()).isEqualTo(202);
            String history = "/v1/projects/e2e-alerts/features/billing/history";
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() ->
                    assertThat(client.get(history, keys.readKey()).body().get("changes")).hasSize(1));
            String first = client.get(history, keys.readKey()).body().get("action").asText();
            assertThat(receiver.received).as("the first call alerts nobody").isEmpty();

            String failures = IntStream.range(0, 4).mapToObj(i -> event("x" + i, "feature_failed", "user" + (i % 2),
                    "billing", ",\"errorCode\":\"card_declined\"")).collect(Collectors.joining(","));
            assertThat(client.postEvents(keys.writeKey(), "{\"events\":[" + failures + "]}").status()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                    assertThat(receiver.received).extracting(AlertReceiver.Received::type)
                            .contains("recommendation_changed", "failure_spike"));
            var changed = receiver.received.stream().filter(r -> r.type().equals("recommendation_changed")).findFirst()
                    .orElseThrow();
            assertThat(changed.feature()).isEqualTo("billing");
            // The call changes with the first failures insights sees: the two users' failures are on different
            // partitions, so the alert may name 2 of 6 attempts as well as 4 of 8 (the notifier does not wait).
            assertThat(changed.text()).startsWith("Northstar: *billing* in e2e-alerts is now *improve* (was " + first + "): ")
                    .containsPattern("failure rate \\d+\\.\\d% \\([1-4] of [5-8] attempts, 28 days\\)");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() ->
                    assertThat(client.get("/v1/projects/e2e-alerts/features/billing", keys.readKey()).body()
                            .get("failureRate").asDouble()).isEqualTo(0.5));
            var page = client.get(history, keys.readKey()).body();
            assertThat(page.get("action").asText()).isEqualTo("improve");
            assertThat(page.get("changes")).hasSize(2);
            assertThat(page.get("changes").get(0).get("from").asText()).isEqualTo(first);
        }
    }

    /**
     * The catalogue across processes: declared at ingest, shown by insights before any use; in strict
     * mode an event for an undeclared feature is rejected and the rest of its batch counted.
     */
    @Test
    void aDeclaredFeatureIsListedBeforeItsFirstUseAndAStrictCatalogueRejectsUndeclaredOnes() {
        var keys = createProject("e2e-catalogue");
        String features = "/v1/admin/projects/e2e-catalogue/features/";
        String released = java.time.LocalDate.now(java.time.ZoneOffset.UTC).minusDays(20).toString();
        var declared = client.adminPut(ADMIN_TOKEN, features + "tour",
                "{\"name\":\"Product tour\",\"owner\":\"growth\",\"releasedAt\":\"" + released + "\"}");
        assertThat(declared.status()).as(declared.text()).isEqualTo(201);
        assertThat(client.adminPut(ADMIN_TOKEN, features + "export", "{}").status()).isEqualTo(201);
        assertThat(client.adminPut(ADMIN_TOKEN, "/v1/admin/projects/e2e-catalogue/settings",
                "{\"catalogue\":\"strict\"}").status()).isEqualTo(200);

        var answer = client.postEvents(keys.writeKey(), "{\"events\":["
                + event("c1", "feature_used", "ann", "export", "") + ","
                + event("c2", "feature_used", "bob", "undeclared", "") + ","
                + event("c3", "feature_used", "bob", "export", "") + "]}");
        assertThat(answer.status()).as(answer.text()).isEqualTo(202);
        assertThat(answer.body().get("accepted").asInt()).isEqualTo(2);
        assertThat(answer.body().get("results").get(1).get("error").asText())
                .startsWith("events[1].feature: 'undeclared' is not declared in the catalogue of project e2e-catalogue");

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().untilAsserted(() -> {
            var page = client.get("/v1/projects/e2e-catalogue/features", keys.readKey());
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body().get("features")).hasSize(2);
            JsonNode export = feature(page.body(), "export");
            assertThat(export.get("users").get("d28").asInt()).isEqualTo(2);
            assertThat(export.get("declared").asBoolean()).isTrue();
            JsonNode tour = feature(page.body(), "tour");
            assertThat(tour.get("users").get("d28").asInt()).isZero();
            assertThat(tour.get("catalogue").get("owner").asText()).isEqualTo("growth");
            assertThat(tour.get("declared").asBoolean()).isTrue();
            assertThat(tour.get("recommendation").get("reasons").get(0).asText())
                    .startsWith("adoption 0.0% (0 of 2 active users, 28 days) is below the 5.0% sunset threshold");
        });
    }

    @Test
    void badRequestsGetProblemsAndPublishNothing() {
        var keys = createProject("e2e-bad");
        var malformed = client.postEvents(keys.writeKey(), "{\"events\":[{\"eventId\":");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().get("detail").asText()).contains("Malformed JSON");
        assertThat(client.postEvents("nsw_0000000000000000_wrong", "{\"events\":[]}").status()).isEqualTo(401);
        assertThat(client.postEvents(keys.readKey(), "{\"events\":[" + event("x", "feature_used", "u", "f", "") + "]}")
                .status()).isEqualTo(401);
        assertThat(client.get("/v1/projects/e2e-bad/features", keys.writeKey()).status()).isEqualTo(401);
        // insights learns a new project's keys from the projects topic, a moment after it was created
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(client.get("/v1/projects/e2e-bad/features", keys.readKey()).status()).isEqualTo(200));
        assertThat(client.get("/v1/projects/e2e-flow/features", keys.readKey()).status()).isEqualTo(404);
    }

    @Test
    void theDemoPopulationLeadsToEveryRecommendation() {
        var keys = createProject("e2e-demo");
        List<Map<String, Object>> events = new DemoPopulation(7, 300, Instant.now()).events();
        long accepted = DemoFeeder.feed(client.ingest(), keys.writeKey(), events, s -> { });
        assertThat(accepted).isEqualTo(events.size());

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            var page = client.get("/v1/projects/e2e-demo/features", keys.readKey());
            Set<String> actions = new HashSet<>();
            page.body().get("features").forEach(f -> actions.add(f.get("recommendation").get("action").asText()));
            assertThat(actions).as(page.text()).containsExactlyInAnyOrder("expand", "improve", "sunset", "watch");
            assertThat(feature(page.body(), "legacy-reports").get("recommendation").get("action").asText())
                    .isEqualTo("sunset");
            assertThat(feature(page.body(), "search").get("recommendation").get("action").asText())
                    .isEqualTo("improve");
        });
    }
}
