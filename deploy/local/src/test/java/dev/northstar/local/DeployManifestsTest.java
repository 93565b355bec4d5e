package dev.northstar.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.northstar.kafka.local.BrokerConfig;
import dev.northstar.model.topic.Topics;
import dev.northstar.topics.TopicSettings;
import dev.northstar.topics.TopicSpec;
import dev.northstar.topics.TopicsCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deploy files agree with the code: every service of the checkout ({@link ServiceModules}) is
 * deployed by compose and on Kubernetes, probes hit real health paths on
 * the port the container serves, every environment variable the files set is one the services read,
 * and the stateful services keep their json state on a volume.
 */
class DeployManifestsTest {

    private static final Path ROOT = Path.of(System.getProperty("northstar.repo.root", "../..")).toAbsolutePath().normalize();
    /** Found in the checkout, never listed by hand: a service without a deploy entry fails here. */
    private static final List<String> SERVICES = ServiceModules.all(ROOT);
    private static final Set<String> STATEFUL = Set.copyOf(ServiceModules.signalServices(ROOT));
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Environment variables the services read: every ${NAME...} in their configuration, plus Quarkus' own. */
    private static final Set<String> KNOWN_ENV = new TreeSet<>();

    @BeforeAll
    static void readConfiguration() throws IOException {
        Pattern reference = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
        List<Path> configs = new ArrayList<>();
        for (String service : SERVICES) {
            configs.add(ROOT.resolve("services/" + service + "/src/main/resources/application.properties"));
        }
        try (Stream<Path> libs = Files.list(ROOT.resolve("services/libs"))) {
            libs.map(lib -> lib.resolve("src/main/resources/META-INF/microprofile-config.properties"))
                    .filter(Files::exists).forEach(configs::add);
        }
        for (Path config : configs) {
            Matcher m = reference.matcher(Files.readString(config));
            while (m.find()) {
                KNOWN_ENV.add(m.group(1));
            }
        }
        // Quarkus maps QUARKUS_HTTP_PORT to quarkus.http.port; the store settings come from StoreConfig.
        KNOWN_ENV.addAll(List.of("QUARKUS_HTTP_PORT", "NORTHSTAR_STORE_SNAPSHOT_INTERVAL", "NORTHSTAR_STORE_MAX_UNSAVED_AGE"));
        assertThat(KNOWN_ENV).contains("KAFKA_BOOTSTRAP_SERVERS", "NORTHSTAR_ADMIN_TOKEN", "NORTHSTAR_STORE_KIND",
                "NORTHSTAR_STORE_DIR");
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    @Test
    void theServicesAreFoundInTheCheckoutWithTheBriefsPorts() {
        Map<String, Integer> ports = ServiceModules.defaultPorts(ROOT);
        assertThat(ports).containsAllEntriesOf(Map.of("insights", 8080, "ingest", 8081, "adoption", 8082,
                "friction", 8083, "feedback", 8084));
        assertThat(new TreeSet<>(ports.values())).as("one port per service").hasSameSizeAs(ports.values());
        assertThat(STATEFUL).containsExactlyInAnyOrder("adoption", "friction", "feedback");
        assertThat(SERVICES).doesNotContain("libs");
    }

    @Test
    void everyServiceRunsOnKubernetesWithRealProbesKnownSettingsAndItsState() throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("deploy/k8s"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                docs.addAll(documents(f));
            }
        }
        Map<String, JsonNode> workloads = new HashMap<>();
        Set<String> services = new TreeSet<>();
        Map<String, String> configMap = new HashMap<>();
        for (JsonNode doc : docs) {
            String kind = doc.path("kind").asText();
            String name = doc.path("metadata").path("name").asText();
            switch (kind) {
                case "Deployment", "StatefulSet" -> workloads.put(name, doc);
                case "Service" -> services.add(name);
                case "ConfigMap" -> doc.path("data").fields().forEachRemaining(e -> configMap.put(e.getKey(), e.getValue().asText()));
                default -> { }
            }
        }
        assertThat(workloads.keySet()).containsExactlyInAnyOrderElementsOf(SERVICES);
        assertThat(services).containsAll(SERVICES);
        assertThat(KNOWN_ENV).containsAll(configMap.keySet());
        assertThat(docs).anyMatch(d -> d.path("kind").asText().equals("Kafka")
                && d.path("apiVersion").asText().startsWith("kafka.strimzi.io/"));

