package dev.northstar.kafka.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The configuration of an Apache Kafka node in KRaft combined mode (broker and controller in one
 * process): a single-node cluster as used by the tests and the local run, or one node of a cluster
 * of several ({@link #clusterNode}).
 *
 * @param dataDir        where the broker keeps its log directory and its generated files
 * @param port           the PLAINTEXT listener clients connect to
 * @param controllerPort the KRaft controller listener
 * @param nodeId         this node's id
 * @param quorumVoters   {@code controller.quorum.voters} of the cluster ({@code id@host:port,...})
 * @param clusterSize    how many nodes the cluster has: the replication factor of internal topics
 * @param security       SASL and ACLs ({@link BrokerSecurity}); none: a PLAINTEXT listener anyone may use
 */
public record BrokerConfig(Path dataDir, int port, int controllerPort, int nodeId, String quorumVoters,
                           int clusterSize, Optional<BrokerSecurity> security) {

    /** A single-node cluster. */
    public BrokerConfig(Path dataDir, int port, int controllerPort) {
        this(dataDir, port, controllerPort, 1, "1@localhost:" + controllerPort, 1, Optional.empty());
    }

    /** The same node with SASL SCRAM and ACLs ({@link BrokerSecurity}). */
    public BrokerConfig secured(BrokerSecurity security) {
        return new BrokerConfig(dataDir, port, controllerPort, nodeId, quorumVoters, clusterSize, Optional.of(security));
    }

    /** What an admin client needs to reach this broker: the address, and the admin's credentials where secured. */
    public Map<String, Object> adminClientSettings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", bootstrapServers());
        security.ifPresent(s -> settings.putAll(s.adminSettings()));
        return settings;
    }

    /** Node {@code nodeId} (1-based) of a cluster whose nodes listen on {@code ports} and {@code controllerPorts}. */
    public static BrokerConfig clusterNode(Path dataDir, int nodeId, int[] ports, int[] controllerPorts) {
        StringBuilder voters = new StringBuilder();
        for (int i = 0; i < controllerPorts.length; i++) {
            voters.append(i == 0 ? "" : ",").append(i + 1).append("@localhost:").append(controllerPorts[i]);
        }
        return new BrokerConfig(dataDir, ports[nodeId - 1], controllerPorts[nodeId - 1], nodeId, voters.toString(),
                ports.length, Optional.empty());
    }

    /** A fixed cluster id: formatting is idempotent for the same data directory. */
    public static final String CLUSTER_ID = "NorthstarLocalKafka0A";

    /** A broker on free ports chosen now. */
    public static BrokerConfig onFreePorts(Path dataDir) {
        return new BrokerConfig(dataDir, freePort(), freePort());
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    public Path logDir() {
        return dataDir.resolve("kraft-combined-logs");
    }

    public Path propertiesFile() {
        return dataDir.resolve("server.properties");
    }

    /**
     * The node's properties: internal topics replicated on every node (up to three), and
     * {@code min.insync.replicas} 2 once there are three.
     */
    public Properties properties() {
        String replicas = String.valueOf(Math.min(3, clusterSize));
        String minIsr = clusterSize >= 3 ? "2" : "1";
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(nodeId));
        p.put("controller.quorum.voters", quorumVoters);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        security.ifPresent(s -> p.putAll(s.brokerProperties(port, controllerPort)));
        p.put("log.dirs", logDir().toAbsolutePath().toString());
        p.put("num.partitions", "6");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", replicas);
        p.put("offsets.topic.num.partitions", "6");
        p.put("transaction.state.log.replication.factor", replicas);
        p.put("transaction.state.log.min.isr", minIsr);
        p.put("share.coordinator.state.topic.replication.factor", replicas);
        p.put("share.coordinator.state.topic.min.isr", minIsr);
        p.put("default.replication.factor", replicas);
        p.put("min.insync.replicas", minIsr);
        p.put("group.initial.rebalance.delay.ms", "0");
        // Compacted snapshot topics stay small on a laptop as well.
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(16 * 1024 * 1024));
        return p;
    }

    /** Writes {@link #propertiesFile()} and returns it. */
    public Path writeProperties() {
        try {
            Files.createDirectories(dataDir);
            try (Writer w = Files.newBufferedWriter(propertiesFile(), StandardCharsets.UTF_8)) {
                properties().store(w, "Northstar local Kafka broker (generated)");
            }
            return propertiesFile();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
