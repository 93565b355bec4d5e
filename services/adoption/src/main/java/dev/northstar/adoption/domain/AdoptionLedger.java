package dev.northstar.adoption.domain;

import dev.northstar.adoption.compact.DenseLatestTimes;
import dev.northstar.adoption.compact.LatestTimes;
import dev.northstar.signals.compact.UserIds;
import dev.northstar.adoption.compact.UserTimes;
import dev.northstar.signals.ProjectLedger;
import dev.northstar.model.event.EventType;
import dev.northstar.model.event.ProductEvent;
import dev.northstar.model.snapshot.AdoptionRecord;
import dev.northstar.model.snapshot.AdoptionRecord.FeatureAdoption;
import dev.northstar.model.snapshot.AdoptionRecord.ProjectActivity;
import dev.northstar.model.snapshot.DailyUsers;
import dev.northstar.model.snapshot.FeatureTrend;
import dev.northstar.model.snapshot.WeeklyUsers;
import dev.northstar.model.snapshot.UserCounts;
import dev.northstar.model.snapshot.UsesByWindow;
import dev.northstar.model.topic.Keyed;
import dev.northstar.model.topic.Topics;

import org.roaringbitmap.RoaringBitmap;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adoption of every project's features, exactly: active users per project, and per feature the
 * distinct users (7 days, 28 days, ever), uses, first and last seen and a 28-day daily series.
 * An eventId seen again in a project is not counted again. Not thread-safe: callers serialize.
 *
 * <p>A user is "in a window" when the latest event time counted for them lies after
 * {@code now - window}; late events count at their event time. Times are kept to the millisecond.
 *
 * <p>Compact and exact (docs/adr/0007): each project numbers its user ids once ({@link UserIds});
 * latest times per user are primitive arrays ({@link DenseLatestTimes} for the project,
 * {@link LatestTimes} maps for each feature); each feature's daily users are a
 * compressed bitmap of user numbers. Strings are never kept per feature or per day.
 */
public final class AdoptionLedger extends ProjectLedger<AdoptionLedger.ProjectState, AdoptionRecord> {

    public static final Duration D7 = Duration.ofDays(7);
    public static final Duration D28 = Duration.ofDays(28);
    public static final int DAILY_DAYS = 28;
    /** Days kept per feature: the series' 28 plus room for events up to a day ahead of the clock. */
    private static final int DAY_SLOTS = 32;
    /** ISO weeks kept per feature: the trend's 8 plus room for events up to a day ahead of the clock. */
    private static final int WEEK_SLOTS = 10;
    private static final long MILLIS_PER_DAY = Duration.ofDays(1).toMillis();

    static final class ProjectState extends ProjectLedger.Project {
        final UserIds users = new UserIds();
        /** Latest event of any type, per user number (every numbered user has one: dense). */
        final DenseLatestTimes lastActive = new DenseLatestTimes();
        final Map<String, FeatureState> features = new HashMap<>();
        /** Changed since the last drain: the project record is published again. */
        transient boolean changed;
    }

    private static final class FeatureState {
        final LatestTimes lastUsed = new LatestTimes();
        /**
         * The most recent days with uses, one slot per epoch day modulo {@link #DAY_SLOTS}: a slot is
         * taken over by a later day, and a day older than its slot's is already outside the series.
         */
        final Day[] days = new Day[DAY_SLOTS];
        /** The most recent ISO weeks with uses, one slot per week number modulo {@link #WEEK_SLOTS}, as days. */
        final Week[] weeks = new Week[WEEK_SLOTS];
        long uses;
        Instant firstSeen;
        Instant lastSeen;
        transient boolean changed;

        Day day(long epochDay) {
            int slot = (int) Math.floorMod(epochDay, (long) DAY_SLOTS);
            Day day = days[slot];
            if (day == null || day.epochDay < epochDay) {
                day = new Day(epochDay);
                days[slot] = day;
            }
            return day.epochDay == epochDay ? day : null;
        }

        Day existing(long epochDay) {
            Day day = days[(int) Math.floorMod(epochDay, (long) DAY_SLOTS)];
            return day != null && day.epochDay == epochDay ? day : null;
        }

        /** The week starting on {@code monday} (an epoch day), made when newer than its slot's; null when older. */
        Week week(long monday) {
            int slot = (int) Math.floorMod(Math.floorDiv(monday, 7L), (long) WEEK_SLOTS);
            Week week = weeks[slot];
            if (week == null || week.monday < monday) {
                week = new Week(monday);
                weeks[slot] = week;
            }
            return week.monday == monday ? week : null;
        }

        Week existingWeek(long monday) {
            Week week = weeks[(int) Math.floorMod(Math.floorDiv(monday, 7L), (long) WEEK_SLOTS)];
            return week != null && week.monday == monday ? week : null;
        }
    }

    /** The epoch day of the Monday of {@code epochDay}'s ISO week (epoch day 0 was a Thursday). */
    static long monday(long epochDay) {
        return epochDay - Math.floorMod(epochDay + 3, 7L);
    }

