package dev.northstar.local;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Anonymous and signed-in use counted as one person (ADR 0017), with real processes: through ingest,
 * anonymous ids are linked to users before, between and after their anonymous events (and some a
 * second time, to another user: ignored), while two instances of adoption and friction count and
 * the first instance of each is killed -9 twice. Every person-level number the query API shows
 * (active users, users per feature, funnel steps) and every per-event number (uses) equals the oracle
 * computed on the final mapping.
 */
class IdentityIT {

    private static final String PROJECT = "identity-it";
    private static final int USERS = 120;
    private static final int ANONYMOUS = 300;
    private static final int LINKED = 210;
    private static LocalStack stack;
    private static NorthstarClient client;
    private static final List<ServiceProcess> extra = new ArrayList<>();

    @BeforeAll
    static void start() {
        stack = TestStacks.start(List.of("ingest", "adoption", "friction", "feedback", "insights"),
                Map.of("NORTHSTAR_STORE_SNAPSHOT_INTERVAL", "1s"));
        client = new NorthstarClient(stack.service("ingest").uri("/"), stack.service("insights").uri("/"));
    }

    @AfterAll
    static void stop() {
        extra.forEach(ServiceProcess::close);
        if (stack != null) {
            stack.close();
        }
    }

    private record Sent(String json, String type, String user, String anonymous, String feature, Integer step,
                        Instant at) {
    }

    private static Sent event(int id, String type, String user, String anonymous, String feature, Integer step,
                              Instant at) {
        String json = "{\"eventId\":\"id-" + id + "\",\"type\":\"" + type + "\""
                + (user == null ? "" : ",\"userId\":\"" + user + "\"")
                + (anonymous == null ? "" : ",\"anonymousId\":\"" + anonymous + "\"")
                + (feature == null ? "" : ",\"feature\":\"" + feature + "\"")
                + (step == null ? "" : ",\"funnel\":\"onboarding\",\"step\":" + step)
                + ",\"occurredAt\":\"" + at + "\"}";
        return new Sent(json, type, user, anonymous, feature, step, at);
    }

    @Test
    void anonymousAndSignedInUseAreOnePersonInEveryNumber() throws Exception {
        var project = client.createProject(TestStacks.ADMIN_TOKEN, PROJECT, PROJECT);
        assertThat(project.status()).as(project.text()).isEqualTo(201);
        String writeKey = project.body().get("writeKey").asText();
        String readKey = project.body().get("readKey").asText();
        for (String name : List.of("adoption", "friction")) {
            ServiceProcess instance = stack.anotherInstance(name, name + "-2", TestStacks.freePort());
            extra.add(instance);
            instance.start();
        }
        for (ServiceProcess instance : extra) {
            instance.awaitReady(Duration.ofSeconds(120));
        }

        Random random = new Random(17);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        int[] ids = {0};
        // Three phases; an anonymous id is linked before its events (j % 3 == 0), between them (1) or after (2).
        List<List<Sent>> phases = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int j = 0; j < ANONYMOUS; j++) {
            String anonymous = "anon-" + j;
            String user = "user-" + (j % USERS);
            int when = j % 3;
            if (j < LINKED && when == 0) {
                phases.get(0).add(event(ids[0]++, "user_identified", user, anonymous, null, null, now.minusSeconds(7200)));
            }
            Instant start = now.minus(Duration.ofMinutes(60 + random.nextInt(2 * 24 * 60)));
            for (int k = 0; k < 4; k++) {
                int phase = Math.min(2, k / 2 + (when == 2 ? 0 : 0));
                String feature = "f" + random.nextInt(4);
                phases.get(phase).add(event(ids[0]++, "feature_used", null, anonymous, feature, null,
                        start.plusSeconds(60L * k)));
            }
            if (random.nextBoolean()) { // an anonymous journey through the first steps of the funnel
                phases.get(0).add(event(ids[0]++, "funnel_step", null, anonymous, null, 1, start.plusSeconds(10)));
            }
            if (j < LINKED && when == 1) {
                phases.get(1).add(0, event(ids[0]++, "user_identified", user, anonymous, null, null,
                        now.minusSeconds(3600)));
            }
            if (j < LINKED && when == 2) {
                phases.get(2).add(event(ids[0]++, "user_identified", user, anonymous, null, null, now.minusSeconds(60)));
            }
            if (j < LINKED && j % 10 == 0) { // a second link of the same anonymous id, to someone else: ignored
                phases.get(2).add(event(ids[0]++, "user_identified", "someone-else-" + j, anonymous, null, null,
                        now.minusSeconds(30)));
            }
        }
        for (int u = 0; u < USERS; u++) {
            String user = "user-" + u;
            Instant start = now.minus(Duration.ofMinutes(30 + random.nextInt(24 * 60)));
            phases.get(1).add(event(ids[0]++, "feature_used", user, null, "f" + random.nextInt(4), null, start));
            if (random.nextBoolean()) { // signed in, the journey goes on
                phases.get(2).add(event(ids[0]++, "funnel_step", user, null, null, 2, start.plusSeconds(86_400L)
                        .isAfter(now) ? now.minusSeconds(5) : start.plusSeconds(86_400L)));
            }
        }

