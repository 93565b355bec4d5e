package dev.northstar.topics;

import dev.northstar.model.topic.Topic;
import dev.northstar.model.topic.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Who may do what on Kafka: one principal per service and the least it needs, in one place. The
 * compose {@code topics} step ({@link TopicsCommand} {@code access}) and the secured local run apply
 * it; the Kubernetes {@code KafkaUser} resources are held equal to it by a test. Each service:
 * <ul>
 *   <li>ingest writes {@code events}, {@code projects} and {@code erasures}, reads {@code projects} (its registry);</li>
 *   <li>adoption, friction and feedback read {@code events} in their own consumer group
 *       ({@code northstar-<service>}) and {@code erasures}, and write their own snapshot topic;</li>
 *   <li>insights reads the three snapshot topics, {@code projects} and {@code feature-history}, writes
 *       {@code feature-insights};</li>
 *   <li>notifier reads {@code feature-insights} in its consumer group ({@code northstar-notifier}) and
 *       {@code projects}; reads and writes {@code feature-history}, {@code webhooks} and
 *       {@code webhook-deliveries}, in transactions (transactional ids {@code northstar-notifier-*});
 *       it alone reads {@code webhooks}, which holds the signing secrets;</li>
 *   <li>every service writes the dead-letter topic, may describe the settings of the topics it uses
 *       (its readiness check), and reads whole topics in consumer groups named {@code northstar-<service>-*}
 *       (a group per instance: the registry, snapshot and erasure readers).</li>
 * </ul>
 * Creating topics, users and ACLs is the admin principal's job (a super user), never a service's.
 */
public final class KafkaAccess {

    /** The SASL mechanism of every Northstar principal. */
    public static final String MECHANISM = "SCRAM-SHA-512";
    /** Iterations of the SCRAM credentials this class creates (Kafka's minimum is 4096). */
    static final int ITERATIONS = 8192;

    /** A service that talks to Kafka, with its own principal. */
    public enum Role {
        INGEST, ADOPTION, FRICTION, FEEDBACK, INSIGHTS, NOTIFIER;

        /** The service's name, as in {@code quarkus.application.name}. */
        public String service() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The SCRAM user name of the service: {@code northstar-<service>}. */
        public String userName() {
            return "northstar-" + service();
        }

        public String principal() {
            return "User:" + userName();
        }

        /** The environment variable the {@code access} step reads this service's password from. */
        public String passwordVariable() {
            return "NORTHSTAR_KAFKA_" + name() + "_PASSWORD";
        }

        public static Role ofService(String service) {
            return valueOf(service.toUpperCase(Locale.ROOT));
        }
    }

    private KafkaAccess() {
    }

    /** Everything {@code role} is allowed, as ACL bindings (all literal or prefixed, all ALLOW, any host). */
    public static List<AclBinding> grants(Role role) {
        List<AclBinding> acls = new ArrayList<>();
        String principal = role.principal();
        switch (role) {
            case INGEST -> {
                topic(acls, principal, Topics.EVENTS, AclOperation.WRITE);
                topic(acls, principal, Topics.PROJECTS, AclOperation.WRITE, AclOperation.READ);
                topic(acls, principal, Topics.ERASURES, AclOperation.WRITE, AclOperation.READ);
                topic(acls, principal, Topics.ERASURE_PROGRESS, AclOperation.READ);
            }
            case ADOPTION -> {
                engine(acls, principal, Topics.FEATURE_ADOPTION);
                transfers(acls, principal);
            }
            case FRICTION -> {
                engine(acls, principal, Topics.FEATURE_FRICTION);
                transfers(acls, principal);
            }
            case FEEDBACK -> engine(acls, principal, Topics.FEATURE_FEEDBACK);
            case INSIGHTS -> {
                topic(acls, principal, Topics.FEATURE_ADOPTION, AclOperation.READ);
                topic(acls, principal, Topics.FEATURE_FRICTION, AclOperation.READ);
                topic(acls, principal, Topics.FEATURE_FEEDBACK, AclOperation.READ);
                topic(acls, principal, Topics.PROJECTS, AclOperation.READ);
                topic(acls, principal, Topics.FEATURE_INSIGHTS, AclOperation.WRITE);
                topic(acls, principal, Topics.FEATURE_HISTORY, AclOperation.READ);
            }
            case NOTIFIER -> {
                topic(acls, principal, Topics.FEATURE_INSIGHTS, AclOperation.READ);
                topic(acls, principal, Topics.PROJECTS, AclOperation.READ);
                topic(acls, principal, Topics.FEATURE_HISTORY, AclOperation.READ, AclOperation.WRITE);
                topic(acls, principal, Topics.WEBHOOKS, AclOperation.READ, AclOperation.WRITE);
                topic(acls, principal, Topics.WEBHOOK_DELIVERIES, AclOperation.READ, AclOperation.WRITE);
                // The alert loop's group (offsets committed in its transactions) and transactional ids.
                acls.add(allow(new ResourcePattern(ResourceType.GROUP, role.userName(), PatternType.LITERAL),
                        principal, AclOperation.READ));
                var transactions = new ResourcePattern(ResourceType.TRANSACTIONAL_ID, role.userName() + "-",
                        PatternType.PREFIXED);
                acls.add(allow(transactions, principal, AclOperation.WRITE));
                acls.add(allow(transactions, principal, AclOperation.DESCRIBE));
            }
        }
        topic(acls, principal, Topics.DEAD_LETTER, AclOperation.WRITE);
        // Readers of a whole topic in every instance (registry, snapshots, erasures) use a group per instance.
        acls.add(allow(new ResourcePattern(ResourceType.GROUP, role.userName() + "-", PatternType.PREFIXED),
                principal, AclOperation.READ));
        return List.copyOf(acls);
    }

