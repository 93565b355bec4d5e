package dev.northstar.notifier;

import dev.northstar.model.json.NorthstarJson;
import dev.northstar.model.notify.FeatureHistory;
import dev.northstar.model.notify.WebhookDelivery;
import dev.northstar.model.project.ProjectEvent;
import dev.northstar.model.snapshot.FeatureInsight;
import dev.northstar.model.snapshot.FeatureInsight.Action;
import dev.northstar.model.topic.Topics;
import dev.northstar.registry.KeyRole;
import dev.northstar.registry.ProjectKeys;
import dev.northstar.testkit.KafkaResource;
import dev.northstar.testkit.TopicReader;
import dev.northstar.testkit.TopicWriter;
import dev.northstar.testkit.WebhookReceiver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * Webhooks the way an operator uses them, with real HTTP receivers in this JVM and recommendations
 * written to the feature-insights topic as insights writes them: a change is detected once, delivered
 * signed with its idempotency id, retried after failures and timeouts, and logged.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class WebhooksFlowTest {

    private static final String PROJECT = "n-" + UUID.randomUUID().toString().substring(0, 8);
    private static final Instant T0 = Instant.now();

    private static String json(Object value) {
        try {
            return NorthstarJson.mapper().writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void registerProject() {
        try (var writer = new TopicWriter(KafkaResource.bootstrapServers())) {
            writer.send(Topics.PROJECTS.name(), PROJECT, json(new ProjectEvent.ProjectRegistered(PROJECT, PROJECT,
                    ProjectKeys.issue(KeyRole.WRITE).hash(), ProjectKeys.issue(KeyRole.READ).hash(), T0)));
        }
    }

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer test-admin-token");
    }

    private static Response create(String body) {
        return admin().contentType(ContentType.JSON).body(body).post("/v1/admin/projects/" + PROJECT + "/webhooks");
    }

    private static Map<String, Object> created(String url, String events) {
        var response = await().atMost(Duration.ofSeconds(30)).until(() -> create("{\"url\":\"" + url + "\""
                + (events == null ? "" : ",\"events\":" + events) + "}"), r -> r.statusCode() != 503);
        response.then().statusCode(201).body("secret", notNullValue());
        return response.jsonPath().getMap("$");
    }

    private static void publish(String feature, Action action, double failureRate, boolean failing, Instant at) {
        try (var writer = new TopicWriter(KafkaResource.bootstrapServers())) {
            writer.send(Topics.FEATURE_INSIGHTS.name(), Topics.featureKey(PROJECT, feature), json(new FeatureInsight(
                    PROJECT, feature, 0.4, failureRate, 4.2, 12, new FeatureInsight.Recommendation(action,
                    List.of("adoption 40.0% (160 of 400 active users, 28 days)", "because " + action.wireName())),
                    at, failing)));
        }
    }

    private static List<Map<String, Object>> deliveries(String webhookId) {
        return admin().get("/v1/admin/projects/" + PROJECT + "/webhooks/" + webhookId + "/deliveries")
                .then().statusCode(200).extract().jsonPath().getList("deliveries");
    }

    @Test
    void aReceiverThatFailsThreeTimesGetsTheAlertOnTheFourthAttemptSignedWithOneIdempotencyId() throws Exception {
        String feature = "export";
        try (var receiver = new WebhookReceiver(n -> n < 3 ? 503 : 200)) {
            var webhook = created(receiver.url("/hooks/northstar"), "[\"recommendation_changed\"]");
            String id = (String) webhook.get("id");
            String secret = (String) webhook.get("secret");
            assertThat(secret).startsWith("whsec_").hasSizeGreaterThan(40);
            assertThat(webhook.get("signature")).asString().contains("HMAC-SHA256");

            // the secret is shown once: never in a read or a list
            admin().get("/v1/admin/projects/" + PROJECT + "/webhooks/" + id).then().statusCode(200)
                    .body("secret", nullValue()).body("url", equalTo(receiver.url("/hooks/northstar")))
                    .body("events", equalTo(List.of("recommendation_changed")));
            admin().get("/v1/admin/projects/" + PROJECT + "/webhooks").then().statusCode(200)
                    .body(not(containsString(secret)));

            publish(feature, Action.WATCH, 0.01, false, T0);                     // the first call: history, no alert
            publish(feature, Action.WATCH, 0.01, false, T0.plusSeconds(60));     // a republish: nothing
            publish(feature, Action.EXPAND, 0.01, false, T0.plusSeconds(120));   // a change

            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() >= 4);
            Thread.sleep(1500);   // nothing more comes once it is delivered
            var received = receiver.received();
            assertThat(received).hasSize(4);
            String deliveryId = received.get(0).header("Northstar-Delivery-Id");
            assertThat(received).allSatisfy(r -> {
                assertThat(r.header("Northstar-Delivery-Id")).isEqualTo(deliveryId);
                assertThat(r.header("Idempotency-Key")).isEqualTo(deliveryId);
                assertThat(r.header("Northstar-Event")).isEqualTo("recommendation_changed");
                assertThat(r.header("Northstar-Webhook-Id")).isEqualTo(id);
                assertThat(r.header("Content-Type")).isEqualTo("application/json");
                String t = r.header("Northstar-Signature").replaceAll("^t=(\\d+),v1=.*$", "$1");
                // as a receiver checks it: HMAC-SHA256 with the secret over "<t>.<raw body>", computed here
                assertThat(r.header("Northstar-Signature")).isEqualTo("t=" + t + ",v1=" + hmacSha256(secret, t + "." + r.body()));
                assertThat(Math.abs(Long.parseLong(t) - Instant.now().getEpochSecond())).isLessThan(120);
            });
            var body = NorthstarJson.mapper().readTree(received.get(0).body());
            assertThat(body.get("id").asText()).isEqualTo(deliveryId);
            assertThat(body.get("type").asText()).isEqualTo("recommendation_changed");
            assertThat(body.get("text").asText()).isEqualTo("Northstar: *export* in " + PROJECT
                    + " is now *expand* (was watch): adoption 40.0% (160 of 400 active users, 28 days); because expand");
            assertThat(body.get("previousAction").asText()).isEqualTo("watch");
            assertThat(body.get("action").asText()).isEqualTo("expand");

            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(deliveries(id)).singleElement()
                    .satisfies(d -> {
                        assertThat(d.get("id")).isEqualTo(deliveryId);
                        assertThat(d.get("status")).isEqualTo("delivered");
                        assertThat(d.get("attemptCount")).isEqualTo(4);
                        @SuppressWarnings("unchecked")
                        var attempts = (List<Map<String, Object>>) d.get("attempts");
                        assertThat(attempts.stream().map(a -> a.get("status")).toList()).containsExactly(503, 503, 503, 200);
                    }));

            // the history of the feature: newest first, with the reasons of each call
            try (var history = new TopicReader(KafkaResource.bootstrapServers(), Topics.FEATURE_HISTORY.name())) {
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    var h = history.latest(Topics.featureKey(PROJECT, feature), FeatureHistory.class).orElseThrow();
                    assertThat(h.changes()).extracting(FeatureHistory.Change::to).containsExactly(Action.EXPAND, Action.WATCH);
                    assertThat(h.changes().get(0).from()).isEqualTo(Action.WATCH);
                    assertThat(h.changes().get(0).at()).isEqualTo(T0.plusSeconds(120));
                });
            }
        }
    }

    @Test
    void aReceiverThatNeverAnswersIsRetriedAfterEachTimeoutAndTheLogSaysSo() throws Exception {
        String feature = "search";
        try (var receiver = new WebhookReceiver(n -> -1)) {
            String id = (String) created(receiver.url("/slow"), null).get("id");
            publish(feature, Action.WATCH, 0.02, false, T0);
            publish(feature, Action.IMPROVE, 0.25, true, T0.plusSeconds(30));   // two alerts: changed, failure spike

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                var log = deliveries(id);
                assertThat(log).hasSize(2);
                assertThat(log).extracting(d -> d.get("type"))
                        .containsExactlyInAnyOrder("recommendation_changed", "failure_spike");
                assertThat(log).allSatisfy(d -> {
                    assertThat(d.get("status")).isEqualTo("pending");
                    assertThat((Integer) d.get("attemptCount")).isGreaterThanOrEqualTo(2);
                    assertThat(d.get("nextAttemptAt")).isNotNull();
                    assertThat((List<?>) d.get("attempts")).allSatisfy(a -> {
                        assertThat(((Map<?, ?>) a).get("status")).isEqualTo(0);
                        assertThat(((Map<?, ?>) a).get("error")).isEqualTo("no whole answer within the deadline (1000 ms)");
                    });
                });
            });
            var ids = receiver.received().stream().map(r -> r.header("Northstar-Delivery-Id")).toList();
            assertThat(ids).as("two alerts, each retried with its own id").hasSizeGreaterThanOrEqualTo(4).doesNotContainNull();
            assertThat(new java.util.HashSet<>(ids)).hasSize(2);
        }
    }

    @Test
    void aDeletedWebhookGetsNothingMoreAndItsPendingDeliveriesAreGivenUp() throws Exception {
        String feature = "reports";
        try (var receiver = new WebhookReceiver(n -> 500)) {
            String id = (String) created(receiver.url("/gone"), "[\"failure_spike\"]").get("id");
            publish(feature, Action.WATCH, 0.02, false, T0);
            publish(feature, Action.WATCH, 0.5, true, T0.plusSeconds(30));
            await().atMost(Duration.ofSeconds(30)).until(() -> receiver.received().size() >= 2);
            admin().delete("/v1/admin/projects/" + PROJECT + "/webhooks/" + id).then().statusCode(204);
            admin().get("/v1/admin/projects/" + PROJECT + "/webhooks/" + id).then().statusCode(404)
                    .contentType("application/problem+json");
            int seen = receiver.received().size();
            Thread.sleep(2500);
            assertThat(receiver.received().size()).as("at most the attempt in flight").isLessThanOrEqualTo(seen + 1);
        }
    }

    /**
     * The secret shown at creation is never on the webhooks topic in clear (so never in a dead letter of
     * it either), a rotation answers a new one once, and for a day deliveries carry both signatures, the
     * new first. (Before, the topic held the secret as shown, and there was no way to change it.)
     */
    @Test
    void secretsAreSealedOnTheTopicAndARotationSignsWithBothForADay() throws Exception {
        String feature = "rotate-" + UUID.randomUUID().toString().substring(0, 6);
        try (var receiver = new WebhookReceiver(n -> 200)) {
            var webhook = created(receiver.url("/hooks/rotating"), "[\"recommendation_changed\"]");
            String id = (String) webhook.get("id");
            String first = (String) webhook.get("secret");
            try (var topic = new TopicReader(KafkaResource.bootstrapServers(), Topics.WEBHOOKS.name())) {
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(topic.values(v -> v.contains(id)))
                        .isNotEmpty().allSatisfy(v -> assertThat(v).contains("\"secret\":\"sealed:v1:").doesNotContain(first)));
            }

            var rotated = admin().post("/v1/admin/projects/" + PROJECT + "/webhooks/" + id + "/rotate-secret")
                    .then().statusCode(200).extract().jsonPath();
            String second = rotated.getString("secret");
            assertThat(second).startsWith("whsec_").isNotEqualTo(first);
            assertThat(rotated.getString("id")).isEqualTo(id);
            admin().post("/v1/admin/projects/" + PROJECT + "/webhooks/wh_nope/rotate-secret").then().statusCode(404);
            given().post("/v1/admin/projects/" + PROJECT + "/webhooks/" + id + "/rotate-secret").then().statusCode(401);
            try (var topic = new TopicReader(KafkaResource.bootstrapServers(), Topics.WEBHOOKS.name())) {
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(topic.values(v -> v.contains(id)))
                        .allSatisfy(v -> assertThat(v).doesNotContain(first).doesNotContain(second)));
            }

            publish(feature, Action.WATCH, 0.01, false, T0);
            publish(feature, Action.EXPAND, 0.01, false, T0.plusSeconds(60));
            await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.received().isEmpty());
            var r = receiver.received().get(0);
            String t = r.header("Northstar-Signature").replaceAll("^t=(\\d+),.*$", "$1");
            assertThat(r.header("Northstar-Signature")).isEqualTo("t=" + t + ",v1=" + hmacSha256(second, t + "." + r.body())
                    + ",v1=" + hmacSha256(first, t + "." + r.body()));
        }
    }

    @Test
    void badWebhooksAreRefusedNamingTheRule() {
        await().atMost(Duration.ofSeconds(30)).until(() -> create("{}").statusCode() != 503);
        check(create("{\"url\":\"ftp://hooks.example.com/x\"}"), 400, "url must be https (or http to a network the operator allows), not 'ftp'");
        check(create("{\"url\":\"http://169.254.169.254/latest/meta-data\"}"), 400,
                "url's host '169.254.169.254' is 169.254.169.254, a link-local address: refused unless an operator "
                        + "allows its network (NORTHSTAR_NOTIFIER_ALLOWED_NETWORKS)");
        check(create("{\"url\":\"http://10.0.0.7/hook\"}"), 400, "a private address");
        check(create("{\"url\":\"http://[::1]:9/hook\"}"), 400, "a loopback address");
        check(create("{\"url\":\"https://hooks.example.com/" + "x".repeat(2048) + "\"}"), 400, "at most 2048");
        check(create("{\"url\":\"http://127.0.0.1:9/x\",\"events\":[\"everything\"]}"), 400,
                "events[0]: '\"everything\"' is not recommendation_changed or failure_spike");
        check(create("{\"url\":\"http://127.0.0.1:9/x\",\"events\":[]}"), 400, "events: a non-empty array");
        check(create("{\"url\":\"http://127.0.0.1:9/x\",\"secret\":\"mine\"}"), 400, "secret: unknown field");
        check(create("{\"url\":42}"), 400, "url: required, a string");
        check(create("[1]"), 400, "the body must be a JSON object");
        check(admin().contentType(ContentType.JSON).body("{\"url\":\"http://127.0.0.1:9/x\"}")
                .post("/v1/admin/projects/no-such-project/webhooks"), 404, "no project no-such-project");
        check(given().contentType(ContentType.JSON).body("{\"url\":\"http://127.0.0.1:9/x\"}")
                .post("/v1/admin/projects/" + PROJECT + "/webhooks"), 401, "admin token");
        check(admin().get("/v1/admin/projects/" + PROJECT + "/webhooks/wh_missing/deliveries"), 404,
                "has no webhook wh_missing");
    }

    private static String hmacSha256(String key, String data) {
        try {
            var mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(data.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void check(Response response, int status, String detail) {
        response.then().statusCode(status).contentType("application/problem+json").body("detail", containsString(detail));
    }

    private static org.hamcrest.Matcher<String> not(org.hamcrest.Matcher<String> matcher) {
        return org.hamcrest.Matchers.not(matcher);
    }

    @Test
    void aRecommendationThatCannotBeReadIsDeadLetteredAndTheNextOnesCount() throws Exception {
        try (var writer = new TopicWriter(KafkaResource.bootstrapServers())) {
            writer.send(Topics.FEATURE_INSIGHTS.name(), Topics.featureKey(PROJECT, "broken"), "{not json");
            writer.send(Topics.FEATURE_INSIGHTS.name(), Topics.featureKey(PROJECT, "forged"), json(new FeatureInsight(
                    "someone-else", "forged", 0, 0, null, 0, new FeatureInsight.Recommendation(Action.WATCH, List.of()),
                    T0)));
        }
        publish("after-pills", Action.WATCH, 0, false, T0);
        try (var history = new TopicReader(KafkaResource.bootstrapServers(), Topics.FEATURE_HISTORY.name());
             var deadLetters = new TopicReader(KafkaResource.bootstrapServers(), Topics.DEAD_LETTER.name())) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                    history.latest(Topics.featureKey(PROJECT, "after-pills"), FeatureHistory.class)).isPresent());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                var ours = deadLetters.values(v -> v.contains("\"service\":\"notifier\""));
                assertThat(ours).anyMatch(v -> v.contains(PROJECT + "/broken") || v.contains("{not json"));
                assertThat(ours).anyMatch(v -> v.contains("under the key projectId/feature of its body"));
            });
        }
    }
}
