package dev.northstar.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.northstar.model.json.NorthstarJson;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The local run as its user runs it: {@code java -jar deploy/local/target/northstar-local.jar} in a
 * directory of its own, with the demo project and its data; then events of the test's own for a new
 * feature, used and then failing half the time, so that the recommendation history and the webhook
 * deliveries (both written by the notifier in Kafka transactions, each partition ending with a commit
 * marker) hold data, and an alert (a failure spike) reaches a webhook. Stopped with Ctrl-C (SIGTERM) and started again on the same data: ready within
 * 60 s with exactly the numbers it had, the same history, no new alert. Then every process (launcher,
 * six services, broker) killed -9 and started again: the same. (The second start used to wait for ever:
 * insights' catch-up waited for the offset of the history's commit marker.)
 */
class RestartIT {

    private static final String ADMIN_TOKEN = "restart-admin-token";
    private static final Pattern READY = Pattern.compile("All services ready in ([0-9.]+) s\\.");
    private static final Duration MAX_READY = Duration.ofSeconds(60);

    /** The launcher as a child process, its output collected line by line. */
    private static final class Launcher {
        final Process process;
        final List<String> output = new CopyOnWriteArrayList<>();

        private Launcher(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        output.add(line);
                        System.out.println("[launcher] " + line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            }, "launcher-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Launcher start(Path directory, Map<String, String> environment) throws IOException {
            Path jar = TestStacks.repoRoot().resolve("deploy/local/target/northstar-local.jar");
            assertThat(jar).as("the launcher is packaged before the ITs run").isRegularFile();
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar", jar.toString()).directory(directory.toFile()).redirectErrorStream(true);
            builder.environment().putAll(environment);
            return new Launcher(builder.start());
        }

        /** Waits for "Northstar is running." and answers how long its services took to be ready, as it printed. */
        Duration awaitRunning() {
            await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(250)).until(() -> {
                assertThat(process.isAlive() || output.contains("Northstar is running."))
                        .as("the launcher exited: %s", String.join("\n", output)).isTrue();
                return output.contains("Northstar is running.");
            });
            return output.stream().map(READY::matcher).filter(Matcher::matches).findFirst()
                    .map(m -> Duration.ofMillis(Math.round(Double.parseDouble(m.group(1)) * 1000)))
                    .orElseThrow(() -> new AssertionError("no 'All services ready' line in " + output));
        }

        /** Ctrl-C: SIGTERM to the launcher, which stops the services and the broker. */
        void stop() throws Exception {
            process.toHandle().destroy(); // SIGTERM (Process.destroy() would also close its output before we read it)
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the launcher stopped").isTrue();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(output).contains("Stopped."));
        }

        /** kill -9 of the launcher and of every process it started, all at once. */
        void killEverything() throws Exception {
            List<ProcessHandle> all = process.descendants().toList();
            assertThat(all).as("the launcher's services and broker").hasSizeGreaterThanOrEqualTo(7);
            kill(all);
        }

        /** Whatever is still running of it (after a failure). */
        void cleanUp() throws Exception {
            if (process.isAlive()) {
                kill(process.descendants().toList());
            }
        }

