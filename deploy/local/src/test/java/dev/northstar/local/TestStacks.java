package dev.northstar.local;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Starts the packaged services (all, or some) and a real broker on free ports, for the ITs. */
final class TestStacks {

    static final String ADMIN_TOKEN = "it-admin-token";

    private TestStacks() {
    }

    static LocalStack start(List<String> services) {
        return start(services, Map.of());
    }

    /** With extra environment for every service (configuration overrides). */
    static LocalStack start(List<String> services, Map<String, String> environment) {
        return LocalStack.start(options(services, environment), System.out::println);
    }

    /**
     * On a broker that lets no one in without a principal and an ACL: each service connects as its own
     * SCRAM principal with the least rights (KafkaAclIT).
     */
    static LocalStack startSecured(List<String> services, Map<String, String> environment) {
        var o = options(services, environment);
        return LocalStack.start(new LocalStack.Options(o.repoRoot(), o.dataDir(), o.kafkaPort(), o.controllerPort(),
                o.ports(), o.adminToken(), o.brokerClassPath(), o.environment(), true), System.out::println);
    }

    /** On a cluster of {@code brokers} Kafka brokers, every topic replicated (ReplicationIT). */
    static LocalStack startCluster(List<String> services, int brokers, Map<String, String> environment) {
        return LocalStack.startCluster(options(services, environment), brokers, System.out::println);
    }

    private static LocalStack.Options options(List<String> services, Map<String, String> environment) {
        Path repoRoot = repoRoot();
        Path target = repoRoot.resolve("deploy/local/target");
        try {
            Path dataDir = Files.createTempDirectory(target, "it-");
            Map<String, Integer> ports = new LinkedHashMap<>();
            ServiceModules.all(repoRoot).stream().filter(services::contains)
                    .forEach(name -> ports.put(name, freePort()));
            String brokerClassPath = target.resolve("lib").toAbsolutePath() + File.separator + "*"
                    + File.pathSeparator + target.resolve("classes").toAbsolutePath();
            return new LocalStack.Options(repoRoot, dataDir, freePort(), freePort(), ports, ADMIN_TOKEN,
                    brokerClassPath, environment);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("northstar.repo.root", "../..")).toAbsolutePath().normalize();
    }

    /** Every service of the checkout. */
    static List<String> all() {
        return ServiceModules.all(repoRoot());
    }

    /** The services built on the signal engine. */
    static List<String> signalServices() {
        return ServiceModules.signalServices(repoRoot());
    }

    /** Ports handed out by this JVM, with their management twins (port + 1000). */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * A port free now whose management twin (port + 1000, where the local run puts {@code /q/*}) is
     * free too, never one handed out before in this JVM as either: the OS may offer the same free port
     * twice in a row when nothing has bound it yet, and two services of one stack would then collide.
     */
    static synchronized int freePort() {
        for (int attempt = 0; ; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int twin = port + 1000;
            if (twin <= 65535 && !HANDED_OUT.contains(port) && !HANDED_OUT.contains(twin) && bindable(twin)) {
                HANDED_OUT.add(port);
                HANDED_OUT.add(twin);
                return port;
            }
            if (attempt > 1000) {
                throw new IllegalStateException("no free port pair found");
            }
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
