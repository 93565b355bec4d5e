package dev.northstar.insights.domain;

import dev.northstar.model.snapshot.FeatureInsight.Action;
import dev.northstar.model.snapshot.FeatureInsight.Recommendation;
import dev.northstar.model.snapshot.FeatureInsight.Threshold;
import dev.northstar.model.snapshot.FeatureTrend;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.LongPredicate;

/**
 * The recommendation rules of the product brief, in order: sunset, improve, expand, else watch.
 * Every recommendation carries reasons that quote the numbers that led to it, and the nearest
 * thresholds with the distance to each ({@link #wouldChange}). Ratings: those of the last 28 days
 * when there are at least {@code improveMinRatings} of them, else all of them; the reason says which.
 * Trends hold two calls: no sunset while the users of the last 7 days rose at least
 * {@code sunsetHoldOnRise} over the 7 before, no expand while they fell at least
 * {@code expandHoldOnFall}: watch instead, saying so.
 */
public final class Recommender {

    private final RecommendationThresholds t;

    public Recommender(RecommendationThresholds thresholds) {
        this.t = thresholds;
    }

    /** The numbers of one recommendation and the texts quoting them. */
    private final class Judged {
        final FeatureFacts f;
        final Instant now;
        final double adoption;
        final double failureRate;
        final long attempts;
        final boolean recent;
        final long ratingCount;
        final boolean hasRatings;
        final double rating;
        final String adoptionText;
        final String failureText;
        final String ratingText;
        final String ageText;
        final Double change;

        Judged(FeatureFacts f, Instant now) {
            this.f = f;
            this.now = now;
            adoption = f.adoption();
            failureRate = f.failureRate();
            attempts = f.used28d() + f.failed28d();
            // The rating of the last 28 days when it has enough ratings to judge by, else the all-time one.
            recent = f.ratings28d().count() >= t.improveMinRatings() && f.ratings28d().count() > 0;
            ratingCount = recent ? f.ratings28d().count() : f.ratingCount();
            hasRatings = recent || (f.ratingCount() > 0 && f.ratingAverage().isPresent());
            rating = recent ? f.ratings28d().average() : f.ratingAverage().orElse(0.0);
            adoptionText = "adoption " + pct(adoption) + " (" + f.featureUsers28d() + " of " + f.activeUsers28d()
                    + " active users, 28 days)";
            failureText = attempts == 0 ? "no attempts recorded in 28 days"
                    : "failure rate " + pct(failureRate) + " (" + f.failed28d() + " of " + attempts + " attempts, 28 days)";
            ratingText = hasRatings
                    ? "average rating " + num(rating) + " from " + ratingCount + " rating" + (ratingCount == 1 ? "" : "s")
                    + (recent ? " (last 28 days)" : " (all time)")
                    : "no ratings yet";
            ageText = f.releasedAt().isPresent()
                    ? (f.firstSeen().isEmpty() ? "no use recorded since release " : "released ")
                    + Duration.between(f.releasedAt().get(), now).toDays() + " days ago"
                    : f.firstSeen().isPresent()
                    ? "first seen " + Duration.between(f.firstSeen().get(), now).toDays() + " days ago" : "never used";
            change = f.trend().map(FeatureTrend::change).orElse(null);
        }

        boolean oldEnough() {
            return f.since().map(first -> !first.plus(t.sunsetMinAge()).isAfter(now)).orElse(false);
        }

        boolean rising() {
            return change != null && change >= t.sunsetHoldOnRise();
        }

        boolean falling() {
            return change != null && change <= -t.expandHoldOnFall();
        }

        /** "weekly users rose 60.0% (32 in the last 7 days, 20 in the 7 before)". */
        String trendText() {
            FeatureTrend trend = f.trend().orElseThrow();
            return "users " + (change >= 0 ? "rose " : "fell ") + pct(Math.abs(change)) + " (" + trend.last7Days()
                    + " in the last 7 days, " + trend.previous7Days() + " in the 7 before)";
        }

        /** "stickiness 35.0% (mean daily users ÷ 28-day users), 40 returning users (2 or more days)". */
        String stickinessText() {
            return "stickiness " + pct(f.stickiness()) + " (mean daily users ÷ 28-day users), " + f.returningUsers()
                    + " returning user" + (f.returningUsers() == 1 ? "" : "s") + " (2 or more days in 28)";
        }
    }

    public Recommendation recommend(FeatureFacts f, Instant now) {
        Judged j = new Judged(f, now);
        Recommendation judged = judge(j);
        List<String> reasons = new ArrayList<>(judged.reasons());
        if (f.activeUsers28d() > 0 && (j.rising() || j.falling())
                && reasons.stream().noneMatch(r -> r.contains(j.trendText()))) {
            reasons.add("strong trend: " + j.trendText());
        }
        return new Recommendation(judged.action(), reasons, f.activeUsers28d() == 0 ? List.of() : wouldChange(j, judged.action()));
    }

