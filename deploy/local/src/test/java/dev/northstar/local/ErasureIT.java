package dev.northstar.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.model.topic.Topics;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Erasing people, end to end through the admin API, against an oracle recomputed from the input
 * without them: an ordinary user (uses, failures, ratings), a user in the funnel, and one who alone
 * used a feature (whose numbers must go to zero). Adoption is killed -9 in the middle of the erasures
 * and restarted; afterwards the erased actors' new events are never counted, and feedback, its state
 * deleted, replays the whole log without bringing them back. Erasing a user erases the person: what
 * they did on an anonymous id before signing in (a use, a failure, a rating with a comment on a feature
 * nobody else touched) goes with them.
 */
class ErasureIT {

    private static final String PROJECT = "erase";

    @Test
    void erasedPeopleLeaveEveryNumberAndNeverComeBack() throws Exception {
        try (LocalStack stack = TestStacks.start(TestStacks.all().stream().filter(s -> !s.equals("notifier")).toList())) {
            var client = new NorthstarClient(URI.create("http://localhost:" + stack.service("ingest").port()),
                    URI.create("http://localhost:" + stack.service("insights").port()));
            var created = client.createProject(TestStacks.ADMIN_TOKEN, PROJECT, PROJECT);
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            String writeKey = created.body().get("writeKey").asText();

            List<GeneratedLoad.Generated> events = new ArrayList<>(GeneratedLoad.generate(5, PROJECT, 3_000));
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            // "solo" alone uses, breaks and rates feature fsolo.
            events.add(new GeneratedLoad.Generated("solo-1", "feature_used", "solo", "fsolo", null, null, now.minusSeconds(60)));
            events.add(new GeneratedLoad.Generated("solo-2", "feature_failed", "solo", "fsolo", "E9", null, now.minusSeconds(50)));
            events.add(new GeneratedLoad.Generated("solo-3", "feedback_given", "solo", "fsolo", null, 2, now.minusSeconds(40)));
            GeneratedLoad.publish(client, List.of(PROJECT), Map.of(PROJECT, writeKey), Map.of(PROJECT, events),
                    new Random(9), 0);
            var everyone = GeneratedLoad.Oracle.of(events);
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    GeneratedLoad.assertExact(stack.adminClientSettings(), PROJECT, everyone));

            // Bad requests first: an unknown project is 404; an actor never seen is accepted and changes nothing.
            assertThat(client.eraseActor(TestStacks.ADMIN_TOKEN, "no-such-project", "u1").status()).isEqualTo(404);
            assertThat(client.eraseActor("not-the-token", PROJECT, "u1").status()).isEqualTo(401);
            var unknown = client.eraseActor(TestStacks.ADMIN_TOKEN, PROJECT, "never-seen");
            assertThat(unknown.status()).as(unknown.text()).isEqualTo(202);
            assertThat(unknown.body().path("erasureId").asText()).isNotBlank();

            // u7 also used fanon before signing in, as an anonymous id linked to u7 afterwards.
            String anonymously = "{\"events\":["
                    + "{\"eventId\":\"anon-1\",\"type\":\"feature_used\",\"anonymousId\":\"device-77\",\"feature\":\"fanon\",\"occurredAt\":\"" + now.minusSeconds(90) + "\"},"
                    + "{\"eventId\":\"anon-2\",\"type\":\"feature_failed\",\"anonymousId\":\"device-77\",\"feature\":\"fanon\",\"errorCode\":\"E7\",\"occurredAt\":\"" + now.minusSeconds(80) + "\"},"
                    + "{\"eventId\":\"anon-3\",\"type\":\"feedback_given\",\"anonymousId\":\"device-77\",\"feature\":\"fanon\",\"rating\":1,\"comment\":\"before I signed in\",\"occurredAt\":\"" + now.minusSeconds(70) + "\"},"
                    + "{\"eventId\":\"anon-4\",\"type\":\"user_identified\",\"anonymousId\":\"device-77\",\"userId\":\"u7\",\"occurredAt\":\"" + now.minusSeconds(60) + "\"}]}";
            var sent = client.postEvents(writeKey, anonymously);
            assertThat(sent.status()).as(sent.text()).isEqualTo(202);
            assertThat(sent.body().get("accepted").asInt()).as(sent.text()).isEqualTo(4);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertFeatureAt(stack, "fanon", 1));

            Set<String> erased = Set.of("u7", "j3", "solo");
            assertThat(events).as("the erased actors have events").anyMatch(e -> e.user().equals("u7"))
                    .anyMatch(e -> e.user().equals("j3") && e.step() != null);
            var u7 = client.eraseActor(TestStacks.ADMIN_TOKEN, PROJECT, "u7");
            assertThat(u7.status()).as(u7.text()).isEqualTo(202);
            String u7Erasure = u7.body().get("erasureId").asText();
            var pending = client.admin(client.ingest(), "GET", "/v1/admin/projects/" + PROJECT + "/erasures/" + u7Erasure,
                    TestStacks.ADMIN_TOKEN, null);
            assertThat(pending.status()).as(pending.text()).isEqualTo(200);
            assertThat(pending.body().get("status").asText()).isIn("pending", "applied");
            assertThat(client.eraseActor(TestStacks.ADMIN_TOKEN, PROJECT, "j3").status()).isEqualTo(202);
            // A crash in the middle: adoption dies while it rebuilds, and comes back.
            ServiceProcess adoption = stack.service("adoption");
            adoption.kill();
            assertThat(client.eraseActor(TestStacks.ADMIN_TOKEN, PROJECT, "solo").status()).isEqualTo(202);
            adoption.start();

