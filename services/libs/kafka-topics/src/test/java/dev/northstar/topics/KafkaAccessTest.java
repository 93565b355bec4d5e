package dev.northstar.topics;

import dev.northstar.kafka.local.BrokerSecurity;
import dev.northstar.kafka.local.InProcessKafka;
import dev.northstar.model.topic.Topic;
import dev.northstar.model.topic.Topics;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Against a real broker with SCRAM and the ACL authorizer: each service's principal can do what it
 * needs and is refused what it does not; an unknown password and a client without credentials get nothing.
 */
class KafkaAccessTest {

    private static final BrokerSecurity SECURITY = BrokerSecurity.admin("admin-secret-for-tests");
    private static InProcessKafka kafka;
    private static final Map<KafkaAccess.Role, String> PASSWORDS = new EnumMap<>(KafkaAccess.Role.class);

    /** As compose's one-shot step does it: topics, then users and ACLs, as the admin, from the environment. */
    @BeforeAll
    static void start() {
        kafka = InProcessKafka.startSecured(SECURITY);
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        SECURITY.adminSettings().forEach((k, v) -> env.put("KAFKA_" + k.toUpperCase().replace('.', '_'), v.toString()));
        for (KafkaAccess.Role role : KafkaAccess.Role.values()) {
            PASSWORDS.put(role, role.service() + "-password");
            env.put(role.passwordVariable(), PASSWORDS.get(role));
        }
        var out = new java.io.ByteArrayOutputStream();
        var print = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(TopicsCommand.run(new String[] {"create", "access"}, env, print, print)).as(out.toString()).isZero();
        // At every start again: changes nothing and does not fail.
        assertThat(TopicsCommand.run(new String[] {"create", "access"}, env, print, print)).as(out.toString()).isZero();
        assertThat(out.toString()).contains("user northstar-ingest (SCRAM-SHA-512) set").contains("ACLs for " + KafkaAccess.Role.values().length + " services");
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private static Map<String, Object> as(KafkaAccess.Role role) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", kafka.bootstrapServers());
        config.putAll(BrokerSecurity.clientSettings(role.userName(), PASSWORDS.get(role)));
        return config;
    }

    private static KafkaProducer<String, String> producer(Map<String, Object> settings) {
        Map<String, Object> config = new HashMap<>(settings);
        config.put("max.block.ms", 5000);
        config.put("delivery.timeout.ms", 5000);
        config.put("request.timeout.ms", 4000);
        return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
    }

    /** Sends one record; the broker's refusal, if any, as the cause. */
    private static void send(Map<String, Object> settings, Topic<?> topic) throws Exception {
        try (var producer = producer(settings)) {
            producer.send(new ProducerRecord<>(topic.name(), "p1", "{}")).get(10, TimeUnit.SECONDS);
        }
    }