    private Recommendation judge(Judged j) {
        FeatureFacts f = j.f;
        if (f.activeUsers28d() == 0) {
            return new Recommendation(Action.WATCH,
                    List.of("too little data: no active users in the last 28 days"));
        }
        // sunset
        if (j.adoption < t.sunsetBelowAdoption() && j.oldEnough() && f.activeUsers28d() >= t.sunsetMinActiveUsers()) {
            if (j.rising()) {
                return new Recommendation(Action.WATCH, List.of(
                        j.adoptionText + " is below the " + pct(t.sunsetBelowAdoption()) + " sunset threshold, but "
                                + j.trendText() + ": no sunset while users rise " + pct(t.sunsetHoldOnRise())
                                + " or more"));
            }
            return new Recommendation(Action.SUNSET, List.of(
                    j.adoptionText + " is below the " + pct(t.sunsetBelowAdoption()) + " sunset threshold; " + j.ageText,
                    f.activeUsers28d() + " active users is enough data (at least " + t.sunsetMinActiveUsers() + ")",
                    j.stickinessText()));
        }
        // improve
        boolean failing = j.failureRate >= t.improveFailureRate();
        boolean disliked = disliked(j);
        if (j.adoption >= t.improveMinAdoption() && (failing || disliked)) {
            List<String> reasons = new ArrayList<>();
            reasons.add(j.adoptionText + " is at least the " + pct(t.improveMinAdoption()) + " improve threshold");
            if (failing) {
                reasons.add(j.failureText + " is at or above the " + pct(t.improveFailureRate()) + " improve threshold");
            }
            if (disliked) {
                reasons.add(j.ratingText + " is below " + num(t.improveBelowRating()));
            }
            return new Recommendation(Action.IMPROVE, reasons);
        }
        // expand
        boolean reliable = j.failureRate < t.expandBelowFailureRate();
        boolean liked = !j.hasRatings || j.rating >= t.expandMinRating();
        if (j.adoption >= t.expandMinAdoption() && reliable && liked) {
            if (j.falling()) {
                return new Recommendation(Action.WATCH, List.of(
                        j.adoptionText + " is at least the " + pct(t.expandMinAdoption()) + " expand threshold, but "
                                + j.trendText() + ": no expand while users fall " + pct(t.expandHoldOnFall())
                                + " or more"));
            }
            return new Recommendation(Action.EXPAND, List.of(
                    j.adoptionText + " is at least the " + pct(t.expandMinAdoption()) + " expand threshold",
                    j.attempts == 0 ? j.failureText + ", so no failures"
                            : j.failureText + " is below " + pct(t.expandBelowFailureRate()),
                    j.hasRatings ? j.ratingText + " is at least " + num(t.expandMinRating()) : j.ratingText,
                    j.stickinessText()));
        }
        // watch: say why no rule applied
        List<String> reasons = new ArrayList<>();
        if (j.adoption < t.sunsetBelowAdoption()) {
            reasons.add(j.adoptionText + " is below the " + pct(t.sunsetBelowAdoption()) + " sunset threshold, but "
                    + (f.activeUsers28d() < t.sunsetMinActiveUsers()
                    ? "too little data: " + f.activeUsers28d() + " active users (sunset needs "
                    + t.sunsetMinActiveUsers() + ")"
                    : j.ageText + " (sunset needs " + t.sunsetMinAge().toDays() + " days)"));
        } else if (j.adoption < t.expandMinAdoption()) {
            reasons.add(j.adoptionText + " is between the " + pct(t.sunsetBelowAdoption()) + " sunset and "
                    + pct(t.expandMinAdoption()) + " expand thresholds");
        } else {
            reasons.add(j.adoptionText + " is high, but " + (!reliable
                    ? j.failureText + " is not below " + pct(t.expandBelowFailureRate())
                    : j.ratingText + " is below " + num(t.expandMinRating())));
        }
        if (j.adoption >= t.sunsetBelowAdoption() && j.adoption < t.expandMinAdoption()) {
            reasons.add(j.failureText + "; " + j.ratingText);
        }
        return new Recommendation(Action.WATCH, reasons);
    }

    private boolean disliked(Judged j) {
        return j.hasRatings && j.ratingCount >= t.improveMinRatings() && j.rating < t.improveBelowRating();
    }

    /** Whether the facts' 28-day failure rate is at or above the improve threshold (what failure spikes watch). */
    public boolean failing(FeatureFacts facts) {
        return facts.failureRate() >= t.improveFailureRate() && facts.failureRate() > 0;
    }