        for (int phase = 0; phase < 3; phase++) {
            publish(writeKey, phases.get(phase));
            if (phase < 2) { // the first instance of each counting service dies without a word, and comes back
                for (String name : List.of("adoption", "friction")) {
                    ServiceProcess victim = stack.service(name);
                    victim.kill();
                    victim.start();
                }
            }
        }

        // The oracle, on the final mapping: an anonymous id is the user of its first link.
        List<Sent> all = new ArrayList<>();
        phases.forEach(all::addAll);
        Map<String, String> link = new HashMap<>();
        for (Sent e : all) {
            if (e.type().equals("user_identified")) {
                link.putIfAbsent(e.anonymous(), e.user());
            }
        }
        Set<String> active = new HashSet<>();
        Map<String, Set<String>> users = new TreeMap<>();
        Map<String, Long> uses = new TreeMap<>();
        Map<String, Map<Integer, List<Instant>>> journeys = new HashMap<>();
        for (Sent e : all) {
            String person = e.user() != null ? e.user() : link.getOrDefault(e.anonymous(), e.anonymous());
            if (e.type().equals("user_identified")) {
                if (link.get(e.anonymous()).equals(e.user())) {
                    active.add(e.user()); // a link counts as the person's activity; an ignored one does not
                }
                continue;
            }
            active.add(person);
            if (e.type().equals("feature_used")) {
                users.computeIfAbsent(e.feature(), f -> new HashSet<>()).add(person);
                uses.merge(e.feature(), 1L, Long::sum);
            } else {
                journeys.computeIfAbsent(person, p -> new HashMap<>())
                        .computeIfAbsent(e.step(), s -> new ArrayList<>()).add(e.at());
            }
        }
        long[] reached = new long[3];
        journeys.values().forEach(steps -> {
            Instant entry = steps.getOrDefault(1, List.of()).stream().min(Instant::compareTo).orElse(null);
            if (entry == null) {
                return;
            }
            reached[1]++;
            boolean second = steps.getOrDefault(2, List.of()).stream()
                    .anyMatch(t -> !t.isBefore(entry) && !t.isAfter(entry.plus(Duration.ofDays(7))));
            if (second) {
                reached[2]++;
            }
        });
        long anonymousOnly = active.stream().filter(p -> p.startsWith("anon-")).count();
        assertThat(anonymousOnly).as("some people stay anonymous").isPositive();
        assertThat(reached[2]).as("some finish the journey after signing in").isPositive();

        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            var page = client.get("/v1/projects/" + PROJECT + "/features", readKey);
            assertThat(page.status()).as(page.text()).isEqualTo(200);
            assertThat(page.body().path("activeUsers").path("all").asLong()).as("active people").isEqualTo(active.size());
            Map<String, JsonNode> features = new HashMap<>();
            page.body().path("features").forEach(f -> features.put(f.path("feature").asText(), f));
            users.forEach((feature, people) -> {
                JsonNode f = features.get(feature);
                assertThat(f).as(feature).isNotNull();
                assertThat(f.path("users").path("all").asLong()).as("people using " + feature).isEqualTo(people.size());
                assertThat(f.path("users").path("d7").asLong()).as("people using " + feature + ", 7 days")
                        .isEqualTo(people.size());
                assertThat(f.path("uses").asLong()).as("uses of " + feature).isEqualTo(uses.get(feature));
            });
            var funnel = client.get("/v1/projects/" + PROJECT + "/funnels/onboarding", readKey);
            assertThat(funnel.status()).as(funnel.text()).isEqualTo(200);
            assertThat(funnel.body().path("steps").path(0).path("users").asLong()).as("step 1").isEqualTo(reached[1]);
            assertThat(funnel.body().path("steps").path(1).path("users").asLong()).as("step 2").isEqualTo(reached[2]);
        });
        System.out.printf("IdentityIT: %d events, %d anonymous ids (%d linked, %d of them linked again elsewhere), "
                        + "%d users; adoption and friction killed -9 twice: %d active people, every number equals the "
                        + "oracle on the final mapping%n", all.size(), ANONYMOUS, LINKED, LINKED / 10, USERS,
                active.size());
    }

    private static void publish(String writeKey, List<Sent> events) {
        for (int from = 0; from < events.size(); from += 50) {
            List<Sent> batch = events.subList(from, Math.min(events.size(), from + 50));
            String body = "{\"events\":[" + String.join(",", batch.stream().map(Sent::json).toList()) + "]}";
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
                var answer = client.postEvents(writeKey, body);
                return answer.status() == 202 && answer.body().get("accepted").asInt() == batch.size();
            });
        }
    }
}
