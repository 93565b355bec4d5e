package dev.northstar.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.northstar.kafka.local.BrokerConfig;
import dev.northstar.model.topic.Topics;
import dev.northstar.topics.KafkaAccess;
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
        KNOWN_ENV.addAll(List.of("QUARKUS_HTTP_PORT", "QUARKUS_MANAGEMENT_PORT", "NORTHSTAR_STORE_SNAPSHOT_INTERVAL", "NORTHSTAR_STORE_MAX_UNSAVED_AGE"));
        // The Kafka client's connection and security settings (KafkaAddress: KAFKA_SECURITY_PROTOCOL, ...).
        TopicsCommand.CLIENT_SETTINGS.forEach(setting ->
                KNOWN_ENV.add("KAFKA_" + setting.toUpperCase(java.util.Locale.ROOT).replace('.', '_')));
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
            // Probes on the management port (/q/* is served nowhere else); the Service routes only the API.
            int management = container.path("ports").get(1).path("containerPort").asInt();
            assertThat(container.path("ports").get(1).path("name").asText()).isEqualTo("management");
            assertThat(management).isEqualTo(Integer.parseInt(configMap.get("QUARKUS_MANAGEMENT_PORT")));
            assertThat(container.path("readinessProbe").path("httpGet").path("port").asText()).isEqualTo("management");
            assertThat(container.path("livenessProbe").path("httpGet").path("port").asText()).isEqualTo("management");
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
                List<String> volumes = new ArrayList<>();
                service.path("volumes").forEach(v -> volumes.add(v.asText()));
                assertThat(volumes).as(name).anyMatch(v -> v.endsWith(":" + service.path("environment")
                        .path("NORTHSTAR_STORE_DIR").asText()));
            }
        }
    }

    @Test
    void theServiceImageListensWhereItsHealthCheckAndProbesLook() throws IOException {
        String dockerfile = Files.readString(ROOT.resolve("deploy/docker/Dockerfile.service"));
        assertThat(dockerfile).contains("QUARKUS_HTTP_PORT=8080").contains("QUARKUS_MANAGEMENT_PORT=9000")
                .contains("EXPOSE 8080 9000").contains("/127.0.0.1/${QUARKUS_MANAGEMENT_PORT:-9000}").contains("/q/health/ready")
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

    /**
     * Every deployment path: Kafka takes only authenticated clients with authorization on, each service
     * connects as its own principal, and its ACLs are exactly the catalogue's ({@link KafkaAccess}).
     */
    @Test
    void everyPathConnectsEachServiceAsItsOwnPrincipalWithOnlyItsAcls() throws IOException {
        // Kubernetes: one KafkaUser per service whose ACLs are the catalogue's grants.
        Map<String, Set<String>> users = new HashMap<>();
        for (JsonNode doc : documents(ROOT.resolve("deploy/k8s/users.yaml"))) {
            assertThat(doc.path("kind").asText()).isEqualTo("KafkaUser");
            assertThat(doc.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo("northstar-kafka");
            assertThat(doc.path("spec").path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
            Set<String> acls = new TreeSet<>();
            for (JsonNode acl : doc.path("spec").path("authorization").path("acls")) {
                JsonNode resource = acl.path("resource");
                for (JsonNode operation : acl.path("operations")) {
                    acls.add(resource.path("type").asText() + " " + resource.path("name").asText() + " "
                            + resource.path("patternType").asText() + " " + operation.asText());
                }
            }
            users.put(doc.path("metadata").path("name").asText(), acls);
        }
        for (KafkaAccess.Role role : KafkaAccess.Role.values()) {
            Set<String> expected = new TreeSet<>();
            for (var binding : KafkaAccess.grants(role)) {
                String pattern = binding.pattern().patternType() == org.apache.kafka.common.resource.PatternType.PREFIXED
                        ? "prefix" : "literal";
                String operation = java.util.Arrays.stream(binding.entry().operation().name().toLowerCase(java.util.Locale.ROOT)
                        .split("_")).map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1))
                        .collect(java.util.stream.Collectors.joining());
                String type = java.util.Arrays.stream(binding.pattern().resourceType().name().toLowerCase(java.util.Locale.ROOT)
                        .split("_")).map(w -> Character.toUpperCase(w.charAt(0)) + w.substring(1))
                        .collect(java.util.stream.Collectors.joining());   // Strimzi's names: topic, group, transactionalId
                expected.add(Character.toLowerCase(type.charAt(0)) + type.substring(1) + " "
                        + binding.pattern().name() + " " + pattern + " " + operation);
            }
            assertThat(users.get(role.userName())).as(role.userName()).isEqualTo(expected);
        }
        assertThat(users.keySet()).hasSize(KafkaAccess.Role.values().length);
        JsonNode kafka = documents(ROOT.resolve("deploy/k8s/kafka.yaml")).stream()
                .filter(d -> d.path("kind").asText().equals("Kafka")).findFirst().orElseThrow();
        assertThat(kafka.path("spec").path("kafka").path("authorization").path("type").asText()).isEqualTo("simple");
        assertThat(kafka.path("spec").path("entityOperator").has("userOperator")).isTrue();
        for (JsonNode listener : kafka.path("spec").path("kafka").path("listeners")) {
            assertThat(listener.path("tls").asBoolean()).as(listener.path("name").asText()).isTrue();
            assertThat(listener.path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
        }
        for (JsonNode doc : documents(ROOT.resolve("deploy/k8s/northstar.yaml"))) {
            if (doc.path("kind").asText().equals("ConfigMap")) {
                assertThat(doc.path("data").path("KAFKA_SECURITY_PROTOCOL").asText()).isEqualTo("SASL_SSL");
                assertThat(doc.path("data").path("KAFKA_SASL_MECHANISM").asText()).isEqualTo(KafkaAccess.MECHANISM);
            }
            if (doc.path("kind").asText().equals("Deployment") || doc.path("kind").asText().equals("StatefulSet")) {
                String name = doc.path("metadata").path("name").asText();
                JsonNode container = doc.path("spec").path("template").path("spec").path("containers").get(0);
                JsonNode jaas = null;
                for (JsonNode e : container.path("env")) {
                    if (e.path("name").asText().equals("KAFKA_SASL_JAAS_CONFIG")) {
                        jaas = e.path("valueFrom").path("secretKeyRef");
                    }
                }
                assertThat(jaas).as(name + " connects as its own principal").isNotNull();
                assertThat(jaas.path("name").asText()).isEqualTo(KafkaAccess.Role.ofService(name).userName());
            }
        }

        // Compose: TLS + SASL only, authorization on, each service its own user, the step makes users and ACLs.
        JsonNode compose = documents(ROOT.resolve("deploy/compose/docker-compose.yml")).get(0).path("services");
        JsonNode broker = compose.path("kafka").path("environment");
        assertThat(broker.path("KAFKA_ALLOW_EVERYONE_IF_NO_ACL_FOUND").asText()).isEqualTo("false");
        assertThat(broker.path("KAFKA_AUTHORIZER_CLASS_NAME").asText()).endsWith("StandardAuthorizer");
        assertThat(broker.path("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP").asText()).doesNotContain("PLAINTEXT");
        JsonNode topics = compose.path("topics");
        assertThat(topics.path("entrypoint").toString()).contains(TopicsCommand.class.getName() + " create access migrate-events");
        for (KafkaAccess.Role role : KafkaAccess.Role.values()) {
            assertThat(topics.path("environment").has(role.passwordVariable())).as(role.passwordVariable()).isTrue();
            JsonNode env = compose.path(role.service()).path("environment");
            assertThat(env.path("KAFKA_SECURITY_PROTOCOL").asText()).as(role.service()).isEqualTo("SASL_SSL");
            assertThat(env.path("KAFKA_SASL_MECHANISM").asText()).as(role.service()).isEqualTo(KafkaAccess.MECHANISM);
            assertThat(env.path("KAFKA_SASL_JAAS_CONFIG").asText()).as(role.service())
                    .contains("username=\"" + role.userName() + "\"")
                    .contains("password=\"${" + role.passwordVariable() + "}\"");
        }
        assertThat(Files.readString(ROOT.resolve("deploy/compose/secrets.sh")))
                .contains("NORTHSTAR_KAFKA_${service}_PASSWORD");
    }
}
