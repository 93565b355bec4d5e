package dev.northstar.platform.config;

import dev.northstar.model.topic.Topic;
import dev.northstar.model.topic.Topics;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Publishes the topic catalogue as configuration: {@code northstar.topics.events} is
 * {@link dev.northstar.model.topic.Topics#EVENTS}, and so on. Services write
 * {@code mp.messaging.incoming.events.topic=${northstar.topics.events}}, so a topic name is
 * written once, in {@link Topics}. The ordinal is low: an operator can still override a name.
 */
public class TopicNamesConfigSource implements ConfigSource {

    public static final String PREFIX = "northstar.topics.";

    private static final Map<String, String> NAMES = Topics.ALL.stream()
            .collect(Collectors.toUnmodifiableMap(t -> PREFIX + t.configKey(), Topic::name));

    @Override
    public Set<String> getPropertyNames() {
        return NAMES.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return NAMES.get(propertyName);
    }

    @Override
    public String getName() {
        return "northstar-topic-catalogue";
    }

    @Override
    public int getOrdinal() {
        return 50;
    }
}
