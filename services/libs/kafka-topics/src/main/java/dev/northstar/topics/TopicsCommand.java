package dev.northstar.topics;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The one-shot step that creates (or brings to their declared settings) every topic of the catalogue,
 * run before the services start: by compose (service {@code topics}, from the ingest image), by hand
 * against any cluster, or as a Kubernetes Job where Strimzi's topic operator is not used.
 *
 * <pre>
 * java -cp '/app/lib/main/*:/app/lib/boot/*' dev.northstar.topics.TopicsCommand [create|plan]
 * </pre>
 * Reads {@code KAFKA_BOOTSTRAP_SERVERS} and the {@link TopicSettings} variables. {@code plan} prints what
 * would be declared and touches nothing. Exit status 0 when every topic is as declared, 1 when a
 * problem needs an operator (printed), 2 on a usage or configuration error.
 */
public final class TopicsCommand {

    /** How long {@code create} waits for the cluster to answer before giving up. */
    static final Duration CLUSTER_WAIT = Duration.ofSeconds(120);

    private TopicsCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        String action = args.length == 0 ? "create" : args[0];
        TopicSettings settings;
        try {
            settings = TopicSettings.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            err.println("topics: " + e.getMessage());
            return 2;
        }
        List<TopicSpec> specs = TopicSpec.catalogue(settings);
        switch (action) {
            case "plan" -> {
                specs.forEach(spec -> out.println(describe(spec)));
                return 0;
            }
            case "create" -> {
                String bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS");
                if (bootstrap == null || bootstrap.isBlank()) {
                    err.println("topics: set KAFKA_BOOTSTRAP_SERVERS to the cluster's address (host:port[,host:port])");
                    return 2;
                }
                return create(bootstrap, specs, out, err);
            }
            default -> {
                err.println("usage: TopicsCommand [create|plan]  (environment: KAFKA_BOOTSTRAP_SERVERS, "
                        + String.join(", ", TopicSettings.PARTITIONS, TopicSettings.REPLICATION_FACTOR,
                        TopicSettings.MIN_INSYNC_REPLICAS, TopicSettings.EVENTS_RETENTION) + ")");
                return 2;
            }
        }
    }

    private static int create(String bootstrap, List<TopicSpec> specs, PrintStream out, PrintStream err) {
        Instant deadline = Instant.now().plus(CLUSTER_WAIT);
        while (true) {
            try (TopicAdmin admin = TopicAdmin.connect(bootstrap, Duration.ofSeconds(15))) {
                TopicAdmin.Applied applied = admin.apply(specs);
                applied.created().forEach(name -> out.println("created " + name));
                applied.altered().forEach(change -> out.println("set " + change));
                applied.problems().forEach(problem -> err.println("PROBLEM " + problem));
                out.println(applied.ok() ? "topics: all " + specs.size() + " topics are as declared"
                        : "topics: " + applied.problems().size() + " problem(s) need an operator");
                return applied.ok() ? 0 : 1;
            } catch (IllegalStateException e) {
                if (Instant.now().isAfter(deadline)) {
                    err.println("topics: the cluster at " + bootstrap + " did not answer within "
                            + CLUSTER_WAIT.toSeconds() + " s: " + e.getMessage());
                    return 1;
                }
                err.println("topics: waiting for the cluster at " + bootstrap + " (" + e.getMessage() + ")");
                sleep();
            }
        }
    }

    static String describe(TopicSpec spec) {
        return spec.name() + " partitions=" + spec.partitions() + " replication-factor=" + spec.replicationFactor()
                + " " + new java.util.TreeMap<>(spec.configs()).toString().replace(", ", " ").replace("{", "").replace("}", "");
    }

    private static void sleep() {
        try {
            Thread.sleep(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
