package dev.northstar.insights.application;

import dev.northstar.platform.messaging.TopicCatchUp;
import dev.northstar.model.topic.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import dev.northstar.platform.config.KafkaClients;

import java.util.List;

/**
 * Whether this instance has read the snapshot topics (and the recommendation history) up to where
 * they ended when it started.
 * Until then its view is incomplete: it is not ready, and the query API answers 503 (retry)
 * rather than numbers that are only partly loaded.
 */
@ApplicationScoped
public class SignalsCatchUp {

    private final List<TopicCatchUp> topics;

    @jakarta.inject.Inject
    public SignalsCatchUp(KafkaClients clients) {
        this(clients, List.of(Topics.FEATURE_ADOPTION.name(), Topics.FEATURE_FRICTION.name(),
                Topics.FEATURE_FEEDBACK.name(), Topics.FEATURE_HISTORY.name()));
    }

    /** Over other topics (tests). */
    SignalsCatchUp(KafkaClients clients, List<String> topics) {
        var config = clients.admin(java.util.Map.of());
        this.topics = topics.stream().map(topic -> new TopicCatchUp(topic, config)).toList();
    }

    /** Called by the snapshot listeners for every record they applied. */
    public void consumed(ConsumerRecord<?, ?> record) {
        for (TopicCatchUp topic : topics) {
            if (topic.topic().equals(record.topic())) {
                topic.consumed(record);
            }
        }
    }

    /** The topics not read up to where they ended at the start yet (empty once caught up). */
    public List<String> loading() {
        return topics.stream().filter(topic -> !topic.isCaughtUp()).map(TopicCatchUp::topic).toList();
    }

    public boolean isCaughtUp() {
        boolean all = true;
        for (TopicCatchUp topic : topics) {
            all &= topic.isCaughtUp();
        }
        return all;
    }
}
