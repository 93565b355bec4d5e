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

import java.net.URI;
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
                    assertThat(answer.body()).contains("topic northstar.events.v1 has retention.ms=604800000 (7 days); "
                            + "it must keep records forever");
                });
                assertThat(java.nio.file.Files.readString(adoption.log()))
                        .contains("Not ready: topic northstar.events.v1 has retention.ms=604800000");

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

    private static void set(Admin admin, String topic, String name, String value) throws Exception {
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic),
                        List.of(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET))))
                .all().get(30, TimeUnit.SECONDS);
    }

    private static HttpResponse<String> ready(ServiceProcess service) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + service.port() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
