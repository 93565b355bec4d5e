package dev.northstar.notifier.domain;

import dev.northstar.model.notify.AlertType;
import dev.northstar.model.notify.FeatureHistory;
import dev.northstar.model.snapshot.FeatureInsight;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Compares each recommendation insights publishes with the feature's history and says what changed.
 * A call is its action and whether failures are at the improve threshold. A different call becomes a
 * change once it has been published for the settle period (insights republishes every minute): one
 * that flips back before is forgotten. The first call seen for a feature starts its history and alerts
 * nobody (a notifier started on a running system would otherwise announce every feature).
 */
public final class ChangeDetector {

    /** What one recommendation changed: the history to write (null: none) and the alerts to send. */
    public record Outcome(FeatureHistory history, List<Alert> alerts) {
        public static final Outcome NOTHING = new Outcome(null, List.of());

        public Outcome {
            alerts = List.copyOf(alerts);
        }
    }

    private final Duration settle;
    private final Supplier<String> ids;

    /** @param ids the source of alert ids (random in the service, fixed in tests) */
    public ChangeDetector(Duration settle, Supplier<String> ids) {
        this.settle = settle;
        this.ids = ids;
    }

    public Outcome detect(FeatureHistory before, FeatureInsight insight) {
        var action = insight.recommendation().action();
        boolean failing = insight.atFailureThreshold();
        Instant at = insight.asOf();
        if (before == null) {
            return new Outcome(FeatureHistory.first(insight.projectId(), insight.feature(), change(null, insight), failing),
                    List.of());
        }
        if (action == before.action() && failing == before.failing()) {
            return before.pending() == null ? Outcome.NOTHING : new Outcome(before.pending(null), List.of());
        }
        var pending = before.pending();
        boolean same = pending != null && pending.action() == action && pending.failing() == failing;
        if (!same) {
            pending = new FeatureHistory.Pending(action, failing, at);
        }
        if (Duration.between(pending.since(), at).compareTo(settle) < 0) {
            return same ? Outcome.NOTHING : new Outcome(before.pending(pending), List.of());
        }
        // settled: a change
        List<Alert> alerts = new ArrayList<>();
        FeatureHistory after;
        if (action != before.action()) {
            var change = change(before.action(), insight, pending.since());
            after = before.with(change, failing);
            alerts.add(recommendationChanged(before, insight, pending.since()));
        } else {
            after = before.failing(failing);
        }
        if (failing && !before.failing()) {
            alerts.add(failureSpike(insight, pending.since()));
        }
        return new Outcome(after, alerts);
    }

    private static FeatureHistory.Change change(FeatureInsight.Action from, FeatureInsight insight) {
        return change(from, insight, insight.asOf());
    }

    private static FeatureHistory.Change change(FeatureInsight.Action from, FeatureInsight insight, Instant at) {
        return new FeatureHistory.Change(at, from, insight.recommendation().action(), insight.recommendation().reasons(),
                insight.adoption(), insight.failureRate(), insight.ratingAverage());
    }

    private Alert recommendationChanged(FeatureHistory before, FeatureInsight insight, Instant since) {
        String from = before.action().wireName();
        String to = insight.recommendation().action().wireName();
        String text = "Northstar: *" + insight.feature() + "* in " + insight.projectId() + " is now *" + to
                + "* (was " + from + "): " + String.join("; ", insight.recommendation().reasons());
        return alert(AlertType.RECOMMENDATION_CHANGED, insight, text, to, from, since);
    }

    private Alert failureSpike(FeatureInsight insight, Instant since) {
        String text = "Northstar: failures of *" + insight.feature() + "* in " + insight.projectId() + " rose to "
                + percent(insight.failureRate()) + " of attempts over 28 days, at or above the improve threshold"
                + " (recommendation: " + insight.recommendation().action().wireName() + ")";
        String action = insight.recommendation().action().wireName();
        return alert(AlertType.FAILURE_SPIKE, insight, text, action, action, since);
    }

    private Alert alert(AlertType type, FeatureInsight insight, String text, String action, String previous,
                        Instant since) {
        return new Alert(ids.get(), type, insight.projectId(), insight.feature(), text, action, previous,
                insight.adoption(), insight.failureRate(), insight.ratingAverage(), insight.recommendation().reasons(),
                since);
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }
}