    /**
     * The thresholds nearest to the numbers, each with its distance computed by the rule's own
     * comparison: the fewest users, failures or rating points that would cross it, all else equal.
     * For the current call, what would clear it; for the others, what each still needs.
     */
    private List<Threshold> wouldChange(Judged j, Action action) {
        FeatureFacts f = j.f;
        long active = f.activeUsers28d();
        long users = f.featureUsers28d();
        List<Threshold> out = new ArrayList<>();
        LongPredicate expandAdoption = n -> (double) n / active >= t.expandMinAdoption();
        LongPredicate sunsetAdoption = n -> (double) n / active < t.sunsetBelowAdoption();
        LongPredicate improveAdoption = n -> (double) n / active >= t.improveMinAdoption();

        // adoption: the fewest more (or fewer) feature users among the same active users
        if (!expandAdoption.test(users)) {
            long need = least(users, active, expandAdoption) - users;
            out.add(threshold("expand", "expand needs adoption ≥ " + pct(t.expandMinAdoption()) + ": " + need
                    + " more of " + active + " active users", (double) need / active));
        } else if (action == Action.EXPAND) {
            long drop = users - (least(0, active, expandAdoption) - 1);
            out.add(threshold("expand", "expand clears below " + pct(t.expandMinAdoption()) + " adoption: " + drop
                    + " fewer of " + active + " active users", (double) drop / active));
        }
        if (!sunsetAdoption.test(users)) {
            long drop = users - (least(0, users, sunsetAdoption.negate()) - 1);
            out.add(threshold("sunset", "sunset needs adoption below " + pct(t.sunsetBelowAdoption()) + ": " + drop
                    + " fewer of " + active + " active users", (double) drop / active));
        } else {
            if (action == Action.SUNSET) {
                long need = least(users, active, sunsetAdoption.negate()) - users;
                out.add(threshold("sunset", "sunset clears at adoption ≥ " + pct(t.sunsetBelowAdoption()) + ": " + need
                        + " more of " + active + " active users", (double) need / active));
            }
            if (active < t.sunsetMinActiveUsers()) {
                long more = t.sunsetMinActiveUsers() - active;
                out.add(threshold("sunset", "sunset needs at least " + t.sunsetMinActiveUsers() + " active users: "
                        + more + " more", (double) more / t.sunsetMinActiveUsers()));
            } else if (!j.oldEnough() && f.since().isPresent()) {
                long days = Duration.between(j.now, f.since().get().plus(t.sunsetMinAge())).toDays() + 1;
                out.add(threshold("sunset", "sunset needs the feature " + (f.releasedAt().isPresent() ? "released "
                        : "first seen ") + t.sunsetMinAge().toDays()
                        + " days ago: " + days + " more day" + (days == 1 ? "" : "s"),
                        (double) days / Math.max(1, t.sunsetMinAge().toDays())));
            }
        }
        if (!improveAdoption.test(users) && action != Action.SUNSET) {
            long need = least(users, active, improveAdoption) - users;
            out.add(threshold("improve", "improve needs adoption ≥ " + pct(t.improveMinAdoption()) + ": " + need
                    + " more of " + active + " active users", (double) need / active));
        }

        // failures: the fewest more (or fewer) failures among the same attempts
        long attempts = j.attempts;
        long failed = f.failed28d();
        if (attempts > 0) {
            LongPredicate improveFailures = n -> (double) n / attempts >= t.improveFailureRate();
            LongPredicate expandFailures = n -> (double) n / attempts < t.expandBelowFailureRate();
            if (improveFailures.test(failed)) {
                long fewer = failed - (least(0, attempts, improveFailures) - 1);
                out.add(threshold("improve", (action == Action.IMPROVE ? "improve clears below "
                        : "improve's failure threshold clears below ") + pct(t.improveFailureRate()) + " failures: "
                        + fewer + " fewer failures in " + attempts + " attempts", (double) fewer / attempts));
            } else if (action != Action.IMPROVE && least(failed, attempts, improveFailures) <= attempts) {
                long more = least(failed, attempts, improveFailures) - failed;
                out.add(threshold("improve", "improve needs failures ≥ " + pct(t.improveFailureRate()) + ": " + more
                        + " more failures in " + attempts + " attempts", (double) more / attempts));
            }
            if (!expandFailures.test(failed)) {
                long fewer = failed - (least(0, attempts, expandFailures.negate()) - 1);
                out.add(threshold("expand", "expand needs failures below " + pct(t.expandBelowFailureRate()) + ": "
                        + fewer + " fewer failures in " + attempts + " attempts", (double) fewer / attempts));
            } else if (action == Action.EXPAND) {
                long more = least(failed, attempts, expandFailures.negate()) - failed;
                out.add(threshold("expand", "expand clears at failures ≥ " + pct(t.expandBelowFailureRate()) + ": "
                        + more + " more failures in " + attempts + " attempts", (double) more / attempts));
            }
        }

        // ratings: the rating points between the average and the threshold
        if (j.hasRatings) {
            if (j.rating < t.expandMinRating()) {
                out.add(threshold("expand", "expand needs an average rating ≥ " + num(t.expandMinRating()) + ": "
                        + num(t.expandMinRating() - j.rating) + " higher than " + num(j.rating),
                        (t.expandMinRating() - j.rating) / 5));
            }
            if (disliked(j)) {
                out.add(threshold("improve", (action == Action.IMPROVE ? "improve clears at an average rating ≥ "
                        : "improve's rating threshold clears at ≥ ") + num(t.improveBelowRating()) + ": "
                        + num(t.improveBelowRating() - j.rating) + " higher than " + num(j.rating),
                        (t.improveBelowRating() - j.rating) / 5));
            } else if (j.ratingCount >= t.improveMinRatings() && j.rating >= t.improveBelowRating()) {
                out.add(threshold("improve", "improve needs an average rating below " + num(t.improveBelowRating())
                        + ": more than " + num(j.rating - t.improveBelowRating()) + " lower than " + num(j.rating),
                        (j.rating - t.improveBelowRating()) / 5));
            }
        }

        // trend holds: the users of the last 7 days that would start or end a hold, against the 7 before
        boolean expandOtherwise = j.adoption >= t.expandMinAdoption() && j.failureRate < t.expandBelowFailureRate()
                && (!j.hasRatings || j.rating >= t.expandMinRating()) && j.failureRate < t.improveFailureRate()
                && !disliked(j);
        boolean sunsetOtherwise = j.adoption < t.sunsetBelowAdoption() && j.oldEnough()
                && active >= t.sunsetMinActiveUsers();
        f.trend().filter(trend -> trend.previous7Days() > 0).ifPresent(trend -> {
            long before = trend.previous7Days();
            long last = trend.last7Days();
            LongPredicate holdsExpand = n -> (double) (n - before) / before <= -t.expandHoldOnFall();
            LongPredicate holdsSunset = n -> (double) (n - before) / before >= t.sunsetHoldOnRise();
            if (expandOtherwise && holdsExpand.test(last)) {
                long more = least(last, before, holdsExpand.negate()) - last;
                out.add(threshold("expand", "expand's hold on a fall of " + pct(t.expandHoldOnFall()) + " clears at "
                        + (last + more) + " users in 7 days: " + more + " more than " + last, (double) more / before));
            } else if (action == Action.EXPAND && least(0, before, holdsExpand.negate()) > 0) {
                long fewer = last - (least(0, before, holdsExpand.negate()) - 1);
                out.add(threshold("expand", "expand is held on a fall of " + pct(t.expandHoldOnFall()) + ": "
                        + (last - fewer) + " users in 7 days, " + fewer + " fewer than " + last, (double) fewer / before));
            }
            if (sunsetOtherwise && holdsSunset.test(last)) {
                long fewer = last - (least(0, last, holdsSunset) - 1);
                out.add(threshold("sunset", "sunset's hold on a rise of " + pct(t.sunsetHoldOnRise()) + " clears at "
                        + (last - fewer) + " users in 7 days: " + fewer + " fewer than " + last, (double) fewer / before));
            } else if (action == Action.SUNSET) {
                long held = least(last, last + before * 2 + 2, holdsSunset);
                out.add(threshold("sunset", "sunset is held on a rise of " + pct(t.sunsetHoldOnRise()) + ": " + held
                        + " users in 7 days, " + (held - last) + " more than " + last, (double) (held - last) / before));
            }
        });
        out.sort(Comparator.comparingDouble(Threshold::distance).thenComparing(Threshold::text));
        return out.size() > MAX_THRESHOLDS ? List.copyOf(out.subList(0, MAX_THRESHOLDS)) : out;
    }

    /** Thresholds listed per recommendation, nearest first. */
    static final int MAX_THRESHOLDS = 4;

    private static Threshold threshold(String rule, String text, double distance) {
        return new Threshold(rule, text, Math.round(distance * 10_000) / 10_000.0);
    }

    /**
     * The least {@code n} in {@code [from, to]} for which {@code holds} is true, or {@code to + 1} when
     * none is; {@code holds} is false then true as {@code n} grows (a threshold).
     */
    static long least(long from, long to, LongPredicate holds) {
        long lo = from;
        long hi = to + 1;
        while (lo < hi) {
            long mid = lo + (hi - lo) / 2;
            if (holds.test(mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    static String num(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
