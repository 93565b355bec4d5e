package dev.northstar.model.notify;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.northstar.model.snapshot.FeatureInsight.Action;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The changes of one feature's recommendation, newest first, on
 * {@link dev.northstar.model.topic.Topics#FEATURE_HISTORY} (key {@code projectId/feature}). Written by
 * the notifier, which compares each recommendation insights publishes with this record; served by
 * insights ({@code GET /v1/projects/{p}/features/{f}/history}).
 *
 * @param action  the action recommended now (the newest change's)
 * @param failing whether the failure rate is at or above the improve threshold now (for failure spikes)
 * @param changes at most {@link #MAX_CHANGES}, newest first; the oldest is the first recommendation the
 *                notifier saw ({@code from} null)
 * @param pending a different call seen since {@code since}, not yet settled (null when there is none)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FeatureHistory(String projectId, String feature, Action action, boolean failing,
                             List<Change> changes, @JsonInclude(JsonInclude.Include.NON_NULL) Pending pending) {

    /** Changes kept per feature; older ones are dropped. */
    public static final int MAX_CHANGES = 50;

    public FeatureHistory {
        changes = List.copyOf(changes);
    }

    /**
     * One change of the recommended action, with the numbers and reasons of the new call.
     *
     * @param at   when the notifier saw it (the recommendation's {@code asOf})
     * @param from the action before, null for the first recommendation seen
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Change(Instant at, Action from, Action to, List<String> reasons, double adoption,
                         double failureRate, Double ratingAverage) {
        public Change {
            reasons = List.copyOf(reasons);
        }
    }

    /** A call (action and failing) seen first at {@code since} that differs from the settled one. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Pending(Action action, boolean failing, Instant since) {
    }

    /** The first recommendation seen for a feature. */
    public static FeatureHistory first(String projectId, String feature, Change change, boolean failing) {
        return new FeatureHistory(projectId, feature, change.to(), failing, List.of(change), null);
    }

    /** This history with {@code change} as its newest, keeping at most {@link #MAX_CHANGES}; nothing pending. */
    public FeatureHistory with(Change change, boolean failingNow) {
        List<Change> all = new ArrayList<>(MAX_CHANGES);
        all.add(change);
        for (Change older : changes) {
            if (all.size() == MAX_CHANGES) {
                break;
            }
            all.add(older);
        }
        return new FeatureHistory(projectId, feature, change.to(), failingNow, all, null);
    }

    /** The same history with a new failing state (no change of action); nothing pending. */
    public FeatureHistory failing(boolean failingNow) {
        return new FeatureHistory(projectId, feature, action, failingNow, changes, null);
    }

    /** The same history with {@code next} pending (null: nothing). */
    public FeatureHistory pending(Pending next) {
        return new FeatureHistory(projectId, feature, action, failing, changes, next);
    }
}