    private static final class Week {
        /** Epoch day of its Monday. */
        long monday;
        /** User numbers that used the feature that week. */
        final RoaringBitmap users = new RoaringBitmap();

        Week() {
        }

        Week(long monday) {
            this.monday = monday;
        }
    }

    private static final class Day {
        long epochDay;
        /** User numbers that used the feature that day (saved in Roaring's portable form, see adapter.out.store.BitmapJson). */
        final RoaringBitmap users = new RoaringBitmap();
        long uses;

        Day() {
        }

        Day(long epochDay) {
            this.epochDay = epochDay;
        }
    }

    /**
     * The form of the saved state: 2 since features keep their users per ISO week (trends). A state
     * saved in another form is refused ({@link #checkFormat}; one from before form 2 has none and reads
     * as 0), so the partition is rebuilt from the log instead of showing weeks without their users.
     */
    public static final int FORMAT = 2;
    private int format;

    /** For the json store only (it sets every field, {@code format} included, from the saved state). */
    private AdoptionLedger() {
        super(ProjectState::new);
    }

    /** A ledger with nothing counted yet. */
    public static AdoptionLedger empty() {
        AdoptionLedger ledger = new AdoptionLedger();
        ledger.format = FORMAT;
        return ledger;
    }

    /** Throws when this ledger was read from a state saved in an earlier form. */
    public AdoptionLedger checkFormat() throws java.io.IOException {
        if (format != FORMAT) {
            throw new java.io.IOException("adoption state of form " + format + ", not " + FORMAT
                    + " (saved before features kept users per week); the partition is rebuilt from the log");
        }
        return this;
    }

    @Override
    protected void count(ProductEvent event, ProjectState project, Part part) {
        boolean person = part != Part.EVENT;
        boolean events = part != Part.PERSON;
        int user = person ? project.users.number(event.actor()) : -1;
        Instant at = event.occurredAt();
        long millis = at.toEpochMilli();
        if (person) {
            project.lastActive.update(user, millis);
        }
        project.changed = true;
        if (event.type() == EventType.FEATURE_USED) {
            FeatureState feature = project.features.computeIfAbsent(event.feature(), f -> new FeatureState());
            if (person) {
                feature.lastUsed.update(user, millis);
            }
            if (events) {
                feature.uses++;
                feature.firstSeen = feature.firstSeen == null || at.isBefore(feature.firstSeen) ? at : feature.firstSeen;
                feature.lastSeen = feature.lastSeen == null || at.isAfter(feature.lastSeen) ? at : feature.lastSeen;
            }
            long epochDay = Math.floorDiv(millis, MILLIS_PER_DAY);
            Day day = feature.day(epochDay);
            if (person) {
                Week week = feature.week(monday(epochDay));
                if (week != null) {
                    week.users.add(user);
                }
            }
            if (day != null) {
                if (person) {
                    day.users.add(user);
                }
                if (events) {
                    day.uses++;
                }
            }
            feature.changed = true;
        }
    }

    /** Adoption carries activity and feature use of linked anonymous actors: every type but funnel steps (friction's). */
    @Override
    protected boolean transfers(EventType type) {
        return type != EventType.FUNNEL_STEP;
    }

    /**
     * The anonymous actor's activity and feature use, as events of the user: its latest activity, its
     * latest use of each feature, a use on each other day it used the feature (the days the 28-day
     * series still holds), and one at the Monday of each other week it used it in (a week whose days
     * are all gone, so that Monday lies before the series too). Together they give the user's partition
     * the same users in every window, on every day and in every week; uses stay counted here.
     */
    @Override
    protected List<ProductEvent> moveOut(ProjectState project, String projectId, String anonymous, String user) {
        int n = project.users.find(anonymous);
        if (n < 0) {
            return List.of();
        }
        List<ProductEvent> out = new ArrayList<>();
        long active = project.lastActive.latest(n);
        if (active != Long.MIN_VALUE) {
            project.lastActive.remove(n);
            out.add(moved(projectId, anonymous, user, EventType.USER_IDENTIFIED, null, active, "active"));
        }
        project.features.forEach((name, feature) -> {
            long last = feature.lastUsed.latest(n);
            if (last != Long.MIN_VALUE) {
                feature.lastUsed.remove(n);
                out.add(moved(projectId, anonymous, user, EventType.FEATURE_USED, name, last, name + ":" + last));
                feature.changed = true;
            }
            java.util.Set<Long> weeksMoved = new java.util.HashSet<>();
            if (last != Long.MIN_VALUE) {
                weeksMoved.add(monday(Math.floorDiv(last, MILLIS_PER_DAY)));
            }
            for (Day day : feature.days) {
                if (day != null && day.users.contains(n)) {
                    day.users.remove(n);
                    feature.changed = true;
                    weeksMoved.add(monday(day.epochDay));
                    if (last == Long.MIN_VALUE || day.epochDay != Math.floorDiv(last, MILLIS_PER_DAY)) {
                        out.add(moved(projectId, anonymous, user, EventType.FEATURE_USED, name,
                                day.epochDay * MILLIS_PER_DAY, name + ":d" + day.epochDay));
                    }
                }
            }
            for (Week week : feature.weeks) {
                if (week != null && week.users.contains(n)) {
                    week.users.remove(n);
                    feature.changed = true;
                    if (weeksMoved.add(week.monday)) {
                        out.add(moved(projectId, anonymous, user, EventType.FEATURE_USED, name,
                                week.monday * MILLIS_PER_DAY, name + ":w" + week.monday));
                    }
                }
            }
        });
        project.changed = true;
        return out;
    }

