package dev.northstar.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.model.json.NorthstarJson;
import dev.northstar.model.topic.Topic;
import dev.northstar.model.topic.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
 * A load with known ground truth for the process-level fault tests: generated events per project
 * (with deliberate duplicate resends), the oracle recomputed from them, and the check that what the
 * signal services published equals it.
 */
final class GeneratedLoad {

    private GeneratedLoad() {
    }

    /** One generated event, and what it must add to the numbers. */
    record Generated(String id, String type, String user, String feature, String errorCode, Integer rating, Instant at,
                     Integer step) {
        Generated(String id, String type, String user, String feature, String errorCode, Integer rating, Instant at) {
            this(id, type, user, feature, errorCode, rating, at, null);
        }

        String json() {
            return "{\"eventId\":\"" + id + "\",\"type\":\"" + type + "\",\"userId\":\"" + user + "\""
                    + (step == null ? ",\"feature\":\"" + feature + "\"" : ",\"funnel\":\"" + FUNNEL + "\",\"step\":" + step)
                    + ",\"occurredAt\":\"" + at + "\""
                    + (errorCode == null ? "" : ",\"errorCode\":\"" + errorCode + "\"")
                    + (rating == null ? "" : ",\"rating\":" + rating) + "}";
        }
    }

    /** The funnel the generated journeys go through (steps 1 to 3, in order, within an hour). */
    static final String FUNNEL = "checkout";

    /** The numbers the services must publish, recomputed from the input. */
    record Oracle(Map<String, Set<String>> users, Map<String, Long> uses, Map<String, Long> failures,
                  Map<String, Long> ratings, Map<String, long[]> distribution, Map<Integer, Set<String>> funnel,
                  Map<String, Map<LocalDate, Set<String>>> useDays) {
        static Oracle of(List<Generated> events) {
            Oracle o = new Oracle(new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(), new TreeMap<>(),
                    new TreeMap<>(), new TreeMap<>());
            for (Generated e : events) {
                switch (e.type()) {
                    case "feature_used" -> {
                        o.users.computeIfAbsent(e.feature(), f -> new HashSet<>()).add(e.user());
                        o.uses.merge(e.feature(), 1L, Long::sum);
                        o.useDays.computeIfAbsent(e.feature(), f -> new TreeMap<>())
                                .computeIfAbsent(LocalDate.ofInstant(e.at(), ZoneOffset.UTC), d -> new HashSet<>())
                                .add(e.user());
                    }
                    case "feature_failed" -> o.failures.merge(e.feature(), 1L, Long::sum);
                    case "feedback_given" -> {
                        o.ratings.merge(e.feature(), 1L, Long::sum);
                        o.distribution.computeIfAbsent(e.feature(), f -> new long[5])[e.rating() - 1]++;
                    }
                    case "funnel_step" -> { } // below: a journey counts as a whole
                    default -> throw new IllegalStateException(e.type());
                }
            }
            funnel(events, o.funnel);
            return o;
        }

        /**
         * The actors reaching each funnel step, from the definition (every journey is within the last
         * 28 days): entry at the first step-1 event; step k at the earliest step-k event at or after
         * step k−1 was reached and no later than entry + 7 days.
         */
        private static void funnel(List<Generated> events, Map<Integer, Set<String>> reached) {
            Map<String, List<Generated>> journeys = new HashMap<>();
            events.stream().filter(e -> e.type().equals("funnel_step"))
                    .forEach(e -> journeys.computeIfAbsent(e.user(), u -> new ArrayList<>()).add(e));
            journeys.forEach((user, steps) -> {
                Instant entry = steps.stream().filter(e -> e.step() == 1).map(Generated::at).min(Instant::compareTo)
                        .orElse(null);
                if (entry == null) {
                    return;
                }
                Instant previous = entry;
                for (int k = 1; ; k++) {
                    final int step = k;
                    final Instant after = previous;
                    Instant at = steps.stream().filter(e -> e.step() == step).map(Generated::at)
                            .filter(t -> !t.isBefore(after) && !t.isAfter(entry.plus(Duration.ofDays(7))))
                            .min(Instant::compareTo).orElse(null);
                    if (at == null) {
                        return;
                    }
                    reached.computeIfAbsent(step, n -> new HashSet<>()).add(user);
                    previous = at;
                }
            });
        }
    }

