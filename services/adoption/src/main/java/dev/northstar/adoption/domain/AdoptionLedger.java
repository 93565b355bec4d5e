package dev.northstar.adoption.domain;

import dev.northstar.kit.dedup.SeenEvents;
import dev.northstar.kit.signals.ChangedKeys;
import dev.northstar.kit.signals.EventLedger;
import dev.northstar.kit.signals.LedgerJson;
import dev.northstar.model.event.EventType;
import dev.northstar.model.event.ProductEvent;
import dev.northstar.model.snapshot.AdoptionRecord;
import dev.northstar.model.snapshot.AdoptionRecord.FeatureAdoption;
import dev.northstar.model.snapshot.AdoptionRecord.ProjectActivity;
import dev.northstar.model.snapshot.DailyUsers;
import dev.northstar.model.snapshot.UserCounts;
import dev.northstar.model.topic.Keyed;
import dev.northstar.model.topic.Topics;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Adoption of every project's features, exactly: active users per project, and per feature the
 * distinct users (7 days, 28 days, ever), uses, first and last seen and a 28-day daily series.
 * An eventId seen again in a project is not counted again. Not thread-safe: callers serialize.
 *
 * <p>A user is "in a window" when the latest event time counted for them lies after
 * {@code now - window}; late events count at their event time.
 */
public final class AdoptionLedger implements EventLedger<AdoptionRecord> {

    public static final Duration D7 = Duration.ofDays(7);
    public static final Duration D28 = Duration.ofDays(28);
    public static final int DAILY_DAYS = 28;

    private final Map<String, ProjectState> projects = new HashMap<>();
    private final transient ChangedKeys changed = new ChangedKeys();
    private long duplicates;

    private static final class ProjectState {
        final SeenEvents seen = new SeenEvents();
        final Map<String, Instant> lastActive = new HashMap<>();
        final Map<String, FeatureState> features = new HashMap<>();
        /**
         * One String instance per user id, shared by every map of the project: each event brings
         * its own copy, and without this each feature and day would keep another one.
         */
        transient Map<String, String> userIds = new HashMap<>();

        String canonical(String userId) {
            if (userIds == null) {
                userIds = new HashMap<>();
            }
            String known = userIds.putIfAbsent(userId, userId);
            return known != null ? known : userId;
        }
    }

    private static final class FeatureState {
        final Map<String, Instant> lastUsed = new HashMap<>();
        final TreeMap<LocalDate, Day> daily = new TreeMap<>();
        long uses;
        Instant firstSeen;
        Instant lastSeen;
    }

    private static final class Day {
        final Set<String> users = new HashSet<>();
        long uses;
    }

    /** Empty ledgers, and ledgers read back from {@link #toBytes()}. */
    public static final EventLedger.Codec<AdoptionRecord> CODEC = new EventLedger.Codec<>() {
        @Override
        public EventLedger<AdoptionRecord> empty() {
            return new AdoptionLedger();
        }

        @Override
        public EventLedger<AdoptionRecord> restore(byte[] bytes) throws java.io.IOException {
            return LedgerJson.read(bytes, AdoptionLedger.class);
        }
    };

    @Override
    public byte[] toBytes() {
        return LedgerJson.write(this);
    }

    @Override
    public boolean record(ProductEvent event) {
        ProjectState project = projects.computeIfAbsent(event.projectId(), p -> new ProjectState());
        if (!project.seen.firstTime(event.eventId())) {
            duplicates++;
            return false;
        }
        String actor = project.canonical(event.actor());
        Instant at = event.occurredAt();
        project.lastActive.merge(actor, at, AdoptionLedger::later);
        changed.mark(event.projectId());
        if (event.type() == EventType.FEATURE_USED) {
            FeatureState feature = project.features.computeIfAbsent(event.feature(), f -> new FeatureState());
            feature.lastUsed.merge(actor, at, AdoptionLedger::later);
            feature.uses++;
            feature.firstSeen = feature.firstSeen == null || at.isBefore(feature.firstSeen) ? at : feature.firstSeen;
            feature.lastSeen = feature.lastSeen == null || at.isAfter(feature.lastSeen) ? at : feature.lastSeen;
            Day day = feature.daily.computeIfAbsent(LocalDate.ofInstant(at, ZoneOffset.UTC), d -> new Day());
            day.users.add(actor);
            day.uses++;
            changed.mark(event.projectId(), event.feature());
        }
        return true;
    }

    /** Duplicates dropped since start. */
    public long duplicates() {
        return duplicates;
    }

    @Override
    public void markAllChanged() {
        projects.forEach((id, project) -> changed.markAll(id, project.features.keySet()));
    }

    @Override
    public List<Keyed<AdoptionRecord>> drainChanged(Instant now) {
        List<Keyed<AdoptionRecord>> out = new ArrayList<>();
        changed.drain().forEach((projectId, features) -> {
            ProjectState project = projects.get(projectId);
            out.add(new Keyed<>(projectId, activity(projectId, project, now)));
            for (String feature : features) {
                out.add(new Keyed<>(Topics.featureKey(projectId, feature),
                        adoption(projectId, feature, project.features.get(feature), now)));
            }
        });
        return out;
    }

    private static ProjectActivity activity(String projectId, ProjectState project, Instant now) {
        return new ProjectActivity(projectId, counts(project.lastActive, now), now);
    }

    private static FeatureAdoption adoption(String projectId, String name, FeatureState feature, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
        LocalDate first = today.minusDays(DAILY_DAYS - 1);
        feature.daily.headMap(first).clear();
        List<DailyUsers> daily = new ArrayList<>(DAILY_DAYS);
        for (LocalDate d = first; !d.isAfter(today); d = d.plusDays(1)) {
            Day day = feature.daily.get(d);
            daily.add(new DailyUsers(d, day == null ? 0 : day.users.size(), day == null ? 0 : day.uses));
        }
        return new FeatureAdoption(projectId, name, counts(feature.lastUsed, now), feature.uses, feature.firstSeen,
                feature.lastSeen, daily, now);
    }

    private static UserCounts counts(Map<String, Instant> latest, Instant now) {
        Instant since7 = now.minus(D7);
        Instant since28 = now.minus(D28);
        long d7 = 0;
        long d28 = 0;
        for (Instant at : latest.values()) {
            if (at.isAfter(since28)) {
                d28++;
                if (at.isAfter(since7)) {
                    d7++;
                }
            }
        }
        return new UserCounts(d7, d28, latest.size());
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
