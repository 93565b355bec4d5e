package dev.northstar.insights.domain;

import dev.northstar.model.snapshot.AdoptionRecord.FeatureAdoption;
import dev.northstar.model.snapshot.AdoptionRecord.ProjectActivity;
import dev.northstar.model.snapshot.DailyUsers;
import dev.northstar.model.snapshot.FeatureFeedback;
import dev.northstar.model.snapshot.FrictionRecord.ErrorCodeCount;
import dev.northstar.model.snapshot.FrictionRecord.FeatureFriction;
import dev.northstar.model.snapshot.FrictionRecord.FunnelProgress;
import dev.northstar.model.snapshot.FrictionRecord.FunnelStep;
import dev.northstar.model.snapshot.FrictionRecord.StepTimes;
import dev.northstar.model.snapshot.ConversionTimes;
import dev.northstar.model.snapshot.RatingSum;
import dev.northstar.model.snapshot.UserCounts;
import dev.northstar.model.snapshot.UsesByWindow;
import dev.northstar.model.snapshot.FeatureTrend;
import dev.northstar.model.snapshot.WeeklyUsers;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A project's numbers from the slices of every events partition (ADR 0015). Events are keyed by
 * project and actor, so the partitions hold disjoint actors: distinct users add up exactly, as do
 * uses, failures, ratings and per-day figures; rates and means are recomputed from the sums; the
 * newest comments and the most frequent error codes are taken from the slices' own (each slice
 * carries its newest comments and up to a hundred error codes, so the top of the sum is exact; the
 * failures of the last 28 days whose code is not among the five shown are "other").
 */
public final class SliceSums {

    /** Error codes shown per feature. */
    public static final int TOP_ERROR_CODES = 5;
    /** Comments shown per feature. */
    public static final int RECENT_COMMENTS = 5;
    /** Days of the daily series (slices published on different days may hold a day more between them). */
    private static final int DAILY_DAYS = 28;

    private static final Comparator<FeatureFeedback.Comment> NEWEST_FIRST =
            Comparator.comparing(FeatureFeedback.Comment::occurredAt).reversed()
                    .thenComparing(FeatureFeedback.Comment::eventId);

    private SliceSums() {
    }

    public static UserCounts users(Collection<UserCounts> slices) {
        long d7 = 0;
        long d28 = 0;
        long all = 0;
        for (UserCounts c : slices) {
            d7 += c.d7();
            d28 += c.d28();
            all += c.all();
        }
        return new UserCounts(d7, d28, all);
    }

    public static ProjectActivity activity(Collection<ProjectActivity> slices) {
        ProjectActivity any = slices.iterator().next();
        return new ProjectActivity(any.projectId(), users(slices.stream().map(ProjectActivity::activeUsers).toList()),
                newest(slices, ProjectActivity::asOf));
    }

    public static FeatureAdoption adoption(Collection<FeatureAdoption> slices) {
        FeatureAdoption any = slices.iterator().next();
        long uses = 0;
        Instant firstSeen = null;
        Instant lastSeen = null;
        Map<LocalDate, long[]> days = new TreeMap<>();
        UsesByWindow windows = null;
        Map<LocalDate, Long> weeks = new TreeMap<>();
        long last7 = 0;
        long previous7 = 0;
        Long returning = null;
        boolean trended = false;
        for (FeatureAdoption s : slices) {
            uses += s.uses();
            if (s.trend() != null) {
                trended = true;
                s.trend().weekly().forEach(w -> weeks.merge(w.start(), w.users(), Long::sum));
                last7 += s.trend().last7Days();
                previous7 += s.trend().previous7Days();
            }
            if (s.returningUsers() != null) {
                returning = (returning == null ? 0 : returning) + s.returningUsers();
            }
            if (s.usesByWindow() != null) {
                UsesByWindow w = s.usesByWindow();
                windows = windows == null ? w : new UsesByWindow(windows.d7() + w.d7(), windows.d28() + w.d28(),
                        windows.all() + w.all());
            }
            firstSeen = s.firstSeen() == null ? firstSeen
                    : firstSeen == null || s.firstSeen().isBefore(firstSeen) ? s.firstSeen() : firstSeen;
            lastSeen = s.lastSeen() == null ? lastSeen
                    : lastSeen == null || s.lastSeen().isAfter(lastSeen) ? s.lastSeen() : lastSeen;
            for (DailyUsers d : s.daily()) {
                long[] day = days.computeIfAbsent(d.day(), k -> new long[2]);
                day[0] += d.users();
                day[1] += d.uses();
            }
        }
        List<DailyUsers> daily = new ArrayList<>(days.size());
        days.forEach((day, n) -> daily.add(new DailyUsers(day, n[0], n[1])));
        // Slices published at different times may name different weeks: the newest 8 are kept.
        List<WeeklyUsers> weekly = new ArrayList<>();
        weeks.forEach((monday, n) -> weekly.add(WeeklyUsers.of(monday, n)));
        FeatureTrend trend = trended ? new FeatureTrend(
                weekly.subList(Math.max(0, weekly.size() - FeatureTrend.WEEKS), weekly.size()), last7, previous7) : null;
        return new FeatureAdoption(any.projectId(), any.feature(),
                users(slices.stream().map(FeatureAdoption::users).toList()), uses, firstSeen, lastSeen,
                daily.subList(Math.max(0, daily.size() - DAILY_DAYS), daily.size()),
                newest(slices, FeatureAdoption::asOf), null, windows, trend, returning);
    }