    /** A new user's credential and its ACLs reach every listener a moment after they are committed. */
    private static void eventually(ThrowingRunnable action) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                action.run();
                return;
            } catch (Exception | AssertionError e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void each_service_does_what_it_needs() throws Exception {
        eventually(() -> send(as(KafkaAccess.Role.INGEST), Topics.EVENTS));
        eventually(() -> send(as(KafkaAccess.Role.INGEST), Topics.PROJECTS));
        eventually(() -> send(as(KafkaAccess.Role.ADOPTION), Topics.FEATURE_ADOPTION));
        eventually(() -> send(as(KafkaAccess.Role.FEEDBACK), Topics.DEAD_LETTER));
        eventually(() -> send(as(KafkaAccess.Role.INSIGHTS), Topics.FEATURE_INSIGHTS));
        // The engine reads events in its own group and commits there.
        eventually(() -> {
            Map<String, Object> config = new HashMap<>(as(KafkaAccess.Role.FRICTION));
            config.put("group.id", "northstar-friction");
            try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
                var partition = new TopicPartition(Topics.EVENTS.name(), 0);
                consumer.assign(List.of(partition));
                consumer.seekToBeginning(List.of(partition));
                consumer.poll(Duration.ofMillis(500));
                consumer.commitSync(Map.of(partition, new org.apache.kafka.clients.consumer.OffsetAndMetadata(0)));
            }
        });
        // The notifier writes history and deliveries in a transaction with its group's consumed offsets.
        eventually(() -> {
            Map<String, Object> config = new HashMap<>(as(KafkaAccess.Role.NOTIFIER));
            config.put("transactional.id", "northstar-notifier-test");
            try (var producer = new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(Topics.FEATURE_HISTORY.name(), "acl-test/f", "{}"));
                producer.send(new ProducerRecord<>(Topics.WEBHOOK_DELIVERIES.name(), "acl-test/w/d", "{}"));
                producer.sendOffsetsToTransaction(Map.of(new TopicPartition(Topics.FEATURE_INSIGHTS.name(), 0),
                                new org.apache.kafka.clients.consumer.OffsetAndMetadata(0)),
                        new org.apache.kafka.clients.consumer.ConsumerGroupMetadata("northstar-notifier"));
                producer.commitTransaction();
            }
        });
        // Every service may check the settings of the topics it uses (its readiness).
        for (KafkaAccess.Role role : KafkaAccess.Role.values()) {
            eventually(() -> {
                try (TopicAdmin admin = TopicAdmin.connect(as(role), Duration.ofSeconds(5))) {
                    var needs = KafkaAccess.grants(role).stream()
                            .filter(b -> b.pattern().resourceType() == org.apache.kafka.common.resource.ResourceType.TOPIC)
                            .map(b -> TopicNeed.exists(b.pattern().name(), role.service() + " uses it"))
                            .distinct().toList();
                    assertThat(admin.check(needs)).as(role.name()).isEmpty();
                }
            });
        }
    }

    @Test
    void each_service_is_refused_what_it_does_not_need() throws Exception {
        eventually(() -> send(as(KafkaAccess.Role.INGEST), Topics.EVENTS));
        refused(KafkaAccess.Role.ADOPTION, Topics.PROJECTS);          // forge a project registration
        refused(KafkaAccess.Role.FRICTION, Topics.FEATURE_ADOPTION);  // write another service's snapshots
        refused(KafkaAccess.Role.FEEDBACK, Topics.EVENTS);            // write events ingest never validated
        refused(KafkaAccess.Role.INSIGHTS, Topics.EVENTS);
        refused(KafkaAccess.Role.INGEST, Topics.FEATURE_INSIGHTS);
        refused(KafkaAccess.Role.INSIGHTS, Topics.FEATURE_HISTORY);         // forge a feature's history
        // Only the notifier reads the webhooks (their signing secrets).
        Map<String, Object> insights = new HashMap<>(as(KafkaAccess.Role.INSIGHTS));
        insights.put("group.id", "northstar-insights-webhooks-x");
        try (var consumer = new KafkaConsumer<>(insights, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition(Topics.WEBHOOKS.name(), 0)));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(5))).isInstanceOf(TopicAuthorizationException.class);
        }
        // Reading: adoption may not read projects (the write keys' hashes), nor join another service's group.
        Map<String, Object> config = new HashMap<>(as(KafkaAccess.Role.ADOPTION));
        config.put("group.id", "northstar-adoption");
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.assign(List.of(new TopicPartition(Topics.PROJECTS.name(), 0)));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(5))).isInstanceOf(TopicAuthorizationException.class);
        }
        config.put("group.id", "northstar-insights-registry-x");
        try (var consumer = new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.EVENTS.name()));
            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(5))).isInstanceOf(GroupAuthorizationException.class);
        }
    }

    private static void refused(KafkaAccess.Role role, Topic<?> topic) {
        assertThatThrownBy(() -> send(as(role), topic)).as(role + " writing " + topic.name())
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void a_wrong_password_is_refused_and_named() {
        Map<String, Object> config = new HashMap<>(as(KafkaAccess.Role.INGEST));
        config.putAll(BrokerSecurity.clientSettings(KafkaAccess.Role.INGEST.userName(), "not-the-password"));
        assertThatThrownBy(() -> send(config, Topics.EVENTS)).hasRootCauseInstanceOf(SaslAuthenticationException.class);
        try (TopicAdmin admin = TopicAdmin.connect(config, Duration.ofSeconds(5))) {
            assertThatThrownBy(() -> admin.check(List.of(TopicNeed.exists(Topics.EVENTS.name(), "test"))))
                    .hasMessageContaining("Kafka refused this client's credentials")
                    .hasMessageContaining("KAFKA_SASL_JAAS_CONFIG");
        }
    }

    @Test
    void a_client_without_credentials_gets_nothing() {
        var config = Map.<String, Object>of("bootstrap.servers", kafka.bootstrapServers());
        assertThatThrownBy(() -> send(config, Topics.EVENTS))
                .hasRootCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class)
                .hasMessageContaining("not present in metadata");
    }
}
