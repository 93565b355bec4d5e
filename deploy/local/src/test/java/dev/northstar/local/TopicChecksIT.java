package dev.northstar.local;

import dev.northstar.model.topic.Topics;
import dev.northstar.topics.TopicAdmin;
import dev.northstar.topics.TopicSettings;
import dev.northstar.topics.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Services started on a cluster whose topics are not kept as they need refuse readiness, saying which
 * topic and which setting; once the topics step has put them right, they become ready on their own.
 * As a broker's defaults would leave them: the projects topic not compacted, the events topic with a
 * week's retention.
 */
class TopicChecksIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void misconfiguredTopicsKeepTheServicesNotReadyNamingTopicAndSettingUntilTheTopicsStepFixesThem()
            throws Exception {
        try (LocalStack stack = TestStacks.start(List.of())) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
                set(admin, Topics.PROJECTS.name(), "cleanup.policy", "delete");
                set(admin, Topics.EVENTS.name(), "retention.ms", String.valueOf(Duration.ofDays(7).toMillis()));
            }
            ServiceProcess ingest = stack.anotherInstance("ingest", "ingest", TestStacks.freePort());
            ServiceProcess adoption = stack.anotherInstance("adoption", "adoption", TestStacks.freePort(),
                    Map.of("NORTHSTAR_STORE_KIND", "memory"));
            try (ingest; adoption) {
                ingest.start();
                adoption.start();
                ingest.awaitStarted(Duration.ofSeconds(60));
                adoption.awaitStarted(Duration.ofSeconds(60));

                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    var answer = ready(ingest);
                    assertThat(answer.statusCode()).isEqualTo(503);
                    assertThat(answer.body()).contains("topic northstar.projects.v1 has cleanup.policy=delete, "
                            + "it must be compact");
                });
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    var answer = ready(adoption);
                    assertThat(answer.statusCode()).isEqualTo(503);
                    assertThat(answer.body()).contains("topic " + Topics.EVENTS.name() + " has retention.ms=604800000 (7 days); "
                            + "it must keep records forever");
                });
                assertThat(java.nio.file.Files.readString(adoption.log()))
                        .contains("Not ready: topic " + Topics.EVENTS.name() + " has retention.ms=604800000");

                // The topics step (the code compose runs) puts them back as declared.
                try (TopicAdmin topics = TopicAdmin.connect(stack.bootstrapServers(), Duration.ofSeconds(30))) {
                    var applied = topics.apply(TopicSpec.catalogue(TopicSettings.singleBroker()));
                    assertThat(applied.ok()).as(applied.problems().toString()).isTrue();
                    assertThat(applied.altered()).contains("northstar.projects.v1: cleanup.policy=compact (was delete)");
                }
                ingest.awaitReady(Duration.ofSeconds(60));
                adoption.awaitReady(Duration.ofSeconds(60));
            }
        }
    }

    @Test
    void eventsDeletedBeforeTheyWereCountedAreReportedNeverSilentlyUndercounted() throws Exception {
        try (LocalStack stack = TestStacks.start(List.of("ingest"))) {
            var ingest = stack.service("ingest");
            var client = new NorthstarClient(ingest.uri("/"), ingest.uri("/"));
            var created = client.createProject(TestStacks.ADMIN_TOKEN, "retained", "Retained");
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            String writeKey = created.body().get("writeKey").asText();
            for (int batch = 0; batch < 4; batch++) {
                var events = new java.util.ArrayList<Map<String, Object>>();
                for (int i = 0; i < 25; i++) {
                    events.add(Map.of("eventId", "r-" + batch + "-" + i, "type", "feature_used", "userId", "u" + i,
                            "feature", "export", "occurredAt", java.time.Instant.now().toString()));
                }
                assertThat(client.postEvents(writeKey, NorthstarClient.json(Map.of("events", events))).status())
                        .isEqualTo(202);
            }
            // Retention (here: a deletion) removes the first 40 of the project's 100 events before adoption reads them.
            int partition = org.apache.kafka.common.utils.Utils.toPositive(org.apache.kafka.common.utils.Utils.murmur2(
                    "retained".getBytes(java.nio.charset.StandardCharsets.UTF_8))) % Topics.DEFAULT_PARTITIONS;
            var events = new org.apache.kafka.common.TopicPartition(Topics.EVENTS.name(), partition);
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
                admin.deleteRecords(Map.of(events, org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(40)))
                        .all().get(30, TimeUnit.SECONDS);
            }
            ServiceProcess adoption = stack.anotherInstance("adoption", "adoption", TestStacks.freePort(),
                    Map.of("NORTHSTAR_STORE_KIND", "memory"));
            try (adoption) {
                adoption.start();
                adoption.awaitStarted(Duration.ofSeconds(60));
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    var answer = ready(adoption);
                    assertThat(answer.statusCode()).isEqualTo(503);
                    assertThat(answer.body()).contains("\"name\": \"input complete\"")
                            .contains(events + " records lost\": 40");
                });
                assertThat(java.nio.file.Files.readString(adoption.log())).contains("Partition " + events
                        + ": 40 input records (offsets 0 to 39) were deleted before they were read");
                String metrics = HTTP.send(HttpRequest.newBuilder(adoption.uri("/q/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).containsPattern("northstar_input_records_lost_total\\{[^}]*service=\"adoption\"[^}]*} 40\\.0");
            }
            // An operator who accepts the loss says so; the service is then ready, still reporting it.
            ServiceProcess accepting = stack.anotherInstance("adoption", "adoption-accepting", TestStacks.freePort(),
                    Map.of("NORTHSTAR_STORE_KIND", "memory", "NORTHSTAR_SIGNALS_ACCEPT_LOST_INPUT", "true"));
            try (accepting) {
                accepting.start();
                accepting.awaitReady(Duration.ofSeconds(60));
                assertThat(ready(accepting).body()).contains(events + " records lost\": 40");
            }
        }
    }

    private static void set(Admin admin, String topic, String name, String value) throws Exception {
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                        List.of(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET))))
                .all().get(30, TimeUnit.SECONDS);
    }

    private static HttpResponse<String> ready(ServiceProcess service) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(service.uri("/q/health/ready"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