    static List<Generated> generate(long seed, String prefix, int count) {
        Random random = new Random(seed);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<Generated> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String user = "u" + random.nextInt(150);
            String feature = "f" + random.nextInt(5);
            Instant at = now.minus(Duration.ofMinutes(random.nextInt(3 * 24 * 60)));
            int kind = random.nextInt(100);
            String id = prefix + "-" + i;
            events.add(kind < 70 ? new Generated(id, "feature_used", user, feature, null, null, at)
                    : kind < 85 ? new Generated(id, "feature_failed", user, feature, "E" + random.nextInt(4), null, at)
                    : new Generated(id, "feedback_given", user, feature, null, 1 + random.nextInt(5), at));
        }
        // Funnel journeys of 60 users, their events mixed into the rest in any order: most go through
        // steps 1..depth in order, minutes apart; some did a step before the one before it (it does not
        // count), some took longer than the 7-day conversion window for step 2.
        for (int j = 0; j < 60; j++) {
            String user = "j" + j;
            int depth = 1 + random.nextInt(3);
            int kind = j % 6;
            Instant start = now.minus(Duration.ofMinutes(60 + random.nextInt(2 * 24 * 60)))
                    .minus(Duration.ofDays(kind == 5 ? 9 : 0));
            for (int step = 1; step <= depth; step++) {
                Instant at = kind == 4 && step == 2 ? start.minus(Duration.ofMinutes(5)) // step 2 before step 1
                        : kind == 5 && step >= 2 ? start.plus(Duration.ofDays(8)).plus(Duration.ofMinutes(step))
                        : start.plus(Duration.ofMinutes(step));
                events.add(random.nextInt(events.size() + 1), new Generated(prefix + "-j" + j + "-" + step, "funnel_step",
                        user, null, null, null, at, step));
            }
        }
        return events;
    }

    /** {@code count} project ids starting with {@code prefix} whose events land on distinct partitions. */
    static List<String> projectsOnDistinctPartitions(String prefix, int count) {
        List<String> projects = new ArrayList<>();
        Set<Integer> partitions = new HashSet<>();
        for (int i = 0; projects.size() < count; i++) {
            String id = prefix + i;
            int partition = Utils.toPositive(Utils.murmur2(id.getBytes(StandardCharsets.UTF_8))) % Topics.DEFAULT_PARTITIONS;
            if (partitions.add(partition)) {
                projects.add(id);
            }
        }
        return projects;
    }

    /**
     * Sends every project's events in batches of 50, the projects taking turns, resending some
     * batches whole (deliberate duplicates), each batch until it is answered 202 with every event
     * accepted (a 503 while Kafka moves leaders is retried: ids make the retry safe). Returns how
     * many answers were not 202.
     */
    static int publish(NorthstarClient client, List<String> projects, Map<String, String> writeKeys,
                       Map<String, List<Generated>> events, Random random, long pauseMillis) {
        int refused = 0;
        int longest = events.values().stream().mapToInt(List::size).max().orElse(0);
        for (int from = 0; from < longest; from += 50) {
            for (String project : projects) {
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return refused;
                }
                List<Generated> all = events.get(project);
                if (from >= all.size()) {
                    continue;
                }
                List<Generated> batch = all.subList(from, Math.min(all.size(), from + 50));
                String body = "{\"events\":[" + String.join(",", batch.stream().map(Generated::json).toList()) + "]}";
                int copies = random.nextInt(100) < 20 ? 2 : 1;
                for (int copy = 0; copy < copies; copy++) {
                    int[] notAccepted = {0};
                    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
                        var answer = client.postEvents(writeKeys.get(project), body);
                        boolean ok = answer.status() == 202 && answer.body().get("accepted").asInt() == batch.size();
                        if (!ok) {
                            notAccepted[0]++;
                        }
                        return ok;
                    });
                    refused += notAccepted[0];
                }
            }
        }
        return refused;
    }

    /**
     * Asserts that the latest snapshots of project {@code id}, each the sum of its slices (one per events
     * partition), equal the oracle, feature by feature: users and uses (7 days, 28 days and all: the
     * events span three days, so the three are equal), failures over 28 days and all time, ratings (all
     * time and 28 days) and their distribution, and the users reaching each funnel step.
     */
    static void assertExact(Map<String, Object> client, String id, Oracle oracle) throws IOException {
        Map<String, List<JsonNode>> adoption = slices(client, Topics.FEATURE_ADOPTION, id + "/");
        Map<String, List<JsonNode>> friction = slices(client, Topics.FEATURE_FRICTION, id + "/");
        Map<String, List<JsonNode>> feedback = slices(client, Topics.FEATURE_FEEDBACK, id + "/");
        for (String feature : oracle.uses().keySet()) {
            List<JsonNode> a = adoption.get(id + "/" + feature);
            long users = oracle.users().get(feature).size();
            assertThat(a).as("adoption of " + id + "/" + feature).isNotNull();
            assertThat(sum(a, "users", "all")).as("users of " + id + "/" + feature).isEqualTo(users);
            assertThat(sum(a, "uses")).as("uses of " + id + "/" + feature).isEqualTo(oracle.uses().get(feature));
            assertThat(sum(a, "users", "d7")).as("users d7 of " + id + "/" + feature).isEqualTo(users);
            assertThat(sum(a, "users", "d28")).as("users d28 of " + id + "/" + feature).isEqualTo(users);
            long uses = oracle.uses().get(feature);
            assertThat(sum(a, "usesByWindow", "d7")).as("uses d7 of " + id + "/" + feature).isEqualTo(uses);
            assertThat(sum(a, "usesByWindow", "d28")).as("uses d28 of " + id + "/" + feature).isEqualTo(uses);
            assertThat(sum(a, "usesByWindow", "all")).as("uses (all) of " + id + "/" + feature).isEqualTo(uses);
            // Trend and returning users: the events span three days, so all are in the last 7, none before.
            Map<LocalDate, Set<String>> days = oracle.useDays().get(feature);
            assertThat(sum(a, "trend", "last7Days")).as("users of the last 7 days of " + id + "/" + feature)
                    .isEqualTo(users);
            assertThat(sum(a, "trend", "previous7Days")).as("users of the 7 before, " + id + "/" + feature).isZero();
            Map<String, Long> daysPerUser = new HashMap<>();
            days.values().forEach(people -> people.forEach(u -> daysPerUser.merge(u, 1L, Long::sum)));
            assertThat(sum(a, "returningUsers")).as("returning users of " + id + "/" + feature)
                    .isEqualTo(daysPerUser.values().stream().filter(n -> n >= 2).count());
            Map<LocalDate, Set<String>> weeks = new TreeMap<>();
            days.forEach((day, people) -> weeks.computeIfAbsent(
                    day.minusDays(day.getDayOfWeek().getValue() - 1L), w -> new HashSet<>()).addAll(people));
            Map<LocalDate, Long> weekly = new TreeMap<>();
            a.forEach(slice -> slice.path("trend").path("weekly").forEach(w -> weekly.merge(
                    LocalDate.parse(w.path("start").asText()), w.path("users").asLong(), Long::sum)));
            weeks.forEach((monday, people) -> assertThat(weekly.get(monday))
                    .as("users in the week of " + monday + ", " + id + "/" + feature).isEqualTo(people.size()));
            assertThat(weekly.values().stream().mapToLong(Long::longValue).sum()).as("users over the weeks")
                    .isEqualTo(weeks.values().stream().mapToLong(Set::size).sum());
        }
        for (String feature : oracle.failures().keySet()) {
            List<JsonNode> f = friction.get(id + "/" + feature);
            assertThat(f).as("friction of " + id + "/" + feature).isNotNull();
            long failed = oracle.failures().get(feature);
            long used = oracle.uses().getOrDefault(feature, 0L);
            assertThat(sum(f, "failures")).as("failures of " + id + "/" + feature).isEqualTo(failed);
            assertThat(sum(f, "failed28d")).as("failures 28d of " + id + "/" + feature).isEqualTo(failed);
            assertThat(sum(f, "used28d")).as("uses 28d of " + id + "/" + feature).isEqualTo(used);
        }
        List<JsonNode> funnel = friction.get(id + "/funnels/" + FUNNEL);
        assertThat(funnel).as("funnel of " + id).isNotNull();
        Map<Integer, Long> reached = new TreeMap<>();
        funnel.forEach(slice -> slice.path("steps").forEach(step ->
                reached.merge(step.path("step").asInt(), step.path("users").asLong(), Long::sum)));
        oracle.funnel().forEach((k, actors) ->
                assertThat(reached.get(k)).as("users at step " + k + " of " + id).isEqualTo(actors.size()));
        reached.forEach((k, users) -> assertThat(users).as("users at step " + k + " of " + id)
                .isEqualTo(oracle.funnel().getOrDefault(k, Set.of()).size()));
        for (String feature : oracle.ratings().keySet()) {
            List<JsonNode> r = feedback.get(id + "/" + feature);
            assertThat(r).as("feedback of " + id + "/" + feature).isNotNull();
            assertThat(sum(r, "count")).as("ratings of " + id + "/" + feature).isEqualTo(oracle.ratings().get(feature));
            assertThat(sum(r, "ratings28d", "count")).as("ratings 28d of " + id + "/" + feature)
                    .isEqualTo(oracle.ratings().get(feature));
            long[] distribution = new long[5];
            r.forEach(slice -> {
                for (int i = 0; i < 5; i++) {
                    distribution[i] += slice.path("distribution").path(i).asLong();
                }
            });
            assertThat(distribution).as("distribution of " + id + "/" + feature)
                    .containsExactly(oracle.distribution().get(feature));
        }
    }

    /** The sum over slices of the number at {@code path}. */
    static long sum(List<JsonNode> slices, String... path) {
        long total = 0;
        for (JsonNode slice : slices) {
            JsonNode node = slice;
            for (String field : path) {
                node = node.path(field);
            }
            total += node.asLong();
        }
        return total;
    }

    /**
     * The latest slices of every snapshot of a topic whose key starts with {@code prefix}, by snapshot key
     * (the record key without its {@code #partition}), taken as insights takes them ({@link #latest}).
     */
    static Map<String, List<JsonNode>> slices(Map<String, Object> client, Topic<?> topic, String prefix)
            throws IOException {
        Map<String, List<JsonNode>> slices = new TreeMap<>();
        latest(client, topic, prefix).forEach((key, value) -> {
            int mark = key.lastIndexOf(Topics.PARTITION_MARK);
            slices.computeIfAbsent(mark < 0 ? key : key.substring(0, mark), k -> new ArrayList<>()).add(value);
        });
        return slices;
    }

    /**
     * The current value of every key of a snapshot topic whose key starts with {@code prefix}, as
     * insights takes them: in log order, never a record older (by its version header) than one taken.
     */
    static Map<String, JsonNode> latest(Map<String, Object> client, Topic<?> topic, String prefix) throws IOException {
        Map<String, JsonNode> latest = new HashMap<>();
        Map<String, Long> versions = new HashMap<>();
        readWhole(client, topic, record -> {
            if (record.key() != null && record.key().startsWith(prefix) && record.value() != null) {
                var header = record.headers().lastHeader(Topics.VERSION_HEADER);
                long version = header == null ? Long.MAX_VALUE
                        : Long.parseLong(new String(header.value(), StandardCharsets.US_ASCII));
                if (header == null || version >= versions.getOrDefault(record.key(), Long.MIN_VALUE)) {
                    versions.put(record.key(), header == null ? Long.MIN_VALUE : version);
                    latest.put(record.key(), NorthstarJson.mapper().readTree(record.value()));
                }
            }
        });
        return latest;
    }

    /** What is done with each record read. */
    @FunctionalInterface
    interface RecordAction {
        void accept(ConsumerRecord<String, byte[]> record) throws IOException;
    }

    /** Reads {@code topic} from its beginning to where it ends now, every partition, in order per partition. */
    static void readWhole(Map<String, Object> client, Topic<?> topic, RecordAction each) throws IOException {
        Map<String, Object> config = new HashMap<>(client);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic.name(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (var record : consumer.poll(Duration.ofMillis(500))) {
                    each.accept(record);
                }
            }
        }
    }
}
