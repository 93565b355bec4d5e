package dev.northstar.local;

import dev.northstar.kafka.local.BrokerConfig;
import dev.northstar.kafka.local.BrokerSecurity;
import dev.northstar.kafka.local.ChildProcessKafka;
import dev.northstar.model.topic.Topics;
import dev.northstar.topics.KafkaAccess;
import dev.northstar.topics.TopicAdmin;
import dev.northstar.topics.TopicSettings;
import dev.northstar.topics.TopicSpec;

import org.apache.kafka.clients.admin.Admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumMap;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole system on this machine: a real Apache Kafka broker as a child JVM with its data under
 * {@code <dataDir>/kafka}, the catalogue's topics, and the packaged services as child
 * processes, each started once the broker is up and awaited until ready. Closing it stops the
 * services, then the broker.
 */
public final class LocalStack implements AutoCloseable {

    /**
     * @param repoRoot        the checkout holding {@code services/<name>/target/quarkus-app}
     * @param dataDir         where the broker's data and the logs live
     * @param kafkaPort       the broker's client port
     * @param ports           each service to start, in order, with its HTTP port ({@link ServiceModules} finds them)
     * @param adminToken      the admin token given to ingest
     * @param brokerClassPath a class path with kafka_2.13 and a log4j2 binding
     * @param environment     extra environment for every service (configuration overrides)
     * @param secureKafka     whether the broker lets no one in without a principal and an ACL (SASL SCRAM,
     *                        the ACL authorizer): each service then connects as its own principal with the
     *                        least rights ({@link KafkaAccess}); otherwise a PLAINTEXT listener on loopback
     */
    public record Options(Path repoRoot, Path dataDir, int kafkaPort, int controllerPort, Map<String, Integer> ports,
                          String adminToken, String brokerClassPath, Map<String, String> environment,
                          boolean secureKafka) {
        public Options {
            environment = Map.copyOf(environment);
        }

        public Options(Path repoRoot, Path dataDir, int kafkaPort, int controllerPort, Map<String, Integer> ports,
                       String adminToken, String brokerClassPath, Map<String, String> environment) {
            this(repoRoot, dataDir, kafkaPort, controllerPort, ports, adminToken, brokerClassPath, environment, false);
        }
    }

    private final Options options;
    /** The brokers, by node id - 1: one for the local run, three for the replication tests. */
    private final List<ChildProcessKafka> brokers;
    private final Map<String, ServiceProcess> services;
    /** Each service's Kafka password, made at start, where the broker is secured. */
    private final Map<KafkaAccess.Role, String> passwords = new EnumMap<>(KafkaAccess.Role.class);

    private LocalStack(Options options, List<ChildProcessKafka> brokers, Map<String, ServiceProcess> services) {
        this.options = options;
        this.brokers = new ArrayList<>(brokers);
        this.services = services;
        if (options.secureKafka()) {
            for (KafkaAccess.Role role : KafkaAccess.Role.values()) {
                passwords.put(role, randomSecret(24));
            }
        }
    }

    public static LocalStack start(Options options, java.util.function.Consumer<String> progress) {
        progress.accept("Starting Kafka (KRaft) on localhost:" + options.kafkaPort() + " ...");
        ChildProcessKafka kafka = ChildProcessKafka.start(brokerConfig(options), options.brokerClassPath());
        return startServices(options, List.of(kafka), TopicSettings.singleBroker(), progress);
    }

    /**
     * The same on a cluster of {@code size} brokers (KRaft combined nodes, node 1 on the options'
     * ports, the others on free ports), every topic with replication factor 3 (or {@code size}) and
     * {@code min.insync.replicas} 2 where there are three.
     */
    public static LocalStack startCluster(Options options, int size, java.util.function.Consumer<String> progress) {
        int[] ports = new int[size];
        int[] controllerPorts = new int[size];
        ports[0] = options.kafkaPort();
        controllerPorts[0] = options.controllerPort();
        for (int i = 1; i < size; i++) {
            ports[i] = freePort();
            controllerPorts[i] = freePort();
        }
        List<BrokerConfig> nodes = new ArrayList<>();
        for (int node = 1; node <= size; node++) {
            BrokerConfig config = BrokerConfig.clusterNode(options.dataDir().resolve("kafka-" + node), node, ports,
                    controllerPorts);
            nodes.add(options.secureKafka() ? config.secured(brokerSecurity(options.dataDir())) : config);
        }
        progress.accept("Starting a " + size + "-broker Kafka cluster (KRaft) on localhost ports "
                + java.util.Arrays.toString(ports) + " ...");
        List<ChildProcessKafka> brokers = ChildProcessKafka.startCluster(nodes, options.brokerClassPath());
        short replicas = (short) Math.min(3, size);
        var settings = new TopicSettings(dev.northstar.model.topic.Topics.DEFAULT_PARTITIONS, replicas,
                TopicSettings.defaultMinInsyncReplicas(replicas), java.util.Optional.empty());
        return startServices(options, brokers, settings, progress);
    }

