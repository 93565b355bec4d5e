package dev.northstar.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.local.demo.DemoFeeder;
import dev.northstar.local.demo.DemoPopulation;
import dev.northstar.model.json.NorthstarJson;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar deploy/local/target/northstar-local.jar [--data-dir DIR] [--no-demo] [--secure-kafka]}:
 * starts Kafka and the six services on this machine, creates a demo project fed with demo data, prints
 * the URLs and keys, and runs until Ctrl-C, which stops everything cleanly. With {@code --secure-kafka}
 * the broker takes SASL SCRAM with the ACL authorizer and each service connects as its own principal.
 *
 * <p>Environment: {@code NORTHSTAR_ADMIN_TOKEN} (generated and printed when unset),
 * {@code NORTHSTAR_KAFKA_PORT} (9092), {@code NORTHSTAR_<SERVICE>_PORT} (8080 to 8084).
 */
public final class LocalStackMain {

    private static final String DEMO_PROJECT = "demo";

    private LocalStackMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(".northstar");
        boolean demo = true;
        boolean secureKafka = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(args[++i]);
                case "--no-demo" -> demo = false;
                case "--secure-kafka" -> secureKafka = true;
                case "--help", "-h" -> {
                    System.out.println("Usage: java -jar northstar-local.jar [--data-dir DIR] [--no-demo] [--secure-kafka]");
                    return;
                }
                default -> {
                    System.err.println("Unknown argument " + args[i] + "; try --help");
                    System.exit(2);
                }
            }
        }
        Files.createDirectories(dataDir);
        String adminToken = System.getenv().getOrDefault("NORTHSTAR_ADMIN_TOKEN", "");
        boolean generated = adminToken.isBlank();
        if (generated) {
            byte[] bytes = new byte[24];
            new SecureRandom().nextBytes(bytes);
            adminToken = "nsa_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
        Path repoRoot = repoRoot();
        Map<String, Integer> ports = new LinkedHashMap<>();
        ServiceModules.defaultPorts(repoRoot).forEach((name, port) -> ports.put(name,
                intEnv("NORTHSTAR_" + name.toUpperCase(Locale.ROOT) + "_PORT", port)));
        int kafkaPort = intEnv("NORTHSTAR_KAFKA_PORT", 9092);
        var options = new LocalStack.Options(repoRoot, dataDir.toAbsolutePath(), kafkaPort,
                intEnv("NORTHSTAR_KAFKA_CONTROLLER_PORT", kafkaPort + 1), ports, adminToken,
                System.getProperty("java.class.path"), Map.of(), secureKafka);

        long started = System.nanoTime();
        LocalStack stack = LocalStack.start(options, System.out::println);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping Northstar ...");
            stack.close();
            System.out.println("Stopped.");
            stopped.countDown();
        }, "northstar-stop"));
        System.out.printf("All services ready in %.1f s.%n", (System.nanoTime() - started) / 1e9);

        URI ingest = URI.create("http://localhost:" + ports.get("ingest"));
        URI insights = URI.create("http://localhost:" + ports.get("insights"));
        NorthstarClient.ProjectKeys keys = null;
        if (demo) {
            keys = demoProject(new NorthstarClient(ingest, insights), adminToken, dataDir);
        }

        System.out.println();
        System.out.println("Northstar is running.");
        System.out.println("  Dashboard and query API  " + insights + "/");
        System.out.println("  Ingest (POST events)     " + ingest + "/v1/events");
        if (ports.containsKey("notifier")) {
            System.out.println("  Webhooks (admin)         http://localhost:" + ports.get("notifier")
                    + "/v1/admin/projects/{projectId}/webhooks");
        }
        System.out.println("  Kafka                    " + stack.bootstrapServers() + (secureKafka
                ? "   (SASL SCRAM-SHA-512, one principal per service; admin password in "
                + dataDir.toAbsolutePath().resolve("kafka-admin.secret") + ")" : "   (PLAINTEXT on loopback)"));
        System.out.println("  Admin token              " + adminToken + (generated ? "   (generated for this run)" : ""));
        if (keys != null) {
            System.out.println("  Demo project             " + keys.projectId());
            System.out.println("  Write key                " + keys.writeKey());
            System.out.println("  Read key                 " + keys.readKey());
            System.out.println();
            System.out.println("  curl -s -H 'Authorization: Bearer " + keys.readKey() + "' " + insights
                    + "/v1/projects/" + keys.projectId() + "/features");
        }
        System.out.println("  Logs                     " + dataDir.toAbsolutePath().resolve("logs"));
        System.out.println("Press Ctrl-C to stop.");
        stopped.await();
    }

    /**
     * Creates the demo project and feeds it demo data; on a later start over the same data directory the
     * project exists and is reused as it is (its keys from the file the first start wrote).
     */
    private static NorthstarClient.ProjectKeys demoProject(NorthstarClient client, String adminToken, Path dataDir)
            throws IOException {
        Path saved = dataDir.resolve("demo-project.json");
        var answer = client.createProject(adminToken, DEMO_PROJECT, "Demo project");
        NorthstarClient.ProjectKeys keys;
        if (answer.status() == 201) {
            keys = new NorthstarClient.ProjectKeys(DEMO_PROJECT, answer.body().get("writeKey").asText(),
                    answer.body().get("readKey").asText());
            Files.writeString(saved, NorthstarClient.json(keys));
            try {
                Files.setPosixFilePermissions(saved, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the default permissions
            }
        } else if (answer.status() == 409 && Files.exists(saved)) {
            JsonNode node = NorthstarJson.mapper().readTree(saved.toFile());
            keys = new NorthstarClient.ProjectKeys(node.get("projectId").asText(), node.get("writeKey").asText(),
                    node.get("readKey").asText());
            // Fed when it was created: fed again, its numbers would move on every start.
            System.out.println("Demo project exists from an earlier run (not fed again); its keys are in " + saved);
            return keys;
        } else {
            throw new IllegalStateException("Could not create the demo project: " + answer.status() + " " + answer.text());
        }
        var events = new DemoPopulation(42, 400, Instant.now()).events();
        System.out.printf("Feeding the demo project with %,d events ...%n", events.size());
        DemoFeeder.feed(client.ingest(), keys.writeKey(), events, System.out::println);
        return keys;
    }

    private static int intEnv(String name, int fallback) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, got " + value);
        }
    }

    /** The checkout this launcher was built in: deploy/local/target/northstar-local.jar is three levels down. */
    private static Path repoRoot() throws URISyntaxException {
        String override = System.getProperty("northstar.repo.root");
        if (override != null) {
            return Path.of(override);
        }
        Path jar = Path.of(LocalStackMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path candidate = jar.getParent().getParent().getParent().getParent();
        if (Files.isDirectory(candidate.resolve("services"))) {
            return candidate;
        }
        return Path.of("").toAbsolutePath();
    }
}
