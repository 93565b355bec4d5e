package dev.northstar.insights;

import dev.northstar.testkit.Management;
import dev.northstar.registry.KeyRole;
import dev.northstar.registry.ProjectKeys;
import dev.northstar.model.json.NorthstarJson;
import dev.northstar.model.project.ProjectEvent;
import dev.northstar.model.snapshot.FeatureInsight;
import dev.northstar.model.snapshot.AdoptionRecord.FeatureAdoption;
import dev.northstar.model.snapshot.AdoptionRecord.ProjectActivity;
import dev.northstar.model.snapshot.DailyUsers;
import dev.northstar.model.snapshot.FeatureFeedback;
import dev.northstar.model.snapshot.FeatureTrend;
import dev.northstar.model.snapshot.FrictionRecord.ErrorCodeCount;
import dev.northstar.model.snapshot.FrictionRecord.FeatureFriction;
import dev.northstar.model.snapshot.FrictionRecord.FunnelProgress;
import dev.northstar.model.snapshot.FrictionRecord.FunnelStep;
import dev.northstar.model.snapshot.UserCounts;
import dev.northstar.model.snapshot.WeeklyUsers;
import dev.northstar.model.topic.Topics;
import dev.northstar.platform.messaging.SnapshotSender;
import dev.northstar.testkit.KafkaResource;
import dev.northstar.testkit.TopicReader;
import dev.northstar.testkit.TopicWriter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class QueryApiTest {

    private static final Instant NOW = Instant.now();
    private static final String PROJECT = "p-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String OTHER = "p-" + UUID.randomUUID().toString().substring(0, 8);
    /** A feature of the other project whose snapshots land on the same partition as its "export". */
    private static final String BARRIER = java.util.stream.IntStream.range(0, 10_000).mapToObj(i -> "barrier-" + i)
            .filter(f -> partitionOf(OTHER + "/" + f) == partitionOf(OTHER + "/export")).findFirst().orElseThrow();
    private static final String CATALOGUED = "p-" + UUID.randomUUID().toString().substring(0, 8);
    private static String readKey;
    private static String otherReadKey;
    private static String cataloguedReadKey;
    private static String writeKey;

    private static int partitionOf(String key) {
        return org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % Topics.DEFAULT_PARTITIONS;
    }

    private static String json(Object value) {
        try {
            return NorthstarJson.mapper().writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String register(TopicWriter writer, String projectId) {
        var write = ProjectKeys.issue(KeyRole.WRITE);
        var read = ProjectKeys.issue(KeyRole.READ);
        writer.send(Topics.PROJECTS.name(), projectId, json(new ProjectEvent.ProjectRegistered(projectId, projectId,
                write.hash(), read.hash(), NOW)));
        if (projectId.equals(PROJECT)) {
            writeKey = write.key();
        }
        return read.key();
    }

    @BeforeAll
    static void publishSignals() {
        try (var writer = new TopicWriter(KafkaResource.bootstrapServers())) {
            // A poison pill first on every input topic: each is dead-lettered, the records after it still count.
            writer.send(Topics.PROJECTS.name(), PROJECT, "{\"type\":\"project_registered\",\"projectId\":");
            writer.send(Topics.FEATURE_ADOPTION.name(), PROJECT + "/export", "not json " + PROJECT);
            writer.send(Topics.FEATURE_FRICTION.name(), PROJECT + "/search", "[\"" + PROJECT + "\"]");
            readKey = register(writer, PROJECT);
            otherReadKey = register(writer, OTHER);
            String adoption = Topics.FEATURE_ADOPTION.name();
            writer.send(adoption, PROJECT, json(new ProjectActivity(PROJECT, new UserCounts(300, 400, 500), NOW)));
            LocalDate today = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
            writer.send(adoption, PROJECT + "/export", json(new FeatureAdoption(PROJECT, "export",
                    new UserCounts(100, 200, 210), 900, NOW.minus(Duration.ofDays(60)), NOW,
                    IntStream.range(0, 28).mapToObj(d -> new DailyUsers(today.minusDays(27 - d), 20, 30)).toList(), NOW,
                    null, null, new FeatureTrend(IntStream.range(0, 8).mapToObj(w -> WeeklyUsers.of(
                            WeeklyUsers.monday(today).minusWeeks(7 - w), 40 + w)).toList(), 50, 40), 30L)));
            writer.send(adoption, PROJECT + "/legacy-report", json(new FeatureAdoption(PROJECT, "legacy-report",
                    new UserCounts(1, 4, 50), 60, NOW.minus(Duration.ofDays(90)), NOW, List.of(), NOW)));
            writer.send(adoption, PROJECT + "/search", json(new FeatureAdoption(PROJECT, "search",
                    new UserCounts(40, 80, 90), 300, NOW.minus(Duration.ofDays(30)), NOW, List.of(), NOW)));
            writer.send(Topics.FEATURE_FRICTION.name(), PROJECT + "/search", json(new FeatureFriction(PROJECT,
                    "search", 240, 60, 0.2, 75, List.of(new ErrorCodeCount("timeout", 70)), NOW)));
            writer.send(Topics.FEATURE_FRICTION.name(), PROJECT + "/funnels/signup", json(new FunnelProgress(PROJECT,
                    "signup", List.of(new FunnelStep(1, 100, 1.0), new FunnelStep(2, 40, 0.4)), NOW)));
            writer.send(Topics.FEATURE_FEEDBACK.name(), PROJECT + "/export", json(new FeatureFeedback(PROJECT,
                    "export", 3, 4.67, List.of(0L, 0L, 0L, 1L, 2L),
                    List.of(new FeatureFeedback.Comment("c1", 5, "<script>alert(1)</script>", NOW)), NOW)));
            writer.send(Topics.FEATURE_FEEDBACK.name(), PROJECT + "/export", "{broken");
            // A forged snapshot: its key says the other project, its body says this one (and a new feature).
            writer.send(adoption, OTHER + "/forged", json(new FeatureAdoption(PROJECT, "forged",
                    new UserCounts(9, 9, 9), 9, NOW.minus(Duration.ofDays(3)), NOW, List.of(), NOW)));
            // Snapshots of the other project with versions: the one of version 10 arrives after the one of
            // version 20 (an instance that lost the partition publishing late) and must not replace it.
            writer.send(adoption, OTHER + "/export", json(new FeatureAdoption(OTHER, "export",
                    new UserCounts(7, 7, 7), 70, NOW.minus(Duration.ofDays(3)), NOW, List.of(), NOW)),
                    java.util.Map.of(SnapshotSender.VERSION_HEADER, "20"));
            writer.send(adoption, OTHER + "/export", json(new FeatureAdoption(OTHER, "export",
                    new UserCounts(2, 2, 2), 20, NOW.minus(Duration.ofDays(3)), NOW, List.of(), NOW)),
                    java.util.Map.of(SnapshotSender.VERSION_HEADER, "10"));
            // On the same partition as "export", written after it: once it is served, the late v10 was read.
            writer.send(adoption, OTHER + "/" + BARRIER, json(new FeatureAdoption(OTHER, BARRIER,
                    new UserCounts(1, 1, 1), 1, NOW.minus(Duration.ofDays(3)), NOW, List.of(), NOW)),
                    java.util.Map.of(SnapshotSender.VERSION_HEADER, "21"));

            // A project with a catalogue: "tour" declared, released 30 days ago, never used; "export" declared
            // and used; "search" used but not declared.
            cataloguedReadKey = register(writer, CATALOGUED);
            writer.send(adoption, CATALOGUED, json(new ProjectActivity(CATALOGUED, new UserCounts(300, 400, 500), NOW)));
            writer.send(adoption, CATALOGUED + "/export", json(new FeatureAdoption(CATALOGUED, "export",
                    new UserCounts(100, 200, 210), 900, NOW.minus(Duration.ofDays(3)), NOW, List.of(), NOW)));
            writer.send(adoption, CATALOGUED + "/search", json(new FeatureAdoption(CATALOGUED, "search",
                    new UserCounts(10, 20, 20), 30, NOW.minus(Duration.ofDays(3)), NOW, List.of(), NOW)));
            writer.send(Topics.PROJECTS.name(), Topics.declarationKey(CATALOGUED, "tour"), json(
                    new ProjectEvent.FeatureDeclared(CATALOGUED, "tour", "Product tour", "First-run tour", "growth",
                            LocalDate.ofInstant(NOW, ZoneOffset.UTC).minusDays(30), ProjectEvent.FeatureStatus.BETA, NOW)));
            writer.send(Topics.PROJECTS.name(), Topics.declarationKey(CATALOGUED, "export"), json(
                    new ProjectEvent.FeatureDeclared(CATALOGUED, "export", "Export", null, "data-team",
                            LocalDate.ofInstant(NOW, ZoneOffset.UTC).minusDays(60), ProjectEvent.FeatureStatus.GA, NOW)));
            writer.send(Topics.PROJECTS.name(), Topics.declarationKey(CATALOGUED, "removed"), json(
                    new ProjectEvent.FeatureDeclared(CATALOGUED, "removed", "Removed", null, null, null, null, NOW)));
            writer.send(Topics.PROJECTS.name(), Topics.declarationKey(CATALOGUED, "removed"), (String) null);

            // The notifier's history of export; a history under a key its body does not match is not trusted.
            var first = new dev.northstar.model.notify.FeatureHistory.Change(NOW.minus(Duration.ofDays(7)), null,
                    FeatureInsight.Action.WATCH, List.of("adoption between the thresholds"), 0.1, 0, null);
            var second = new dev.northstar.model.notify.FeatureHistory.Change(NOW.minus(Duration.ofDays(1)),
                    FeatureInsight.Action.WATCH, FeatureInsight.Action.EXPAND, List.of("adoption 50.0%"), 0.5, 0, 4.67);
            writer.send(Topics.FEATURE_HISTORY.name(), PROJECT + "/export", json(new dev.northstar.model.notify.FeatureHistory(
                    PROJECT, "export", FeatureInsight.Action.EXPAND, false, List.of(second, first), null)));
            writer.send(Topics.FEATURE_HISTORY.name(), OTHER + "/export", json(new dev.northstar.model.notify.FeatureHistory(
                    PROJECT, "export", FeatureInsight.Action.SUNSET, false, List.of(), null)));
        }
    }

    @Test
    void aFeaturesHistoryIsServedNewestFirstAndEmptyBeforeTheNotifierRecordedIt() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                as(readKey).get("/v1/projects/" + PROJECT + "/features/export/history").then().statusCode(200)
                        .body("changes", hasSize(2)));
        as(readKey).get("/v1/projects/" + PROJECT + "/features/export/history").then().statusCode(200)
                .body("action", equalTo("expand"))
                .body("changes.to", contains("expand", "watch"))
                .body("changes[0].from", equalTo("watch"))
                .body("changes[1].from", org.hamcrest.Matchers.nullValue())
                .body("changes[0].reasons", contains("adoption 50.0%"))
                .body("changes[0].ratingAverage", equalTo(4.67f));
        as(readKey).get("/v1/projects/" + PROJECT + "/features/search/history").then().statusCode(200)
                .body("changes", hasSize(0)).body("action", org.hamcrest.Matchers.nullValue());
        as(readKey).get("/v1/projects/" + PROJECT + "/features/nothing-here/history").then().statusCode(404)
                .contentType("application/problem+json");
        as(readKey).get("/v1/projects/" + PROJECT + "/features/Not_A_Slug/history").then().statusCode(404)
                .contentType("application/problem+json").body("detail", containsString("names match"));
        as(otherReadKey).get("/v1/projects/" + OTHER + "/features/export/history").then().statusCode(200)
                .body("changes", hasSize(0));   // the forged record was dead-lettered, not served
        as(otherReadKey).get("/v1/projects/" + PROJECT + "/features/export/history").then().statusCode(404);
    }

    @Test
    void declaredFeaturesAreListedEvenUnusedAndSunsetCountsFromTheRelease() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                as(cataloguedReadKey).get("/v1/projects/" + CATALOGUED + "/features").then().statusCode(200)
                        .body("features", hasSize(3)));
        as(cataloguedReadKey).queryParam("sort", "feature").get("/v1/projects/" + CATALOGUED + "/features")
                .then().statusCode(200)
                .body("features.feature", contains("export", "search", "tour"))
                .body("features.declared", contains(true, false, true))
                .body("features[0].catalogue.owner", equalTo("data-team"))
                .body("features[1].catalogue", org.hamcrest.Matchers.nullValue())
                .body("features[2].catalogue.name", equalTo("Product tour"))
                .body("features[2].catalogue.status", equalTo("beta"))
                .body("features[2].users.d28", equalTo(0))
                .body("features[2].adoption", equalTo(0.0f))
                .body("features[2].recommendation.action", equalTo("sunset"))
                .body("features[2].recommendation.reasons[0]", equalTo("adoption 0.0% (0 of 400 active users, 28 days) "
                        + "is below the 5.0% sunset threshold; no use recorded since release 30 days ago"));
        as(cataloguedReadKey).get("/v1/projects/" + CATALOGUED + "/features/tour").then().statusCode(200)
                .body("declared", equalTo(true)).body("catalogue.releasedAt", equalTo(
                        LocalDate.ofInstant(NOW, ZoneOffset.UTC).minusDays(30).toString()));
        as(cataloguedReadKey).get("/v1/projects/" + CATALOGUED + "/features/removed").then().statusCode(404);
    }

    @Test
    void deadLettersAPoisonPillOnEveryInputTopicAndReadsOn() {
        // The valid records written after the pills were read: the project's features are served.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(readKey).get("/v1/projects/" + PROJECT + "/features")
                .then().statusCode(200).body("features", hasSize(3)));
        try (var deadLetters = new TopicReader(KafkaResource.bootstrapServers(), Topics.DEAD_LETTER.name())) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<String> ours = deadLetters.values(v -> v.contains("\"service\":\"insights\""));
                assertThat(ours).as("the forged snapshot").anyMatch(v -> v.contains("record key '" + OTHER
                        + "/forged' does not match the project and feature of its body ('" + PROJECT + "/forged')"));
                for (var topic : List.of(Topics.PROJECTS, Topics.FEATURE_ADOPTION, Topics.FEATURE_FRICTION,
                        Topics.FEATURE_FEEDBACK)) {
                    assertThat(ours).as("dead letters from " + topic.name())
                            .anyMatch(v -> v.contains("\"sourceTopic\":\"" + topic.name() + "\""));
                }
            });
        }
    }

    private static io.restassured.specification.RequestSpecification as(String key) {
        return given().header("Authorization", "Bearer " + key);
    }

    @Test
    void listsFeaturesWithRecommendationsAndReasons() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                as(readKey).get("/v1/projects/" + PROJECT + "/features").then().statusCode(200)
                        .body("features", hasSize(3)));

        as(readKey).get("/v1/projects/" + PROJECT + "/features").then().statusCode(200)
                .body("projectId", equalTo(PROJECT))
                .body("activeUsers.d28", equalTo(400))
                .body("features.feature", contains("export", "search", "legacy-report"))
                .body("features[0].users.d28", equalTo(200))
                .body("features[0].uses", equalTo(900))
                .body("features[0].adoption", equalTo(0.5f))
                .body("features[0].rating.count", equalTo(3))
                .body("features[0].recommendation.action", equalTo("expand"))
                .body("features[0].trend.weekly", hasSize(8))
                .body("features[0].trend.weekly[7].users", equalTo(47))
                .body("features[0].trend.change", equalTo(0.25f))
                .body("features[0].returningUsers", equalTo(30))
                .body("features[0].stickiness", equalTo(0.1f))
                .body("features[0].recommendation.wouldChange[0].text",
                        equalTo("expand clears below 30.0% adoption: 81 fewer of 400 active users"))
                .body("features[1].recommendation.action", equalTo("improve"))
                .body("features[1].failureRate", equalTo(0.2f))
                .body("features[2].recommendation.action", equalTo("sunset"))
                .body("features[2].recommendation.reasons[0]", equalTo(
                        "adoption 1.0% (4 of 400 active users, 28 days) is below the 5.0% sunset threshold; "
                                + "first seen 90 days ago"));

        as(readKey).queryParam("recommendation", "improve").get("/v1/projects/" + PROJECT + "/features")
                .then().statusCode(200).body("features.feature", contains("search"));
        as(readKey).queryParam("sort", "feature").get("/v1/projects/" + PROJECT + "/features")
                .then().statusCode(200).body("features.feature", contains("export", "legacy-report", "search"));
        as(readKey).queryParam("sort", "nonsense").get("/v1/projects/" + PROJECT + "/features")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("sort: must be one of"));
    }

    @Test
    void showsAFeatureAndAFunnelInDetail() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                as(readKey).get("/v1/projects/" + PROJECT + "/features/search").then().statusCode(200)
                        .body("errorCodes[0].errorCode", equalTo("timeout")));
        as(readKey).get("/v1/projects/" + PROJECT + "/features/export").then().statusCode(200)
                .body("recentComments[0].comment", equalTo("<script>alert(1)</script>"))
                .body("ratingDistribution", contains(0, 0, 0, 1, 2));
        as(readKey).get("/v1/projects/" + PROJECT + "/funnels/signup").then().statusCode(200)
                .body("steps.users", contains(100, 40))
                .body("steps[1].conversion", equalTo(0.4f));
        as(readKey).get("/v1/projects/" + PROJECT + "/features/nope").then().statusCode(404)
                .contentType("application/problem+json");
        as(readKey).get("/v1/projects/" + PROJECT + "/funnels").then().statusCode(200)
                .body("funnels.funnel", contains("signup"))
                .body("funnels[0].steps.users", contains(100, 40));
        as(otherReadKey).get("/v1/projects/" + PROJECT + "/funnels").then().statusCode(404);
        as(readKey).get("/v1/projects/" + PROJECT + "/funnels/nope").then().statusCode(404);
        as(readKey).get("/v1/projects/" + PROJECT + "/features/" + "a".repeat(300)).then().statusCode(404);
        as(readKey).get("/v1/projects/" + PROJECT + "/features/..%2F..%2Fetc").then().statusCode(404);
    }

    @Test
    void aSnapshotPublishedLateWithAnOlderVersionNeverReplacesTheNewerOne() {
        // The barrier feature was written after both "export" snapshots, on their partition: once it is served, both were read.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as(otherReadKey)
                .get("/v1/projects/" + OTHER + "/features").then().statusCode(200).body("features", hasSize(2)));
        as(otherReadKey).get("/v1/projects/" + OTHER + "/features/export").then().statusCode(200)
                .body("users.all", equalTo(7)).body("uses", equalTo(70));
    }

    @Test
    void neverAnswersWithoutTheReadKeyOfThatProject() {
        // An unknown key is 401 once the registry is loaded (503 while it loads).
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).untilAsserted(() ->
                Management.given().get("/q/health/ready").then().statusCode(200));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                as(otherReadKey).get("/v1/projects/" + OTHER + "/features").then().statusCode(200));

        given().get("/v1/projects/" + PROJECT + "/features").then().statusCode(401)
                .contentType("application/problem+json");
        as("nsr_0123456789abcdef_nope").get("/v1/projects/" + PROJECT + "/features").then().statusCode(401);
        as(writeKey).get("/v1/projects/" + PROJECT + "/features").then().statusCode(401);
        // A key of another project: 404, and nothing of this project in the answer.
        as(otherReadKey).get("/v1/projects/" + PROJECT + "/features").then().statusCode(404)
                .body(org.hamcrest.Matchers.not(containsString("export")));
        as(otherReadKey).get("/v1/projects/" + PROJECT + "/features/export").then().statusCode(404);
    }

    @Test
    void publishesEachFeaturesRecommendation() {
        try (var insights = new TopicReader(KafkaResource.bootstrapServers(), Topics.FEATURE_INSIGHTS.name())) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(insights.poll())
                    .anySatisfy(r -> {
                        assertThat(r.key()).isEqualTo(PROJECT + "/legacy-report");
                        assertThat(new String(r.value())).contains("\"action\":\"sunset\"");
                    }));
        }
    }

    @Test
    void servesTheDashboardThatRendersEveryStringInertly() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("Sign in to a project"));
        // The dashboard never inserts API strings as HTML.
        given().get("/dashboard.js").then().statusCode(200)
                .body(containsString("textContent"))
                .body(org.hamcrest.Matchers.not(containsString("innerHTML")));
    }
}
