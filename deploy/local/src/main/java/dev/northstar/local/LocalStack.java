package dev.northstar.local;

import dev.northstar.kafka.local.BrokerConfig;
import dev.northstar.kafka.local.ChildProcessKafka;
import dev.northstar.model.topic.Topics;
import dev.northstar.topics.TopicAdmin;
import dev.northstar.topics.TopicSettings;
import dev.northstar.topics.TopicSpec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole system on this machine: a real Apache Kafka broker as a child JVM with its data under
 * {@code <dataDir>/kafka}, the catalogue's topics, and the five packaged services as child
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
     */
    public record Options(Path repoRoot, Path dataDir, int kafkaPort, int controllerPort, Map<String, Integer> ports,
                          String adminToken, String brokerClassPath, Map<String, String> environment) {
        public Options {
            environment = Map.copyOf(environment);
        }
    }

    private final Options options;
    /** The brokers, by node id - 1: one for the local run, three for the replication tests. */
    private final List<ChildProcessKafka> brokers;
    private final Map<String, ServiceProcess> services;

    private LocalStack(Options options, List<ChildProcessKafka> brokers, Map<String, ServiceProcess> services) {
        this.options = options;
        this.brokers = new ArrayList<>(brokers);
        this.services = services;
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
            nodes.add(BrokerConfig.clusterNode(options.dataDir().resolve("kafka-" + node), node, ports, controllerPorts));
        }
        progress.accept("Starting a " + size + "-broker Kafka cluster (KRaft) on localhost ports "
                + java.util.Arrays.toString(ports) + " ...");
        List<ChildProcessKafka> brokers = ChildProcessKafka.startCluster(nodes, options.brokerClassPath());
        short replicas = (short) Math.min(3, size);
        var settings = new TopicSettings(dev.northstar.model.topic.Topics.DEFAULT_PARTITIONS, replicas,
                TopicSettings.defaultMinInsyncReplicas(replicas), java.util.Optional.empty());
        return startServices(options, brokers, settings, progress);
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
            TopicAdmin.ensure(stack.bootstrapServers(), TopicSpec.catalogue(topics));
            for (var entry : options.ports().entrySet()) {
                String name = entry.getKey();
                ServiceProcess service = stack.process(name, name, entry.getValue());
                services.put(name, service);
                progress.accept("Starting " + name + " on port " + entry.getValue() + " ...");
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
        env.putAll(extra);
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
        env.put("NORTHSTAR_" + service.toUpperCase(java.util.Locale.ROOT) + "_PORT", String.valueOf(port));
        env.put("NORTHSTAR_ADMIN_TOKEN", options.adminToken());
        // Stateful services keep their state in json files under the data directory.
        env.putIfAbsent("NORTHSTAR_STORE_KIND", "json");
        env.put("NORTHSTAR_STORE_DIR", options.dataDir().resolve("state").resolve(instance).toString());
        return new ServiceProcess(instance,
                options.repoRoot().resolve("services").resolve(service).resolve("target/quarkus-app/quarkus-run.jar"),
                port, env, options.dataDir().resolve("logs"));
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
        return new BrokerConfig(options.dataDir().resolve("kafka"), options.kafkaPort(), options.controllerPort());
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