            var without = GeneratedLoad.Oracle.of(events.stream().filter(e -> !erased.contains(e.user())).toList());
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                GeneratedLoad.assertExact(stack.adminClientSettings(), PROJECT, without);
                assertFsoloAtZero(stack);
                assertFeatureAt(stack, "fanon", 0);
            });
            // The status says when every signal service reflects it, and how many of the person's ids went.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                var status = client.admin(client.ingest(), "GET", "/v1/admin/projects/" + PROJECT + "/erasures/"
                        + u7Erasure, TestStacks.ADMIN_TOKEN, null);
                assertThat(status.status()).as(status.text()).isEqualTo(200);
                assertThat(status.body().get("status").asText()).as(status.text()).isEqualTo("applied");
                assertThat(status.body().get("ids").asInt()).as("u7 and device-77: " + status.text()).isEqualTo(2);
                assertThat(status.body().get("appliedAt").asText()).isNotBlank();
                for (String service : List.of("adoption", "friction", "feedback")) {
                    var progress = status.body().path("services").path(service);
                    assertThat(progress.get("reflecting").asInt()).as(service).isEqualTo(progress.get("partitions").asInt())
                            .isPositive();
                }
            });
            var unknownErasure = client.admin(client.ingest(), "GET", "/v1/admin/projects/" + PROJECT
                    + "/erasures/no-such-erasure", TestStacks.ADMIN_TOKEN, null);
            assertThat(unknownErasure.status()).as(unknownErasure.text()).isEqualTo(404);

            // The erased are never counted again: their new events are dropped, a newcomer's are counted.
            List<GeneratedLoad.Generated> later = List.of(
                    new GeneratedLoad.Generated("later-1", "feature_used", "u7", "f0", null, null, now),
                    new GeneratedLoad.Generated("later-2", "feature_used", "solo", "fsolo", null, null, now),
                    new GeneratedLoad.Generated("later-3", "feature_used", "newcomer", "f0", null, null, now));
            GeneratedLoad.publish(client, List.of(PROJECT), Map.of(PROJECT, writeKey), Map.of(PROJECT, later),
                    new Random(1), 0);
            List<GeneratedLoad.Generated> all = new ArrayList<>(events);
            all.addAll(later);
            var afterwards = GeneratedLoad.Oracle.of(all.stream().filter(e -> !erased.contains(e.user())).toList());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
                GeneratedLoad.assertExact(stack.adminClientSettings(), PROJECT, afterwards);
                assertFsoloAtZero(stack);
            });

            // A replay of the whole log (feedback's state deleted) never brings them back.
            ServiceProcess feedback = stack.service("feedback");
            feedback.close();
            deleteTree(stack.options().dataDir().resolve("state").resolve("feedback"));
            feedback.start();
            feedback.awaitReady(Duration.ofSeconds(120));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    GeneratedLoad.assertExact(stack.adminClientSettings(), PROJECT, afterwards));
            System.out.printf("ErasureIT: %d events, %d actors erased (adoption killed -9 meanwhile), every number "
                    + "equals the oracle without them, also after their new events and a full replay%n",
                    all.size(), erased.size());
        }
    }

    /** Only "solo" used fsolo: once erased, its numbers are zero everywhere. */
    private static void assertFsoloAtZero(LocalStack stack) throws Exception {
        assertFeatureAt(stack, "fsolo", 0);
    }

    /** A feature one person used, failed and rated once: {@code n} (1 or 0) of each, everywhere. */
    private static void assertFeatureAt(LocalStack stack, String feature, long n) throws Exception {
        String key = Topics.featureKey(PROJECT, feature);
        var adoption = GeneratedLoad.slices(stack.adminClientSettings(), Topics.FEATURE_ADOPTION, key).get(key);
        var friction = GeneratedLoad.slices(stack.adminClientSettings(), Topics.FEATURE_FRICTION, key).get(key);
        var feedback = GeneratedLoad.slices(stack.adminClientSettings(), Topics.FEATURE_FEEDBACK, key).get(key);
        assertThat(adoption).as(feature + " adoption").isNotEmpty();
        assertThat(friction).as(feature + " friction").isNotEmpty();
        assertThat(feedback).as(feature + " feedback").isNotEmpty();
        assertThat(GeneratedLoad.sum(adoption, "users", "all")).as(feature + " users").isEqualTo(n);
        assertThat(GeneratedLoad.sum(adoption, "uses")).as(feature + " uses").isEqualTo(n);
        assertThat(GeneratedLoad.sum(friction, "failures")).as(feature + " failures").isEqualTo(n);
        assertThat(GeneratedLoad.sum(feedback, "count")).as(feature + " ratings").isEqualTo(n);
    }

    private static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
