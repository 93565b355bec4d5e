package dev.northstar.insights.application;

import dev.northstar.model.notify.FeatureHistory;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Each feature's recommendation history as the notifier wrote it (key {@code projectId/feature}). */
@ApplicationScoped
public class FeatureHistories {

    private final Map<String, FeatureHistory> byKey = new ConcurrentHashMap<>();

    public void put(String key, FeatureHistory history) {
        byKey.put(key, history);
    }

    public void remove(String key) {
        byKey.remove(key);
    }

    public Optional<FeatureHistory> of(String key) {
        return Optional.ofNullable(byKey.get(key));
    }
}
