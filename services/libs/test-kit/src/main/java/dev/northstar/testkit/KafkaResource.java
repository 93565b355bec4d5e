package dev.northstar.testkit;

import dev.northstar.kafka.local.InProcessKafka;
import dev.northstar.kafka.local.RunningKafka;
import dev.northstar.topics.TopicAdmin;
import dev.northstar.topics.TopicSettings;
import dev.northstar.topics.TopicSpec;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.images.PullPolicy;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

import java.util.Map;

/**
 * A real Kafka broker for {@code @QuarkusTest}s: Testcontainers' Kafka container where a Docker
 * engine is available, else the real Apache Kafka broker in this JVM. One broker serves every
 * test class of a test run (it stops when the JVM does); the catalogue's topics exist on it, as
 * declared for a single broker.
 *
 * <p>The container image is {@code apache/kafka:4.1.2} unless the system property or
 * environment variable {@code NORTHSTAR_KAFKA_IMAGE} names another (such as a locally built,
 * compatible image); it is never pulled when it is already present. With
 * {@code NORTHSTAR_KAFKA_REQUIRE_CONTAINER=true} a missing engine is an error, not a fallback.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    public static final String IMAGE_VARIABLE = "NORTHSTAR_KAFKA_IMAGE";
    public static final String DEFAULT_IMAGE = "apache/kafka:4.1.2";
    /** Set to {@code true} (CI's container pass does) to fail instead of falling back to the in-process broker. */
    public static final String REQUIRE_CONTAINER_VARIABLE = "NORTHSTAR_KAFKA_REQUIRE_CONTAINER";

    private static RunningKafka broker;

    /** The shared broker, started on first use. */
    public static synchronized String bootstrapServers() {
        if (broker == null) {
            broker = startBroker();
            TopicAdmin.ensure(broker.bootstrapServers(), TopicSpec.catalogue(TopicSettings.singleBroker()));
            RunningKafka started = broker;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "kafka-test-broker-stop"));
        }
        return broker.bootstrapServers();
    }

    private static RunningKafka startBroker() {
        if (DockerClientFactory.instance().isDockerAvailable()) {
            String image = System.getProperty(IMAGE_VARIABLE, System.getenv().getOrDefault(IMAGE_VARIABLE, DEFAULT_IMAGE));
            KafkaContainer container = new KafkaContainer(
                    DockerImageName.parse(image).asCompatibleSubstituteFor("apache/kafka"))
                    .withImagePullPolicy(PullPolicy.defaultPolicy());
            container.start();
            return new RunningKafka() {
                @Override
                public String bootstrapServers() {
                    return container.getBootstrapServers();
                }

                @Override
                public void close() {
                    container.stop();
                }
            };
        }
        if (Boolean.parseBoolean(System.getProperty(REQUIRE_CONTAINER_VARIABLE,
                System.getenv().getOrDefault(REQUIRE_CONTAINER_VARIABLE, "false")))) {
            throw new IllegalStateException(REQUIRE_CONTAINER_VARIABLE + " is set but no Docker engine answers "
                    + "(DOCKER_HOST=" + System.getenv("DOCKER_HOST") + ")");
        }
        return InProcessKafka.start();
    }

    @Override
    public Map<String, String> start() {
        return Map.of("kafka.bootstrap.servers", bootstrapServers());
    }

    @Override
    public void stop() {
        // The broker is shared by every test class of this JVM and stops with it.
    }
}
