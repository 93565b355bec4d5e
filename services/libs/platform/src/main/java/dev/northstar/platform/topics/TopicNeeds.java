package dev.northstar.platform.topics;

import dev.northstar.topics.TopicNeed;

import java.util.List;

/**
 * What a library or service needs of its topics beyond what its channels say (which {@link TopicsReady}
 * derives itself): say, that the topic a state is rebuilt from keeps its records long enough.
 * Implement it as a CDI bean; {@link TopicsReady} checks every one at start.
 */
public interface TopicNeeds {

    List<TopicNeed> needs();
}