        private void kill(List<ProcessHandle> all) throws Exception {
            process.destroyForcibly();
            all.forEach(ProcessHandle::destroyForcibly);
            process.waitFor(30, TimeUnit.SECONDS);
            for (ProcessHandle handle : all) {
                handle.onExit().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** What the user sees: the demo project's features, and the history of the feature the test moved. */
    private record Seen(LocalDate day, JsonNode features, JsonNode history) {
    }

    private static Seen seen(NorthstarClient client, String readKey) {
        var features = client.get("/v1/projects/demo/features", readKey);
        assertThat(features.status()).as(features.text()).isEqualTo(200);
        var history = client.get("/v1/projects/demo/features/restart-check/history", readKey);
        assertThat(history.status()).as(history.text()).isEqualTo(200);
        ObjectNode page = features.body().deepCopy();
        page.remove("asOf"); // when insights answered
        return new Seen(LocalDate.now(ZoneOffset.UTC), page, history.body());
    }

    /**
     * The same numbers. Every window is relative to today (UTC): when the day changed between the two
     * readings, the 7- and 28-day numbers move by design, and the all-time numbers are compared instead.
     */
    private static void assertSameNumbers(Seen before, Seen after) {
        assertThat(after.history()).as("the recommendation history").isEqualTo(before.history());
        if (before.day().equals(after.day())) {
            assertThat(after.features()).as("every number of every feature").isEqualTo(before.features());
        } else {
            assertThat(allTime(after.features())).as("all-time numbers (the UTC day changed meanwhile)")
                    .isEqualTo(allTime(before.features()));
        }
    }

    private static Map<String, String> allTime(JsonNode page) {
        Map<String, String> numbers = new HashMap<>();
        page.get("features").forEach(f -> numbers.put(f.get("feature").asText(), f.get("uses").asText() + " uses, "
                + f.get("users").get("all").asText() + " users, rating " + f.get("rating")));
        numbers.put("(active)", page.get("activeUsers").get("all").asText());
        return numbers;
    }

    private static String event(String id, String type, String user, String extra) {
        return "{\"eventId\":\"" + id + "\",\"type\":\"" + type + "\",\"userId\":\"" + user + "\","
                + "\"feature\":\"restart-check\",\"occurredAt\":\"" + Instant.now().minusSeconds(3600) + "\"" + extra + "}";
    }

    @Test
    void theLocalRunStartsAgainOnItsOwnDataWithTheSameNumbersAfterACleanStopAndAfterKill9() throws Exception {
        Path directory = Files.createTempDirectory(TestStacks.repoRoot().resolve("deploy/local/target"), "restart-");
        Map<String, String> environment = new HashMap<>();
        Map<String, Integer> ports = new HashMap<>();
        for (String service : TestStacks.all()) {
            int port = TestStacks.freePort();
            ports.put(service, port);
            environment.put("NORTHSTAR_" + service.toUpperCase(Locale.ROOT) + "_PORT", String.valueOf(port));
        }
        environment.put("NORTHSTAR_KAFKA_PORT", String.valueOf(TestStacks.freePort()));
        environment.put("NORTHSTAR_KAFKA_CONTROLLER_PORT", String.valueOf(TestStacks.freePort()));
        environment.put("NORTHSTAR_ADMIN_TOKEN", ADMIN_TOKEN);
        environment.put("NORTHSTAR_NOTIFIER_ALLOWED_NETWORKS", "127.0.0.1/32"); // the receiver is in this JVM
        environment.put("NORTHSTAR_NOTIFIER_SETTLE", "0s");
        var client = new NorthstarClient(URI.create("http://localhost:" + ports.get("ingest")),
                URI.create("http://localhost:" + ports.get("insights")));
        URI notifier = URI.create("http://localhost:" + ports.get("notifier"));

        List<Launcher> launchers = new java.util.ArrayList<>();
        try (var receiver = new AlertReceiver(0)) {
            Launcher first = Launcher.start(directory, environment);
            launchers.add(first);
            try {
                Duration firstReady = first.awaitRunning();
                System.out.println("First start: services ready in " + firstReady.toMillis() + " ms");
                JsonNode keys = NorthstarJson.mapper().readTree(directory.resolve(".northstar/demo-project.json").toFile());
                String writeKey = keys.get("writeKey").asText();
                String readKey = keys.get("readKey").asText();

                var hook = await().atMost(Duration.ofSeconds(60)).until(() -> client.admin(notifier, "POST",
                        "/v1/admin/projects/demo/webhooks", ADMIN_TOKEN, "{\"url\":\"" + receiver.url() + "\"}"),
                        a -> a.status() != 503);
                assertThat(hook.status()).as(hook.text()).isEqualTo(201);
                String uses = IntStream.range(0, 4).mapToObj(i -> event("r-u" + i, "feature_used", "restart-user" + i, ""))
                        .collect(Collectors.joining(","));
                assertThat(client.postEvents(writeKey, "{\"events\":[" + uses + "]}").status()).isEqualTo(202);
                String history = "/v1/projects/demo/features/restart-check/history";
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                        .untilAsserted(() -> assertThat(client.get(history, readKey).body().get("changes")).hasSize(1));
                String failures = IntStream.range(0, 4).mapToObj(i -> event("r-f" + i, "feature_failed",
                        "restart-user" + (i % 2), ",\"errorCode\":\"timeout\"")).collect(Collectors.joining(","));
                assertThat(client.postEvents(writeKey, "{\"events\":[" + failures + "]}").status()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(receiver.received).extracting(AlertReceiver.Received::type).contains("failure_spike"));
                Thread.sleep(2000); // the deliveries' outcomes are written after the receiver's answer
                Seen before = seen(client, readKey);
                Set<String> alerts = receiver.received.stream().map(AlertReceiver.Received::deliveryId)
                        .collect(Collectors.toSet());
                int received = receiver.received.size();

                first.stop();

                Launcher second = Launcher.start(directory, environment);
                launchers.add(second);
                Duration secondReady = second.awaitRunning();
                System.out.println("Second start (after a clean stop): services ready in " + secondReady.toMillis() + " ms");
                assertThat(second.output).contains("Northstar is running.")
                        .anyMatch(line -> line.startsWith("Demo project exists from an earlier run (not fed again)"));
                assertThat(secondReady).as("ready on its own data").isLessThanOrEqualTo(MAX_READY);
                // For 3 s (time for anything that would be detected or sent again): the same numbers, no alert again.
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> {
                            assertSameNumbers(before, seen(client, readKey));
                            assertThat(receiver.received).as("no alert sent again after a clean stop").hasSize(received);
                        });

                second.killEverything();

                Launcher third = Launcher.start(directory, environment);
                launchers.add(third);
                Duration thirdReady = third.awaitRunning();
                System.out.println("Third start (after kill -9 of every process): services ready in "
                        + thirdReady.toMillis() + " ms");
                assertThat(thirdReady).as("ready on its own data after kill -9").isLessThanOrEqualTo(MAX_READY);
                // A delivery whose outcome was not written before the kill may be made again, under its own id.
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500))
                        .untilAsserted(() -> {
                            assertSameNumbers(before, seen(client, readKey));
                            assertThat(receiver.received).extracting(AlertReceiver.Received::deliveryId)
                                    .as("no new alert after kill -9").allMatch(alerts::contains);
                        });
                third.stop();
            } finally {
                for (Launcher launcher : launchers) {
                    launcher.cleanUp();
                }
            }
        }
    }
}
