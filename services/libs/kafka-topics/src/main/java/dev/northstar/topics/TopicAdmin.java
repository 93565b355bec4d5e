package dev.northstar.topics;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * Creates topics as declared and checks them, on any cluster an {@link Admin} reaches. The only code
 * that creates Northstar's topics: tests, the local run, compose's one-shot {@code topics} step
 * ({@link TopicsCommand}) all go through {@link #apply}; each service checks the topics it uses with
 * {@link #check} before it reports ready.
 */
public final class TopicAdmin implements AutoCloseable {

    private final Admin admin;
    private final Duration timeout;

    public TopicAdmin(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /** An admin client on {@code clientConfig} (at least {@code bootstrap.servers}) with {@code timeout} per call. */
    public static TopicAdmin connect(Map<String, Object> clientConfig, Duration timeout) {
        Map<String, Object> config = new LinkedHashMap<>(clientConfig);
        int millis = (int) Math.max(1000, timeout.toMillis());
        config.putIfAbsent("request.timeout.ms", millis);
        config.putIfAbsent("default.api.timeout.ms", millis);
        config.putIfAbsent("reconnect.backoff.max.ms", 1000);
        return new TopicAdmin(Admin.create(config), timeout);
    }

    /** Shorthand for {@link #connect(Map, Duration)} on {@code bootstrap.servers} alone. */
    public static TopicAdmin connect(String bootstrapServers, Duration timeout) {
        return connect(Map.of("bootstrap.servers", bootstrapServers), timeout);
    }

    /**
     * Creates {@code specs} on the cluster at {@code bootstrapServers} (tests, the local run and the
     * benchmarks); throws, naming each problem, when a topic cannot be made as declared.
     */
    public static void ensure(String bootstrapServers, Collection<TopicSpec> specs) {
        ensure(Map.of("bootstrap.servers", bootstrapServers), specs);
    }

    /** {@link #ensure(String, Collection)} with an admin client on {@code clientConfig} (a secured cluster's admin). */
    public static void ensure(Map<String, Object> clientConfig, Collection<TopicSpec> specs) {
        try (TopicAdmin admin = connect(clientConfig, Duration.ofSeconds(30))) {
            Applied applied = admin.apply(specs);
            if (!applied.ok()) {
                throw new IllegalStateException("Topics not as declared on " + clientConfig.get("bootstrap.servers")
                        + ": " + String.join("; ", applied.problems()));
            }
        }
    }

    /**
     * What {@link #apply} did: topics created, settings changed on existing topics, and what it could
     * not make so (partitions or replicas that differ from the declaration need an operator's decision).
     */
    public record Applied(List<String> created, List<String> altered, List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    /**
     * Makes the cluster hold {@code specs}: creates each missing topic with its partitions,
     * replication factor and settings; sets each declared setting an existing topic has another value
     * for; reports an existing topic with fewer partitions or another replication factor (changing
     * either moves data or keys, so it is never done silently). Safe to run again and concurrently:
     * a topic created meanwhile by another run is treated as existing.
     */
    public Applied apply(Collection<TopicSpec> specs) {
        List<String> created = new ArrayList<>();
        List<String> altered = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, TopicDescription> existing = describe(specs.stream().map(TopicSpec::name).toList());
        List<TopicSpec> missing = specs.stream().filter(s -> !existing.containsKey(s.name())).toList();
        if (!missing.isEmpty()) {
            var result = admin.createTopics(missing.stream().map(TopicSpec::newTopic).toList());
            result.values().forEach((name, future) -> {
                try {
                    future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    created.add(name);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        problems.add("topic " + name + " could not be created: " + e.getCause().getMessage());
                    }
                } catch (TimeoutException e) {
                    problems.add("topic " + name + " was not created within " + timeout.toSeconds() + " s");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
        }
        awaitVisible(created, problems);
        List<TopicSpec> present = specs.stream().filter(s -> existing.containsKey(s.name())).toList();
        Map<String, Config> configs = configs(present.stream().map(TopicSpec::name).toList());
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new LinkedHashMap<>();
        for (TopicSpec spec : present) {
            problems.addAll(shapeProblems(spec, existing.get(spec.name())));
            Config config = configs.get(spec.name());
            List<AlterConfigOp> ops = new ArrayList<>();
            spec.configs().forEach((name, value) -> {
                ConfigEntry entry = config.get(name);
                if (entry == null || !sameValue(name, entry.value(), value)) {
                    ops.add(new AlterConfigOp(new ConfigEntry(name, value), AlterConfigOp.OpType.SET));
                    altered.add(spec.name() + ": " + name + "=" + value + " (was " + (entry == null ? "unset" : entry.value()) + ")");
                }
            });
            if (!ops.isEmpty()) {
                changes.put(new ConfigResource(ConfigResource.Type.TOPIC, spec.name()), ops);
            }
        }
        if (!changes.isEmpty()) {
            await(admin.incrementalAlterConfigs(changes).all(), "changing topic settings");
        }
        return new Applied(List.copyOf(created), List.copyOf(altered), List.copyOf(problems));
    }

    /**
     * Waits until every topic in {@code created} is described with its settings: the controller
     * acknowledges a creation before the brokers know the topic, and a service started right after the
     * topics step must not find it missing.
     */
    private void awaitVisible(List<String> created, List<String> problems) {
        if (created.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, TopicDescription> seen = describe(created);
            if (seen.keySet().containsAll(created)) {
                try {
                    configs(created);
                    return;
                } catch (IllegalStateException notYet) {
                    if (!(notYet.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw notYet;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                problems.add("topics " + created + " were created but not all were visible within "
                        + timeout.toSeconds() + " s");
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * What is wrong with the cluster's topics for {@code needs}, one message per problem naming the
     * topic and the setting; empty when every need is met.
     */
    /**
     * What differs between the cluster and {@code specs}, changing nothing: missing topics, fewer
     * partitions or another replication factor, and every setting whose value is not the declared one.
     * Empty when every topic is as declared ({@code TopicsCommand verify}, {@code northstar topics verify}).
     */
    public List<String> verify(Collection<TopicSpec> specs) {
        List<String> problems = new ArrayList<>();
        Map<String, TopicDescription> existing = describe(specs.stream().map(TopicSpec::name).toList());
        List<TopicSpec> present = new ArrayList<>();
        for (TopicSpec spec : specs) {
            if (existing.containsKey(spec.name())) {
                present.add(spec);
                problems.addAll(shapeProblems(spec, existing.get(spec.name())));
            } else {
                problems.add("topic " + spec.name() + " does not exist (TopicsCommand create makes it)");
            }
        }
        Map<String, Config> configs = configs(present.stream().map(TopicSpec::name).toList());
        for (TopicSpec spec : present) {
            spec.configs().forEach((name, value) -> {
                ConfigEntry entry = configs.get(spec.name()).get(name);
                if (entry == null || !sameValue(name, entry.value(), value)) {
                    problems.add("topic " + spec.name() + " has " + name + "=" + (entry == null ? "(unset)" : entry.value())
                            + ", " + value + " is declared");
                }
            });
        }
        return problems;
    }

    /** Partitions and replicas of an existing topic against its spec. */
    private static List<String> shapeProblems(TopicSpec spec, TopicDescription description) {
        List<String> problems = new ArrayList<>();
        int partitions = description.partitions().size();
        if (partitions < spec.partitions()) {
            problems.add("topic " + spec.name() + " has " + partitions + " partitions, " + spec.partitions()
                    + " are declared: adding partitions moves keys to other partitions, so it is left to an operator");
        }
        int replicas = description.partitions().get(0).replicas().size();
        if (replicas != spec.replicationFactor()) {
            problems.add("topic " + spec.name() + " has replication factor " + replicas + ", "
                    + spec.replicationFactor() + " is declared: reassign its partitions (kafka-reassign-partitions)");
        }
        return problems;
    }

    public List<String> check(Collection<TopicNeed> needs) {
        List<String> names = needs.stream().map(TopicNeed::topic).distinct().toList();
        Map<String, TopicDescription> existing = describe(names);
        Map<String, Config> configs = configs(names.stream().filter(existing::containsKey).toList());
        List<String> problems = new ArrayList<>();
        for (TopicNeed need : needs) {
            Config config = configs.get(need.topic());
            if (config == null) {
                problems.add("topic " + need.topic() + " does not exist (" + need.why() + "): create the topics first "
                        + "(README, 'Topics'); brokers must not create them on first use");
                continue;
            }
            String policy = value(config, "cleanup.policy").orElse("delete");
            need.cleanupPolicy().filter(expected -> !sameValue("cleanup.policy", policy, expected)).ifPresent(expected ->
                    problems.add("topic " + need.topic() + " has cleanup.policy=" + policy + ", it must be " + expected
                            + " (" + need.why() + ")"));
            need.minRetention().ifPresent(min -> retentionProblem(need, config, min).ifPresent(problems::add));
        }
        return problems;
    }

    private static Optional<String> retentionProblem(TopicNeed need, Config config, Duration min) {
        long ms = value(config, "retention.ms").map(Long::parseLong).orElse(-1L);
        long bytes = value(config, "retention.bytes").map(Long::parseLong).orElse(-1L);
        String needed = "it must keep records " + TopicNeed.describe(min) + " (" + need.why() + ")";
        if (min.equals(TopicNeed.FOREVER)) {
            if (ms != -1) {
                return Optional.of("topic " + need.topic() + " has retention.ms=" + ms + " ("
                        + TopicNeed.describe(Duration.ofMillis(ms)) + "); " + needed + ": set retention.ms=-1");
            }
            if (bytes != -1) {
                return Optional.of("topic " + need.topic() + " has retention.bytes=" + bytes + "; " + needed
                        + ": set retention.bytes=-1");
            }
        } else if (ms != -1 && ms < min.toMillis()) {
            return Optional.of("topic " + need.topic() + " has retention.ms=" + ms + " ("
                    + TopicNeed.describe(Duration.ofMillis(ms)) + "); " + needed + ": set retention.ms to at least "
                    + min.toMillis() + " or -1");
        }
        return Optional.empty();
    }

    /** Compares a topic setting: {@code cleanup.policy} as a set ({@code compact,delete} = {@code delete,compact}). */
    private static boolean sameValue(String name, String actual, String expected) {
        if (actual == null) {
            return false;
        }
        if (name.equals("cleanup.policy")) {
            return policies(actual).equals(policies(expected));
        }
        if (name.equals("min.cleanable.dirty.ratio")) {
            return Double.parseDouble(actual) == Double.parseDouble(expected);
        }
        return actual.equals(expected);
    }

    private static java.util.Set<String> policies(String value) {
        return java.util.Arrays.stream(value.split(",")).map(String::trim).collect(Collectors.toSet());
    }

    private static Optional<String> value(Config config, String name) {
        return Optional.ofNullable(config.get(name)).map(ConfigEntry::value);
    }

    private Map<String, TopicDescription> describe(List<String> names) {
        Map<String, TopicDescription> found = new LinkedHashMap<>();
        admin.describeTopics(names).topicNameValues().forEach((name, future) -> {
            try {
                found.put(name, future.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            } catch (ExecutionException e) {
                if (e.getCause() instanceof AuthenticationException) {
                    throw new IllegalStateException("Kafka refused this client's credentials (" + e.getCause().getMessage()
                            + "): check the principal and secret in KAFKA_SASL_JAAS_CONFIG and KAFKA_SASL_MECHANISM",
                            e.getCause());
                }
                if (e.getCause() instanceof AuthorizationException) {
                    throw new IllegalStateException("Kafka does not allow this client's principal to describe topic "
                            + name + " (" + e.getCause().getMessage() + "): grant it its ACLs (README, 'Kafka "
                            + "principals and ACLs')", e.getCause());
                }
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("Could not describe topic " + name + ": " + e.getCause(), e.getCause());
                }
            } catch (TimeoutException e) {
                throw new IllegalStateException("Could not describe topic " + name + " within " + timeout.toSeconds()
                        + " s: is Kafka reachable?", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        return found;
    }

    private Map<String, Config> configs(List<String> names) {
        if (names.isEmpty()) {
            return Map.of();
        }
        var resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
        return await(admin.describeConfigs(resources).all(), "reading topic settings").entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().name(), Map.Entry::getValue));
    }

    private <T> T await(KafkaFuture<T> future, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(what + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(what + " took longer than " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