    /**
     * The management port ({@code /q/*}) of a service on {@code port}: {@code port + 1000} where that is
     * free (the local run: 9080 to 9084), else any free port.
     */
    static int managementPort(int port) {
        int preferred = port + 1000;
        if (preferred < 65536) {
            try (var socket = new java.net.ServerSocket(preferred)) {
                return preferred;
            } catch (java.io.IOException e) {
                // taken: any free port
            }
        }
        return freePort();
    }

    private static int freePort() {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static LocalStack startServices(Options options, List<ChildProcessKafka> brokers, TopicSettings topics,
                                            java.util.function.Consumer<String> progress) {
        Map<String, ServiceProcess> services = new LinkedHashMap<>();
        LocalStack stack = new LocalStack(options, brokers, services);
        try {
            TopicAdmin.ensure(stack.adminClientSettings(), TopicSpec.catalogue(topics));
            if (options.secureKafka()) {
                progress.accept("Creating a Kafka user and its ACLs for each service ...");
                try (Admin admin = Admin.create(stack.adminClientSettings())) {
                    KafkaAccess.apply(admin, stack.passwords, Duration.ofSeconds(30));
                }
            }
            for (var entry : options.ports().entrySet()) {
                String name = entry.getKey();
                ServiceProcess service = stack.process(name, name, entry.getValue());
                services.put(name, service);
                progress.accept("Starting " + name + " on port " + entry.getValue() + " (management "
                        + service.managementPort() + ") ...");
                service.start();
            }
            for (ServiceProcess service : services.values()) {
                service.awaitReady(Duration.ofSeconds(120));
            }
            return stack;
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    /** A service process named {@code instance} running {@code service}'s jar, with its own port and state. */
    private ServiceProcess process(String service, String instance, int port) {
        return process(service, instance, port, Map.of());
    }

    private ServiceProcess process(String service, String instance, int port, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(options.environment());
        env.putAll(kafkaSecurity(KafkaAccess.Role.ofService(service)));
        env.putAll(extra);
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
        env.put("NORTHSTAR_" + service.toUpperCase(java.util.Locale.ROOT) + "_PORT", String.valueOf(port));
        env.put("NORTHSTAR_ADMIN_TOKEN", options.adminToken());
        if (service.equals("notifier")) {
            env.putIfAbsent("NORTHSTAR_WEBHOOK_SECRETS_KEY", webhookSecretsKey(options.dataDir()));
        }
        // Stateful services keep their state in json files under the data directory.
        env.putIfAbsent("NORTHSTAR_STORE_KIND", "json");
        env.put("NORTHSTAR_STORE_DIR", options.dataDir().resolve("state").resolve(instance).toString());
        return new ServiceProcess(instance,
                options.repoRoot().resolve("services").resolve(service).resolve("target/quarkus-app/quarkus-run.jar"),
                port, managementPort(port), env, options.dataDir().resolve("logs"));
    }

    /**
     * Another instance of a service (same consumer group, its own port and state directory), not
     * started: how tests make a consumer group rebalance. The caller starts and stops it.
     */
    public ServiceProcess anotherInstance(String service, String instance, int port) {
        return process(service, instance, port);
    }

    /** {@link #anotherInstance(String, String, int)} with extra environment (configuration overrides). */
    public ServiceProcess anotherInstance(String service, String instance, int port, Map<String, String> environment) {
        return process(service, instance, port, environment);
    }

    /**
     * The environment that makes a service connect as its own principal ({@code KAFKA_SECURITY_PROTOCOL},
     * {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG}); empty on a PLAINTEXT broker.
     */
    public Map<String, String> kafkaSecurity(KafkaAccess.Role role) {
        if (!options.secureKafka()) {
            return Map.of();
        }
        Map<String, String> env = new HashMap<>();
        BrokerSecurity.clientSettings(role.userName(), passwords.get(role)).forEach((name, value) ->
                env.put("KAFKA_" + name.toUpperCase(java.util.Locale.ROOT).replace('.', '_'), value.toString()));
        return env;
    }

    /** The client settings of {@code role}'s principal (the address, and its credentials where secured). */
    public Map<String, Object> clientSettings(KafkaAccess.Role role) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", bootstrapServers());
        if (options.secureKafka()) {
            settings.putAll(BrokerSecurity.clientSettings(role.userName(), passwords.get(role)));
        }
        return settings;
    }

    /** The client settings of the cluster's admin: the address, and the super user's credentials where secured. */
    public Map<String, Object> adminClientSettings() {
        Map<String, Object> settings = new LinkedHashMap<>(brokers.get(0).config().adminClientSettings());
        settings.put("bootstrap.servers", bootstrapServers());
        return settings;
    }

    /**
     * The admin's credentials of a secured broker, kept with its data: the storage is formatted with
     * them once, and every later start must present the same (made on first use, readable by this user only).
     */
    static BrokerSecurity brokerSecurity(Path dataDir) {
        return BrokerSecurity.admin(keptSecret(dataDir.resolve("kafka-admin.secret"), randomSecret(24)));
    }

    /**
     * The key the notifier seals webhook secrets with, kept with the data (32 random bytes in base64,
     * made on first use, readable by this user only): a second start must open what the first sealed.
     */
    static String webhookSecretsKey(Path dataDir) {
        return keptSecret(dataDir.resolve("webhook-secrets.key"), Base64.getEncoder().encodeToString(randomBytes(32)));
    }

    /** The secret in {@code file}, written there with {@code fresh} (readable by this user only) when absent. */
    private static String keptSecret(Path file, String fresh) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, fresh);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system
                }
            }
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String randomSecret(int bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(bytes));
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    public synchronized String bootstrapServers() {
        return String.join(",", brokers.stream().map(b -> "localhost:" + b.config().port()).toList());
    }

    /** Stops the broker (controlled shutdown), as an outage would; the services keep running. */
    public synchronized void stopKafka() {
        brokers.get(0).close();
    }

    /** Starts the broker again on the same ports and data. */
    public synchronized void startKafka() {
        brokers.set(0, ChildProcessKafka.start(brokers.get(0).config(), options.brokerClassPath()));
    }

    /** Kills broker {@code node} (1-based) with SIGKILL, as a crash would. */
    public synchronized void killBroker(int node) {
        brokers.get(node - 1).kill();
    }

    /** Starts broker {@code node} again on its ports and data, and waits until it answers. */
    public synchronized void restartBroker(int node) {
        brokers.set(node - 1, ChildProcessKafka.start(brokers.get(node - 1).config(), options.brokerClassPath()));
    }

    private static BrokerConfig brokerConfig(Options options) {
        // A secured broker keeps its data apart: storage formatted without the admin's credential cannot be secured later.
        BrokerConfig config = new BrokerConfig(options.dataDir().resolve(options.secureKafka() ? "kafka-secured" : "kafka"),
                options.kafkaPort(), options.controllerPort());
        return options.secureKafka() ? config.secured(brokerSecurity(options.dataDir())) : config;
    }

    public ServiceProcess service(String name) {
        return Optional.ofNullable(services.get(name))
                .orElseThrow(() -> new IllegalArgumentException("No service " + name));
    }

    public List<ServiceProcess> services() {
        return new ArrayList<>(services.values());
    }

    public Options options() {
        return options;
    }

    /** Stops the services (in reverse order), then the broker. */
    @Override
    public void close() {
        List<ServiceProcess> reversed = new ArrayList<>(services.values());
        java.util.Collections.reverse(reversed);
        reversed.parallelStream().forEach(ServiceProcess::close);
        brokers.parallelStream().forEach(ChildProcessKafka::close);
    }
}
