package dev.northstar.insights.domain;

import dev.northstar.model.snapshot.FeatureInsight.Action;
import dev.northstar.model.snapshot.FeatureInsight.Recommendation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The recommendation rules of the product brief, in order: sunset, improve, expand, else watch.
 * Every recommendation carries reasons that quote the numbers that led to it. Ratings: those of the
 * last 28 days when there are at least {@code improveMinRatings} of them, else all of them; the
 * reason says which.
 */
public final class Recommender {

    private final RecommendationThresholds t;

    public Recommender(RecommendationThresholds thresholds) {
        this.t = thresholds;
    }

    public Recommendation recommend(FeatureFacts f, Instant now) {
        if (f.activeUsers28d() == 0) {
            return new Recommendation(Action.WATCH,
                    List.of("too little data: no active users in the last 28 days"));
        }
        double adoption = f.adoption();
        double failureRate = f.failureRate();
        long ageDays = f.firstSeen().map(first -> Duration.between(first, now).toDays()).orElse(0L);
        // The rating of the last 28 days when it has enough ratings to judge by, else the all-time one.
        boolean recent = f.ratings28d().count() >= t.improveMinRatings() && f.ratings28d().count() > 0;
        long ratingCount = recent ? f.ratings28d().count() : f.ratingCount();
        boolean hasRatings = recent || (f.ratingCount() > 0 && f.ratingAverage().isPresent());
        double rating = recent ? f.ratings28d().average() : f.ratingAverage().orElse(0.0);

        String adoptionText = "adoption " + pct(adoption) + " (" + f.featureUsers28d() + " of " + f.activeUsers28d()
                + " active users, 28 days)";
        long attempts = f.used28d() + f.failed28d();
        String failureText = attempts == 0 ? "no attempts recorded in 28 days"
                : "failure rate " + pct(failureRate) + " (" + f.failed28d() + " of " + attempts + " attempts, 28 days)";
        String ratingText = hasRatings
                ? "average rating " + num(rating) + " from " + ratingCount + " rating" + (ratingCount == 1 ? "" : "s")
                + (recent ? " (last 28 days)" : " (all time)")
                : "no ratings yet";
        String ageText = f.firstSeen().isPresent() ? "first seen " + ageDays + " days ago" : "never used";

        // sunset
        if (adoption < t.sunsetBelowAdoption()
                && f.firstSeen().map(first -> !first.plus(t.sunsetMinAge()).isAfter(now)).orElse(false)
                && f.activeUsers28d() >= t.sunsetMinActiveUsers()) {
            return new Recommendation(Action.SUNSET, List.of(
                    adoptionText + " is below the " + pct(t.sunsetBelowAdoption()) + " sunset threshold; " + ageText,
                    f.activeUsers28d() + " active users is enough data (at least " + t.sunsetMinActiveUsers() + ")"));
        }
        // improve
        boolean failing = failureRate >= t.improveFailureRate();
        boolean disliked = hasRatings && ratingCount >= t.improveMinRatings() && rating < t.improveBelowRating();
        if (adoption >= t.improveMinAdoption() && (failing || disliked)) {
            List<String> reasons = new ArrayList<>();
            reasons.add(adoptionText + " is at least the " + pct(t.improveMinAdoption()) + " improve threshold");
            if (failing) {
                reasons.add(failureText + " is at or above the " + pct(t.improveFailureRate()) + " improve threshold");
            }
            if (disliked) {
                reasons.add(ratingText + " is below " + num(t.improveBelowRating()));
            }
            return new Recommendation(Action.IMPROVE, reasons);
        }
        // expand
        boolean reliable = failureRate < t.expandBelowFailureRate();
        boolean liked = !hasRatings || rating >= t.expandMinRating();
        if (adoption >= t.expandMinAdoption() && reliable && liked) {
            return new Recommendation(Action.EXPAND, List.of(
                    adoptionText + " is at least the " + pct(t.expandMinAdoption()) + " expand threshold",
                    attempts == 0 ? failureText + ", so no failures" : failureText + " is below " + pct(t.expandBelowFailureRate()),
                    hasRatings ? ratingText + " is at least " + num(t.expandMinRating()) : ratingText));
        }
        // watch: say why no rule applied
        List<String> reasons = new ArrayList<>();
        if (adoption < t.sunsetBelowAdoption()) {
            reasons.add(adoptionText + " is below the " + pct(t.sunsetBelowAdoption()) + " sunset threshold, but "
                    + (f.activeUsers28d() < t.sunsetMinActiveUsers()
                    ? "too little data: " + f.activeUsers28d() + " active users (sunset needs "
                    + t.sunsetMinActiveUsers() + ")"
                    : ageText + " (sunset needs " + t.sunsetMinAge().toDays() + " days)"));
        } else if (adoption < t.expandMinAdoption()) {
            reasons.add(adoptionText + " is between the " + pct(t.sunsetBelowAdoption()) + " sunset and "
                    + pct(t.expandMinAdoption()) + " expand thresholds");
        } else {
            reasons.add(adoptionText + " is high, but " + (!reliable
                    ? failureText + " is not below " + pct(t.expandBelowFailureRate())
                    : ratingText + " is below " + num(t.expandMinRating())));
        }
        if (adoption >= t.sunsetBelowAdoption() && adoption < t.expandMinAdoption()) {
            reasons.add(failureText + "; " + ratingText);
        }
        return new Recommendation(Action.WATCH, reasons);
    }

    static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    static String num(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
