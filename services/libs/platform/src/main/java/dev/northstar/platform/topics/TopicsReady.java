package dev.northstar.platform.topics;

import dev.northstar.model.topic.Topic;
import dev.northstar.model.topic.Topics;
import dev.northstar.platform.config.KafkaClients;
import dev.northstar.topics.TopicAdmin;
import dev.northstar.topics.TopicNeed;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ready only once every topic this service uses exists and is kept as it needs: each topic of its
 * channels ({@code mp.messaging.*.*.topic}, and the dead-letter topic) exists, a catalogue topic has
 * the catalogue's {@code cleanup.policy} (a projects topic that is not compacted loses keys after
 * its retention), and each {@link TopicNeeds} bean's needs are met (say, an events topic that keeps
 * records as long as the state store rebuilds from). Until then the check is DOWN with one line
 * per problem, naming the topic and the setting, and logs it; it checks again on each probe and
 * latches once everything is as needed. {@code northstar.topics.check.enabled=false} turns it off
 * (for a cluster where the service may not describe topic settings).
 */
@Readiness
@ApplicationScoped
public class TopicsReady implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(TopicsReady.class);
    private static final Pattern CHANNEL_TOPIC = Pattern.compile(
            "mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.(topic|dead-letter-queue\\.topic)");

    private final List<TopicNeed> needs;
    private final KafkaClients clients;
    private final boolean enabled;
    private volatile TopicAdmin admin;
    private volatile boolean ok;
    private volatile List<String> lastProblems = List.of();

    TopicsReady(Config config, KafkaClients clients, Instance<TopicNeeds> extra,
                @ConfigProperty(name = "quarkus.application.name") String service,
                @ConfigProperty(name = "northstar.topics.check.enabled", defaultValue = "true") boolean enabled) {
        this.clients = clients;
        this.enabled = enabled;
        List<TopicNeed> all = new ArrayList<>(needs(config, service).values());
        extra.forEach(bean -> all.addAll(bean.needs()));
        this.needs = List.copyOf(all);
    }

    /** One need per topic named by a channel: it exists, with the catalogue's cleanup policy where it is one of ours. */
    static Map<String, TopicNeed> needs(Config config, String service) {
        Map<String, TopicNeed> needs = new LinkedHashMap<>();
        for (String property : config.getPropertyNames()) {
            Matcher m = CHANNEL_TOPIC.matcher(property);
            if (!m.matches() || !enabledChannel(config, m.group(1), m.group(2))) {
                continue;
            }
            String topic = config.getOptionalValue(property, String.class).orElse(null);
            if (topic == null || needs.containsKey(topic)) {
                continue;
            }
            String why = service + (m.group(1).equals("incoming") ? " reads it" : " writes it") + " (channel "
                    + m.group(2) + ")";
            needs.put(topic, Topics.byName(topic)
                    .map(t -> TopicNeed.cleanup(topic, t.cleanupPolicy(), why + purpose(t)))
                    .orElse(TopicNeed.exists(topic, why)));
        }
        return needs;
    }

    private static boolean enabledChannel(Config config, String direction, String channel) {
        return config.getOptionalValue("mp.messaging." + direction + "." + channel + ".enabled", Boolean.class)
                .orElse(true);
    }

    private static String purpose(Topic<?> topic) {
        return topic.compacted() ? ", and it must keep the latest record of every key however old" : "";
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("topics as needed");
        if (!enabled) {
            return response.up().withData("checked", false).build();
        }
        if (!ok) {
            check();
        }
        response.status(ok).withData("topics", needs.size());
        for (int i = 0; i < lastProblems.size(); i++) {
            response.withData("problem " + (i + 1), lastProblems.get(i));
        }
        return response.build();
    }

    private synchronized void check() {
        if (ok) {
            return;
        }
        List<String> problems;
        try {
            if (admin == null) {
                admin = TopicAdmin.connect(clients.admin(Map.of()), Duration.ofSeconds(3));
            }
            problems = admin.check(needs);
        } catch (RuntimeException e) {
            problems = List.of("the topics' settings cannot be read: " + e.getMessage());
        }
        if (problems.isEmpty()) {
            ok = true;
            LOG.infof("Topics as needed: %s", needs.stream().map(TopicNeed::topic).distinct().toList());
            close();
        } else if (!problems.equals(lastProblems)) {
            problems.forEach(problem -> LOG.errorf("Not ready: %s", problem));
        }
        lastProblems = problems;
    }

    void onStop(@Observes ShutdownEvent event) {
        close();
    }

    private synchronized void close() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }
}
