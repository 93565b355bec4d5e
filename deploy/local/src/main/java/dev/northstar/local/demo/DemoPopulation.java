package dev.northstar.local.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A realistic, seeded population of product events for a demo project: users active over the
 * past 30 days (backdated event times), features whose profiles lead to each recommendation,
 * an onboarding funnel with drop-off, ratings and comments. The same seed gives the same events,
 * so it doubles as a deterministic load generator.
 *
 * <ul>
 *   <li>{@code dashboard}, {@code export-csv}: widely used, reliable, well rated: expand</li>
 *   <li>{@code search}: used a lot but fails often: improve</li>
 *   <li>{@code bulk-edit}: used, but rated poorly: improve</li>
 *   <li>{@code legacy-reports}: a handful of users, around for weeks: sunset</li>
 *   <li>{@code dark-mode}: moderate use, nothing stands out: watch</li>
 * </ul>
 */
public final class DemoPopulation {

    /** How one feature behaves in the population. */
    record Profile(String feature, double share, double failureRate, int minRating, int maxRating,
                   double ratingShare, int minDaysAgo, int maxDaysAgo) {
    }

    static final List<Profile> PROFILES = List.of(
            new Profile("dashboard", 0.92, 0.00, 4, 5, 0.05, 0, 28),
            new Profile("export-csv", 0.45, 0.02, 4, 5, 0.10, 0, 27),
            new Profile("search", 0.38, 0.18, 3, 5, 0.03, 0, 27),
            new Profile("bulk-edit", 0.20, 0.01, 1, 3, 0.25, 0, 26),
            new Profile("legacy-reports", 0.02, 0.00, 2, 4, 0.00, 16, 29),
            new Profile("dark-mode", 0.15, 0.00, 3, 5, 0.00, 0, 27));

    private static final String[] ERROR_CODES = {"timeout", "timeout", "timeout", "index-unavailable", "bad-query"};
    private static final String[] GOOD_COMMENTS = {
            "Exactly what I needed.", "Fast and simple, thank you!", "Love it — saves me an hour a week.",
            "Works great on mobile too.", "<b>Best</b> feature in the app"};
    private static final String[] BAD_COMMENTS = {
            "Too many clicks to edit ten rows.", "Lost my changes twice.", "Confusing, I gave up.",
            "Why does it reset the selection?"};
    private static final int[] FUNNEL_REACH = {100, 72, 47, 31};

    private final Random random;
    private final int users;
    private final Instant now;
    private int sequence;

    public DemoPopulation(long seed, int users, Instant now) {
        this.random = new Random(seed);
        this.users = users;
        this.now = now.truncatedTo(ChronoUnit.SECONDS);
    }

    /** Every event of the population, each a JSON-ready map in the shape of schema v1. */
    public List<Map<String, Object>> events() {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int u = 1; u <= users; u++) {
            String user = String.format("user-%04d", u);
            for (Profile p : PROFILES) {
                if (random.nextDouble() >= p.share()) {
                    continue;
                }
                int sessions = 1 + random.nextInt(6);
                for (int s = 0; s < sessions; s++) {
                    Instant at = backdated(p.minDaysAgo(), p.maxDaysAgo());
                    boolean failed = random.nextDouble() < p.failureRate();
                    Map<String, Object> e = base(user, failed ? "feature_failed" : "feature_used", at);
                    e.put("feature", p.feature());
                    if (failed) {
                        e.put("errorCode", ERROR_CODES[random.nextInt(ERROR_CODES.length)]);
                    } else {
                        e.put("properties", Map.of("plan", random.nextInt(4) == 0 ? "pro" : "free",
                                "durationMs", 50 + random.nextInt(2000)));
                    }
                    events.add(e);
                }
                if (random.nextDouble() < p.ratingShare()) {
                    int rating = p.minRating() + random.nextInt(p.maxRating() - p.minRating() + 1);
                    Map<String, Object> e = base(user, "feedback_given", backdated(p.minDaysAgo(), p.maxDaysAgo()));
                    e.put("feature", p.feature());
                    e.put("rating", rating);
                    if (random.nextInt(3) == 0) {
                        String[] pool = rating >= 4 ? GOOD_COMMENTS : BAD_COMMENTS;
                        e.put("comment", pool[random.nextInt(pool.length)]);
                    }
                    events.add(e);
                }
            }
            int reach = random.nextInt(100);
            Instant start = backdated(1, 27);
            for (int step = 1; step <= FUNNEL_REACH.length && reach < FUNNEL_REACH[step - 1]; step++) {
                Map<String, Object> e = base(user, "funnel_step", start.plus(Duration.ofMinutes(step * 3L)));
                e.put("funnel", "onboarding");
                e.put("step", step);
                events.add(e);
            }
        }
        return events;
    }

    private Map<String, Object> base(String user, String type, Instant at) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", "demo-" + (++sequence));
        e.put("type", type);
        e.put("userId", user);
        e.put("occurredAt", at.toString());
        return e;
    }

    private Instant backdated(int minDaysAgo, int maxDaysAgo) {
        long seconds = Duration.ofDays(minDaysAgo).toSeconds()
                + (long) (random.nextDouble() * Duration.ofDays(maxDaysAgo - minDaysAgo).toSeconds());
        return now.minusSeconds(Math.max(60, seconds));
    }
}