    private static ProductEvent moved(String projectId, String anonymous, String user, EventType type, String feature,
                                      long millis, String what) {
        return ProductEvent.builder().eventId("xfer:" + anonymous + ":" + what).type(type).projectId(projectId)
                .userId(user).anonymousId(anonymous).feature(feature).occurredAt(Instant.ofEpochMilli(millis))
                .transferred(true).build();
    }

    @Override
    protected void touch(ProductEvent event, ProjectState project) {
        project.changed = true;
        if (event.type() == EventType.FEATURE_USED) {
            project.features.computeIfAbsent(event.feature(), f -> new FeatureState()).changed = true;
        }
    }

    @Override
    protected void keep(ProjectState project, String projectId, String rest) {
        project.changed = true;
        if (!rest.isEmpty()) {
            project.features.computeIfAbsent(rest, f -> new FeatureState()).changed = true;
        }
    }

    @Override
    public void markAllChanged() {
        for (ProjectState project : projects.values()) {
            project.changed = true;
            project.features.values().forEach(feature -> feature.changed = true);
        }
    }

    @Override
    public List<Keyed<AdoptionRecord>> drainChanged(Instant now) {
        List<Keyed<AdoptionRecord>> out = new ArrayList<>();
        projects.forEach((projectId, project) -> {
            if (!project.changed) {
                return;
            }
            project.changed = false;
            out.add(new Keyed<>(projectId, activity(projectId, project, now)));
            project.features.forEach((name, feature) -> {
                if (feature.changed) {
                    feature.changed = false;
                    out.add(new Keyed<>(Topics.featureKey(projectId, name), adoption(projectId, name, feature, now)));
                }
            });
        });
        return out;
    }

    private static ProjectActivity activity(String projectId, ProjectState project, Instant now) {
        return new ProjectActivity(projectId, counts(project.lastActive, now), now);
    }

    private static FeatureAdoption adoption(String projectId, String name, FeatureState feature, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate first = today.minusDays(DAILY_DAYS - 1);
        List<DailyUsers> daily = new ArrayList<>(DAILY_DAYS);
        long uses7 = 0;
        long uses28 = 0;
        LocalDate firstOf7 = today.minusDays(6);
        LocalDate firstOf14 = today.minusDays(13);
        RoaringBitmap once = new RoaringBitmap();
        RoaringBitmap twice = new RoaringBitmap();
        RoaringBitmap last7 = new RoaringBitmap();
        RoaringBitmap previous7 = new RoaringBitmap();
        for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
            Day day = feature.existing(d.toEpochDay());
            long uses = day == null ? 0 : day.uses;
            daily.add(new DailyUsers(d, day == null ? 0 : day.users.getCardinality(), uses));
            uses28 += uses;
            uses7 += d.isBefore(firstOf7) ? 0 : uses;
            if (day != null) {
                twice.or(RoaringBitmap.and(once, day.users));
                once.or(day.users);
                if (!d.isBefore(firstOf7)) {
                    last7.or(day.users);
                } else if (!d.isBefore(firstOf14)) {
                    previous7.or(day.users);
                }
            }
        }
        List<WeeklyUsers> weekly = new ArrayList<>(FeatureTrend.WEEKS);
        long thisWeek = monday(today.toEpochDay());
        for (int w = FeatureTrend.WEEKS - 1; w >= 0; w--) {
            long monday = thisWeek - 7L * w;
            Week week = feature.existingWeek(monday);
            weekly.add(WeeklyUsers.of(LocalDate.ofEpochDay(monday), week == null ? 0 : week.users.getCardinality()));
        }
        return new FeatureAdoption(projectId, name, counts(feature.lastUsed, now), feature.uses, feature.firstSeen,
                feature.lastSeen, daily, now, null, new UsesByWindow(uses7, uses28, feature.uses),
                new FeatureTrend(weekly, last7.getCardinality(), previous7.getCardinality()),
                (long) twice.getCardinality());
    }

    private static UserCounts counts(UserTimes latest, Instant now) {
        return new UserCounts(latest.countAfter(now.minus(D7).toEpochMilli()),
                latest.countAfter(now.minus(D28).toEpochMilli()), latest.size());
    }

    @Override
    protected long actors(ProjectState project) {
        return project.users.size();
    }
}
