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
 * java -cp '/app/lib/main/*:/app/lib/boot/*' dev.northstar.topics.TopicsCommand [create] [access] [migrate-events] | plan
 * </pre>
 * Reads {@code KAFKA_BOOTSTRAP_SERVERS}, on a secured cluster an admin principal's settings
 * ({@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG},
 * {@code KAFKA_SSL_TRUSTSTORE_*}, as the services read theirs) and the {@link TopicSettings} variables.
 * {@code access} creates the SCRAM user of each service whose {@code NORTHSTAR_KAFKA_<SERVICE>_PASSWORD}
 * is set and every service's ACLs ({@link KafkaAccess}). {@code migrate-events} copies the events topic
 * keyed by project ({@code northstar.events.v1}) to the one keyed by project and actor ({@link EventsMigration}).
 * {@code verify} compares the cluster with the catalogue and changes nothing. {@code plan} prints what would be declared
 * (topics and ACLs) and touches nothing. Exit status 0 when every topic is as declared, 1 when a
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

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        List<String> actions = args.length == 0 ? List.of("create") : List.of(args);
        if (!List.of("create", "plan", "access", "migrate-events", "verify").containsAll(actions)) {
            err.println("usage: TopicsCommand [create] [access] [migrate-events] | plan | verify  (environment: KAFKA_BOOTSTRAP_SERVERS, "
                    + "the KAFKA_SECURITY_PROTOCOL/KAFKA_SASL_*/KAFKA_SSL_* settings of an admin principal, "
                    + String.join(", ", TopicSettings.PARTITIONS, TopicSettings.REPLICATION_FACTOR,
                    TopicSettings.MIN_INSYNC_REPLICAS, TopicSettings.EVENTS_RETENTION)
                    + ", and for access NORTHSTAR_KAFKA_<SERVICE>_PASSWORD)");
            return 2;
        }
        TopicSettings settings;
        try {
            settings = TopicSettings.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            err.println("topics: " + e.getMessage());
            return 2;
        }
        List<TopicSpec> specs = TopicSpec.catalogue(settings);
        if (actions.contains("plan")) {
            specs.forEach(spec -> out.println(describe(spec)));
            KafkaAccess.catalogue().forEach((role, acls) -> acls.forEach(acl -> out.println("acl " + describe(acl))));
            return 0;
        }
        String bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS");
        if (bootstrap == null || bootstrap.isBlank()) {
            err.println("topics: set KAFKA_BOOTSTRAP_SERVERS to the cluster's address (host:port[,host:port])");
            return 2;
        }
        Map<String, Object> client = clientSettings(env);
        if (actions.contains("verify")) {
            return verify(client, specs, out, err);
        }
        int status = 0;
        if (actions.contains("create")) {
            status = create(client, specs, out, err);
        }
        if (status == 0 && actions.contains("access")) {
            status = access(client, env, out, err);
        }
        if (status == 0 && actions.contains("migrate-events")) {
            status = migrateEvents(client, out, err);
        }
        return status;
    }

    /** The environment variables of a client's connection and security settings, as in the services. */
    public static final List<String> CLIENT_SETTINGS = List.of("bootstrap.servers", "security.protocol", "sasl.mechanism",
            "sasl.jaas.config", "ssl.truststore.location", "ssl.truststore.password", "ssl.truststore.type",
            "ssl.endpoint.identification.algorithm");

    public static Map<String, Object> clientSettings(Map<String, String> env) {
        Map<String, Object> client = new java.util.LinkedHashMap<>();
        for (String setting : CLIENT_SETTINGS) {
            String value = env.get("KAFKA_" + setting.toUpperCase(java.util.Locale.ROOT).replace('.', '_'));
            if (value != null && !value.isBlank()) {
                client.put(setting, value);
            }
        }
        return client;
    }

    /** Creates the users whose passwords the environment gives, and every service's ACLs. */
    private static int access(Map<String, Object> client, Map<String, String> env, PrintStream out, PrintStream err) {
        Map<KafkaAccess.Role, String> passwords = new java.util.EnumMap<>(KafkaAccess.Role.class);
        for (KafkaAccess.Role role : KafkaAccess.Role.values()) {
            String password = env.get(role.passwordVariable());
            if (password != null && !password.isBlank()) {
                passwords.put(role, password);
            }
        }
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(client)) {
            KafkaAccess.apply(admin, passwords, Duration.ofSeconds(60));
        } catch (IllegalStateException e) {
            err.println("topics: " + e.getMessage());
            return 1;
        }
        passwords.keySet().forEach(role -> out.println("user " + role.userName() + " (SCRAM-SHA-512) set"));
        out.println("access: " + KafkaAccess.catalogue().values().stream().mapToInt(List::size).sum()
                + " ACLs for " + KafkaAccess.Role.values().length + " services are in place");
        return 0;
    }

    private static int migrateEvents(Map<String, Object> client, PrintStream out, PrintStream err) {
        try (var admin = org.apache.kafka.clients.admin.Admin.create(client)) {
            var names = admin.listTopics().names().get(60, java.util.concurrent.TimeUnit.SECONDS);
            if (!names.contains(dev.northstar.model.topic.Topics.EVENTS_V1.name())) {
                out.println("migrate-events: there is no " + dev.northstar.model.topic.Topics.EVENTS_V1.name()
                        + ": nothing to migrate");
                return 0;
            }
            if (!names.contains(dev.northstar.model.topic.Topics.EVENTS.name())) {
                err.println("topics: " + dev.northstar.model.topic.Topics.EVENTS.name()
                        + " does not exist: run 'create' first (TopicsCommand create migrate-events)");
                return 1;
            }
        } catch (Exception e) {
            err.println("topics: the cluster did not list its topics: " + e);
            return 1;
        }
        try {
            EventsMigration.run(client, dev.northstar.model.topic.Topics.EVENTS_V1.name(),
                    dev.northstar.model.topic.Topics.EVENTS.name(), out);
            return 0;
        } catch (RuntimeException e) {
            err.println("topics: " + e.getMessage());
            return 1;
        }
    }

    static String describe(org.apache.kafka.common.acl.AclBinding acl) {
        return acl.entry().principal() + " " + acl.entry().operation() + " " + acl.pattern().resourceType() + " "
                + acl.pattern().name() + (acl.pattern().patternType() == org.apache.kafka.common.resource.PatternType.PREFIXED
                ? "*" : "");
    }

    private static int create(Map<String, Object> client, List<TopicSpec> specs, PrintStream out, PrintStream err) {
        Object bootstrap = client.get("bootstrap.servers");
        Instant deadline = Instant.now().plus(CLUSTER_WAIT);
        while (true) {
            try (TopicAdmin admin = TopicAdmin.connect(client, Duration.ofSeconds(15))) {
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

    /** Compares the cluster with the catalogue and changes nothing: 0 when all is as declared, 1 otherwise. */
    private static int verify(Map<String, Object> client, List<TopicSpec> specs, PrintStream out, PrintStream err) {
        try (TopicAdmin admin = TopicAdmin.connect(client, Duration.ofSeconds(15))) {
            List<String> problems = admin.verify(specs);
            problems.forEach(problem -> err.println("PROBLEM " + problem));
            out.println(problems.isEmpty() ? "topics: all " + specs.size() + " topics are as declared"
                    : "topics: " + problems.size() + " difference(s) from the catalogue; 'create' fixes settings, "
                    + "partitions and replicas need an operator");
            return problems.isEmpty() ? 0 : 1;
        } catch (IllegalStateException e) {
            err.println("topics: the cluster at " + client.get("bootstrap.servers") + " did not answer: " + e.getMessage());
            return 1;
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
