package dev.northstar.kafka.local;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;

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
    /** Deleted on close: set when the broker's data lives in a temporary directory it made itself. */
    private final boolean temporaryData;

    private InProcessKafka(BrokerConfig config, KafkaRaftServer server, boolean temporaryData) {
        this.config = config;
        this.server = server;
        this.temporaryData = temporaryData;
    }

    /** Starts a broker on free ports with its data in a new temporary directory, deleted on {@link #close()}. */
    public static InProcessKafka start() {
        try {
            return start(BrokerConfig.onFreePorts(Files.createTempDirectory("northstar-kafka-")), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts a broker on free ports that lets no one in without a principal and an ACL
     * ({@link BrokerSecurity}), with its data in a new temporary directory, deleted on {@link #close()}.
     */
    public static InProcessKafka startSecured(BrokerSecurity security) {
        try {
            return start(BrokerConfig.onFreePorts(Files.createTempDirectory("northstar-kafka-")).secured(security), true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a broker with its data where {@code config} says; the data stays after {@link #close()}. */
    public static InProcessKafka start(BrokerConfig config) {
        return start(config, false);
    }

    private static InProcessKafka start(BrokerConfig config, boolean temporaryData) {
        StorageFormatter.format(config);
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(config.properties(), false), Time.SYSTEM);
        server.startup();
        return new InProcessKafka(config, server, temporaryData);
    }

    @Override
    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    public BrokerConfig config() {
        return config;
    }

    public Path dataDir() {
        return config.dataDir();
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (temporaryData) {
            try {
                Utils.delete(config.dataDir().toFile());
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete the broker's temporary data " + config.dataDir(), e);
            }
        }
    }
}