    private static void engine(List<AclBinding> acls, String principal, Topic<?> snapshots) {
        topic(acls, principal, Topics.EVENTS, AclOperation.READ);
        topic(acls, principal, Topics.ERASURES, AclOperation.READ);
        topic(acls, principal, Topics.ERASURE_PROGRESS, AclOperation.WRITE);
        topic(acls, principal, snapshots, AclOperation.WRITE);
        // The engine's own consumer group, where it commits the positions its saved state reflects.
        String group = principal.substring("User:".length());
        acls.add(allow(new ResourcePattern(ResourceType.GROUP, group, PatternType.LITERAL), principal,
                AclOperation.READ));
    }

    /**
     * Adoption and friction write transfers to the events topic: the person-level part of a linked
     * anonymous actor's events, for its user's partition (ADR 0017). Feedback counts no people.
     */
    private static void transfers(List<AclBinding> acls, String principal) {
        acls.add(allow(new ResourcePattern(ResourceType.TOPIC, Topics.EVENTS.name(), PatternType.LITERAL), principal,
                AclOperation.WRITE));
    }

    /** {@code operations} on {@code topic}, plus describing it and its settings (readiness, end offsets). */
    private static void topic(List<AclBinding> acls, String principal, Topic<?> topic, AclOperation... operations) {
        var resource = new ResourcePattern(ResourceType.TOPIC, topic.name(), PatternType.LITERAL);
        for (AclOperation operation : operations) {
            acls.add(allow(resource, principal, operation));
        }
        acls.add(allow(resource, principal, AclOperation.DESCRIBE));
        acls.add(allow(resource, principal, AclOperation.DESCRIBE_CONFIGS));
    }

    private static AclBinding allow(ResourcePattern resource, String principal, AclOperation operation) {
        return new AclBinding(resource, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    /** Every role's grants. */
    public static Map<Role, List<AclBinding>> catalogue() {
        Map<Role, List<AclBinding>> all = new EnumMap<>(Role.class);
        for (Role role : Role.values()) {
            all.put(role, grants(role));
        }
        return all;
    }

    /**
     * Creates (or sets the password of) the SCRAM user of each role in {@code passwords} and creates
     * every role's ACLs (creating an ACL that exists changes nothing). Needs a super user's admin client.
     */
    public static void apply(Admin admin, Map<Role, String> passwords, Duration timeout) {
        try {
            if (!passwords.isEmpty()) {
                List<org.apache.kafka.clients.admin.UserScramCredentialAlteration> users = new ArrayList<>();
                passwords.forEach((role, password) -> users.add(new UserScramCredentialUpsertion(role.userName(),
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), password)));
                admin.alterUserScramCredentials(users).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
            List<AclBinding> acls = catalogue().values().stream().flatMap(List::stream).toList();
            admin.createAcls(acls).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating Kafka users and ACLs", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka refused to create users or ACLs: " + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not create users and ACLs within " + timeout.toSeconds() + " s", e);
        }
    }

    /** The client settings of {@code user} on a SASL listener ({@code SASL_PLAINTEXT}, or {@code SASL_SSL} with TLS). */
    public static Map<String, Object> clientSettings(String securityProtocol, String user, String password) {
        return Map.of("security.protocol", securityProtocol, "sasl.mechanism", MECHANISM,
                "sasl.jaas.config", jaas(user, password));
    }

    /** The {@code sasl.jaas.config} line of a SCRAM user. */
    public static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                + "\" password=\"" + password + "\";";
    }
}
