package dev.northstar.kafka.local;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real Apache Kafka broker (KRaft combined mode) running inside this JVM: the broker the tests
 * use where no Docker engine is available. {@link #start} returns once the broker is unfenced.
 */
public final class InProcessKafka implements RunningKafka {

    private final BrokerConfig config;
    private final KafkaRaftServer server;

    private InProcessKafka(BrokerConfig config, KafkaRaftServer server) {
        this.config = config;
        this.server = server;
    }

    /** Starts a broker on free ports with its data in a new temporary directory. */
    public static InProcessKafka start() {
        try {
            return start(BrokerConfig.onFreePorts(Files.createTempDirectory("northstar-kafka-")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static InProcessKafka start(BrokerConfig config) {
        StorageFormatter.format(config);
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config.properties(), false), Time.SYSTEM);
        server.startup();
        return new InProcessKafka(config, server);
    }

    @Override
    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    public Path dataDir() {
        return config.dataDir();
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
