package dev.northstar.local;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ingest and insights started against a broker address nobody answers on: a request with a well-formed
 * key they cannot check yet is answered 503 with Retry-After within a second, every time, and no
 * event-loop thread is ever reported blocked. (The key check asked the broker for the projects topic's
 * end on the event loop, with timeouts of 3 s, until the first success.)
 */
class UnreachableBrokerIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final String WRITE_KEY = "nsw_0123456789abcdef_" + "a".repeat(43);
    private static final String READ_KEY = "nsr_0123456789abcdef_" + "a".repeat(43);

    private static Map<String, String> with(Map<String, String> environment, String name, int port) {
        var all = new java.util.HashMap<>(environment);
        all.put(name, String.valueOf(port));
        return all;
    }

    @Test
    void aKeyThatCannotBeCheckedYetIsAnswered503AtOnceAndNoEventLoopBlocks() throws Exception {
        Path root = TestStacks.repoRoot();
        Path logs = Files.createTempDirectory(root.resolve("deploy/local/target"), "unreachable-");
        int nobody = TestStacks.freePort();
        Map<String, String> environment = Map.of("KAFKA_BOOTSTRAP_SERVERS", "localhost:" + nobody,
                "NORTHSTAR_ADMIN_TOKEN", "an-admin-token-long-enough-for-the-check");
        int ingestPort = TestStacks.freePort();
        int insightsPort = TestStacks.freePort();
        var ingest = new ServiceProcess("ingest", root.resolve("services/ingest/target/quarkus-app/quarkus-run.jar"),
                ingestPort, TestStacks.freePort(), with(environment, "NORTHSTAR_INGEST_PORT", ingestPort), logs);
        var insights = new ServiceProcess("insights", root.resolve("services/insights/target/quarkus-app/quarkus-run.jar"),
                insightsPort, TestStacks.freePort(), with(environment, "NORTHSTAR_INSIGHTS_PORT", insightsPort), logs);
        try (ingest; insights) {
            ingest.start();
            insights.start();
            ingest.awaitStarted(Duration.ofSeconds(90));
            insights.awaitStarted(Duration.ofSeconds(90));

            long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
            int asked = 0;
            while (System.nanoTime() < until) {
                var post = HTTP.send(HttpRequest.newBuilder(ingest.uri("/v1/events")).timeout(Duration.ofSeconds(1))
                        .header("Authorization", "Bearer " + WRITE_KEY).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"events\":[]}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(post.statusCode()).as(post.body()).isEqualTo(503);
                assertThat(post.headers().firstValue("Retry-After")).isPresent();
                var get = HTTP.send(HttpRequest.newBuilder(insights.uri("/v1/projects/shop/features"))
                        .timeout(Duration.ofSeconds(1)).header("Authorization", "Bearer " + READ_KEY).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(get.statusCode()).as(get.body()).isEqualTo(503);
                asked++;
                Thread.sleep(200);
            }
            assertThat(asked).isPositive();
        }
        for (ServiceProcess service : List.of(ingest, insights)) {
            String log = Files.readString(service.log(), StandardCharsets.UTF_8);
            assertThat(log).as("%s's log", service.name()).doesNotContain("has been blocked for");
        }
    }
}
