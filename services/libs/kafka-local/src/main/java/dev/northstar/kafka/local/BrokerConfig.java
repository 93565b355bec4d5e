package dev.northstar.kafka.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The configuration of a single-node Apache Kafka broker in KRaft combined mode (broker and
 * controller in one process), as used by the tests and by the local run.
 *
 * @param dataDir        where the broker keeps its log directory and its generated files
 * @param port           the PLAINTEXT listener clients connect to
 * @param controllerPort the KRaft controller listener
 */
public record BrokerConfig(Path dataDir, int port, int controllerPort) {

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

    /** The broker's properties: single node, so every internal topic has replication factor 1. */
    public Properties properties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        p.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir().toAbsolutePath().toString());
        p.put("num.partitions", "6");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "6");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
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