    public static FeatureFriction friction(Collection<FeatureFriction> slices) {
        FeatureFriction any = slices.iterator().next();
        long used = 0;
        long failed = 0;
        long failures = 0;
        Map<String, Long> codes = new HashMap<>();
        Map<String, Long> codes28 = new HashMap<>();
        boolean windowed = false;
        for (FeatureFriction s : slices) {
            used += s.used28d();
            failed += s.failed28d();
            failures += s.failures();
            s.topErrorCodes().forEach(c -> codes.merge(c.errorCode(), c.count(), Long::sum));
            if (s.errorCodes28d() != null) {
                windowed = true;
                s.errorCodes28d().forEach(c -> codes28.merge(c.errorCode(), c.count(), Long::sum));
            }
        }
        List<ErrorCodeCount> top28 = windowed ? top(codes28) : null;
        Long other28 = windowed ? failed - top28.stream().mapToLong(ErrorCodeCount::count).sum() : null;
        double rate = used + failed == 0 ? 0 : (double) failed / (used + failed);
        return new FeatureFriction(any.projectId(), any.feature(), used, failed, rate, failures, top(codes),
                newest(slices, FeatureFriction::asOf), null, top28, other28);
    }

    private static List<ErrorCodeCount> top(Map<String, Long> codes) {
        return codes.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(TOP_ERROR_CODES).map(e -> new ErrorCodeCount(e.getKey(), e.getValue())).toList();
    }

    public static FunnelProgress funnel(Collection<FunnelProgress> slices) {
        FunnelProgress any = slices.iterator().next();
        Map<Integer, Long> users = new TreeMap<>();
        Map<Integer, List<Map<Long, Long>>> times = new TreeMap<>();
        Integer windowDays = null;
        for (FunnelProgress s : slices) {
            s.steps().forEach(step -> users.merge(step.step(), step.users(), Long::sum));
            s.timesToConvert().forEach(t -> times.computeIfAbsent(t.step(), k -> new ArrayList<>()).add(t.histogram()));
            if (s.conversionWindowDays() != null) {
                windowDays = windowDays == null ? s.conversionWindowDays() : Math.max(windowDays, s.conversionWindowDays());
            }
        }
        int last = users.keySet().stream().max(Comparator.naturalOrder()).orElse(0);
        List<FunnelStep> steps = new ArrayList<>(last);
        List<StepTimes> merged = new ArrayList<>();
        long first = users.getOrDefault(1, 0L);
        long previous = 0;
        for (int step = 1; step <= last; step++) {
            long n = users.getOrDefault(step, 0L);
            Long median = null;
            if (times.containsKey(step)) {
                var histogram = ConversionTimes.sum(times.get(step));
                merged.add(new StepTimes(step, histogram));
                median = ConversionTimes.lowerMedian(histogram);
            }
            steps.add(new FunnelStep(step, n, step == 1 ? 1.0 : previous == 0 ? 0 : (double) n / previous,
                    first == 0 ? 0 : (double) n / first, median));
            previous = n;
        }
        return new FunnelProgress(any.projectId(), any.funnel(), steps, newest(slices, FunnelProgress::asOf), null,
                windowDays, merged);
    }

    public static FeatureFeedback feedback(Collection<FeatureFeedback> slices) {
        FeatureFeedback any = slices.iterator().next();
        long[] distribution = new long[5];
        List<FeatureFeedback.Comment> comments = new ArrayList<>();
        RatingSum recent = null;
        for (FeatureFeedback s : slices) {
            if (s.ratings28d() != null) {
                recent = recent == null ? s.ratings28d() : recent.plus(s.ratings28d());
            }
            for (int i = 0; i < Math.min(5, s.distribution().size()); i++) {
                distribution[i] += s.distribution().get(i);
            }
            comments.addAll(s.recentComments());
        }
        long count = 0;
        long sum = 0;
        List<Long> out = new ArrayList<>(5);
        for (int i = 0; i < 5; i++) {
            count += distribution[i];
            sum += (i + 1) * distribution[i];
            out.add(distribution[i]);
        }
        comments.sort(NEWEST_FIRST);
        return new FeatureFeedback(any.projectId(), any.feature(), count, count == 0 ? 0 : (double) sum / count, out,
                comments.subList(0, Math.min(RECENT_COMMENTS, comments.size())), newest(slices, FeatureFeedback::asOf),
                null, recent);
    }

    private static <T> Instant newest(Collection<T> slices, Function<T, Instant> asOf) {
        return slices.stream().map(asOf).filter(java.util.Objects::nonNull).max(Comparator.naturalOrder()).orElse(null);
    }
}