        for (String name : SERVICES) {
            JsonNode workload = workloads.get(name);
            assertThat(workload.path("kind").asText()).as(name)
                    .isEqualTo(STATEFUL.contains(name) ? "StatefulSet" : "Deployment");
            JsonNode container = workload.path("spec").path("template").path("spec").path("containers").get(0);
            assertThat(container.path("image").asText()).isEqualTo("northstar/" + name + ":0.1.0");
            int port = container.path("ports").get(0).path("containerPort").asInt();
            assertThat(port).as(name + " serves on QUARKUS_HTTP_PORT").isEqualTo(Integer.parseInt(configMap.get("QUARKUS_HTTP_PORT")));
            assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/ready");
            assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/q/health/live");
            assertThat(container.path("resources").path("requests").isObject()).as(name + " requests").isTrue();
            assertThat(container.path("resources").path("limits").isObject()).as(name + " limits").isTrue();
            Map<String, String> env = new HashMap<>();
            container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText(null)));
            assertThat(KNOWN_ENV).as(name + " environment").containsAll(env.keySet());
            if (STATEFUL.contains(name)) {
                assertThat(env).containsEntry("NORTHSTAR_STORE_KIND", "json");
                String dir = env.get("NORTHSTAR_STORE_DIR");
                assertThat(container.path("volumeMounts").findValuesAsText("mountPath")).as(name).contains(dir);
                assertThat(workload.path("spec").path("volumeClaimTemplates").isArray()).as(name).isTrue();
            }
            if (name.equals("ingest")) {
                assertThat(container.path("env").findValuesAsText("name")).contains("NORTHSTAR_ADMIN_TOKEN");
            }
        }
    }

    @Test
    void theComposeFilesStartEveryServiceWithKnownSettingsAndStateVolumes() throws IOException {
        JsonNode compose = documents(ROOT.resolve("deploy/compose/docker-compose.yml")).get(0);
        JsonNode offline = documents(ROOT.resolve("deploy/compose/docker-compose.offline.yml")).get(0);
        assertThat(compose.path("services").path("kafka").path("image").asText()).contains("apache/kafka:4.1.2");
        assertThat(offline.path("services").path("kafka").path("image").asText()).isEqualTo("northstar/kafka:4.1.2");
        for (String name : SERVICES) {
            JsonNode service = compose.path("services").path(name);
            assertThat(service.isObject()).as(name).isTrue();
            assertThat(service.path("image").asText()).isEqualTo("northstar/" + name + ":0.1.0");
            List<String> env = new ArrayList<>();
            service.path("environment").fieldNames().forEachRemaining(env::add);
            offline.path("services").path(name).path("environment").fieldNames().forEachRemaining(env::add);
            assertThat(KNOWN_ENV).as(name + " environment").containsAll(env);
            // Services start once the one-shot topics step has created the topics as declared.
            assertThat(service.path("depends_on").path("topics").path("condition").asText())
                    .isEqualTo("service_completed_successfully");
            if (STATEFUL.contains(name)) {
                assertThat(service.path("environment").path("NORTHSTAR_STORE_KIND").asText()).isEqualTo("json");
                assertThat(service.path("volumes").get(0).asText()).endsWith(":" + service.path("environment")
                        .path("NORTHSTAR_STORE_DIR").asText());
            }
        }
    }

    @Test
    void theServiceImageListensWhereItsHealthCheckAndProbesLook() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("deploy/docker/Dockerfile.service"));
        assertThat(dockerfile).contains("QUARKUS_HTTP_PORT=8080").contains("EXPOSE 8080").contains("/q/health/ready")
                .contains("NORTHSTAR_STORE_DIR=/data").contains("USER 10001")
                .contains("COPY --chown=northstar:northstar lib/ /app/lib/").contains("quarkus-run.jar");
        assertThat(Files.isExecutable(ROOT.resolve("deploy/docker/kafka/run"))).isTrue();
    }

    @Test
    void everyPathDeclaresTheCataloguesTopicsAndNoBrokerCreatesTopicsOnFirstUse() throws IOException {
        // Kubernetes: one Strimzi KafkaTopic per catalogue topic, three replicas, min ISR 2.
        var production = new TopicSettings(Topics.DEFAULT_PARTITIONS, (short) 3, 2, Optional.empty());
        Map<String, JsonNode> declared = new HashMap<>();
        for (JsonNode doc : documents(ROOT.resolve("deploy/k8s/topics.yaml"))) {
            assertThat(doc.path("kind").asText()).isEqualTo("KafkaTopic");
            assertThat(doc.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo("northstar-kafka");
            declared.put(doc.path("spec").path("topicName").asText(), doc.path("spec"));
        }
        List<TopicSpec> catalogue = TopicSpec.catalogue(production);
        assertThat(declared.keySet()).containsExactlyInAnyOrderElementsOf(catalogue.stream().map(TopicSpec::name).toList());
        for (TopicSpec spec : catalogue) {
            JsonNode topic = declared.get(spec.name());
            assertThat(topic.path("partitions").asInt()).as(spec.name()).isEqualTo(spec.partitions());
            assertThat(topic.path("replicas").asInt()).as(spec.name()).isEqualTo(spec.replicationFactor());
            Map<String, String> config = new HashMap<>();
            topic.path("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
            assertThat(config).as(spec.name()).isEqualTo(spec.configs());
        }
        JsonNode kafka = documents(ROOT.resolve("deploy/k8s/kafka.yaml")).stream()
                .filter(d -> d.path("kind").asText().equals("Kafka")).findFirst().orElseThrow();
        JsonNode brokerConfig = kafka.path("spec").path("kafka").path("config");
        assertThat(brokerConfig.path("auto.create.topics.enable").asBoolean(true)).isFalse();
        assertThat(brokerConfig.path("min.insync.replicas").asInt()).isEqualTo(2);
        assertThat(brokerConfig.path("offsets.topic.replication.factor").asInt()).isEqualTo(3);
        int nodes = documents(ROOT.resolve("deploy/k8s/kafka.yaml")).stream()
                .filter(d -> d.path("kind").asText().equals("KafkaNodePool"))
                .mapToInt(d -> d.path("spec").path("replicas").asInt()).sum();
        assertThat(nodes).isGreaterThanOrEqualTo(3);

        // Compose: no auto-creation; the one-shot topics step runs the catalogue's command on one broker.
        JsonNode compose = documents(ROOT.resolve("deploy/compose/docker-compose.yml")).get(0).path("services");
        assertThat(compose.path("kafka").path("environment").path("KAFKA_AUTO_CREATE_TOPICS_ENABLE").asText())
                .isEqualTo("false");
        JsonNode topics = compose.path("topics");
        assertThat(topics.path("entrypoint").toString()).contains(TopicsCommand.class.getName() + " create");
        assertThat(topics.path("depends_on").path("kafka").path("condition").asText()).isEqualTo("service_healthy");
        assertThat(topics.path("environment").path(TopicSettings.REPLICATION_FACTOR).asInt()).isEqualTo(1);

        // The local run and the tests' broker.
        assertThat(new BrokerConfig(Path.of("unused"), 1, 2).properties().getProperty("auto.create.topics.enable"))
                .isEqualTo("false");
        assertThat(Files.readString(ROOT.resolve("deploy/docker/kafka/run"))).contains("KAFKA_AUTO_CREATE_TOPICS_ENABLE:=false");
    }
}
