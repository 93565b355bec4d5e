package dev.northstar.friction.domain;

import dev.northstar.signals.ChangedKeys;
import dev.northstar.signals.ProjectLedger;
import dev.northstar.signals.compact.UserIds;
import dev.northstar.model.event.EventType;
import dev.northstar.model.event.ProductEvent;
import dev.northstar.model.snapshot.FrictionRecord;
import dev.northstar.model.snapshot.FrictionRecord.ErrorCodeCount;
import dev.northstar.model.snapshot.FrictionRecord.FeatureFriction;
import dev.northstar.model.snapshot.FrictionRecord.FunnelProgress;
import dev.northstar.model.topic.Keyed;
import dev.northstar.model.topic.Topics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where people struggle, exactly: per feature the failures and the failure rate over the last 28
 * UTC days (today and the 27 days before), the most frequent error codes; per funnel the actors
 * reaching each step in order and in time ({@link FunnelState}). An eventId seen again in a project is not counted again. Not
 * thread-safe: callers serialize.
 */
public final class FrictionLedger extends ProjectLedger<FrictionLedger.ProjectState, FrictionRecord> {

    public static final int WINDOW_DAYS = 28;
    /**
     * Error codes a feature's slice carries, most frequent first: insights adds the slices of every
     * partition and shows the top five, exactly as long as no partition sees more distinct codes of a
     * feature than this.
     */
    public static final int ERROR_CODES_PER_SLICE = 100;
    /** The error code counted for a failure that carries none. */
    public static final String UNKNOWN_ERROR = "unknown";

    private final transient ChangedKeys changedFeatures = new ChangedKeys();
    private final transient ChangedKeys changedFunnels = new ChangedKeys();

    static final class ProjectState extends ProjectLedger.Project {
        final Map<String, FeatureState> features = new HashMap<>();
        final Map<String, FunnelState> funnels = new HashMap<>();
        /** The project's funnel actors, numbered: funnel state holds numbers, not ids. */
        final UserIds actors = new UserIds();
    }

    private static final class FeatureState {
        /** Per UTC day: [used, failed]. */
        final TreeMap<LocalDate, long[]> daily = new TreeMap<>();
        /** Per UTC day of the last 28: failures per error code. */
        final TreeMap<LocalDate, Map<String, Long>> dailyErrorCodes = new TreeMap<>();
        /** All time: failures per error code. */
        final Map<String, Long> errorCodes = new HashMap<>();
        long failures;
    }

    /**
     * Distinct error codes kept per feature (all time) and per feature and day; failures with further
     * codes are counted under {@link #OTHER_CODES} (a key no real code has: codes are never empty).
     */
    public static final int MAX_CODES = 1000;
    static final String OTHER_CODES = "";

    private static void countCode(Map<String, Long> codes, String code) {
        codes.merge(codes.size() < MAX_CODES || codes.containsKey(code) ? code : OTHER_CODES, 1L, Long::sum);
    }

    /** How long after entering each funnel its later steps may come; configuration, not state. */
    private transient ConversionWindows windows = ConversionWindows.DEFAULT;

    /**
     * The form of the saved state: 2 since funnels keep step times (ordered funnels), 3 since their
     * actors are in primitive slot arrays. A state saved in another form is refused
     * ({@link #checkFormat}; one from before form 2 has none and reads as 0), so the partition is
     * rebuilt from the log instead of losing its funnels.
     */
    public static final int FORMAT = 3;
    private int format;

    /** For the json store only (it sets every field, {@code format} included, from the saved state). */
    private FrictionLedger() {
        super(ProjectState::new);
    }

    public FrictionLedger(ConversionWindows windows) {
        this();
        this.windows = windows;
        this.format = FORMAT;
    }

    /** Throws when this ledger was read from a state saved in an earlier form. */
    public FrictionLedger checkFormat() throws java.io.IOException {
        if (format != FORMAT) {
            throw new java.io.IOException("friction state of form " + format + ", not " + FORMAT
                    + " (saved before funnels kept step times); the partition is rebuilt from the log");
        }
        return this;
    }

    /** Sets the conversion windows (on a ledger restored from its saved state). */
    public FrictionLedger windows(ConversionWindows windows) {
        this.windows = windows;
        return this;
    }

    @Override
    protected void count(ProductEvent event, ProjectState project, Part part) {
        switch (event.type()) {
            case FEATURE_USED, FEATURE_FAILED -> {
                if (part == Part.PERSON) {
                    return; // failures and attempts are per event: they stay where they were counted
                }
                FeatureState feature = project.features.computeIfAbsent(event.feature(), f -> new FeatureState());
                long[] day = feature.daily.computeIfAbsent(LocalDate.ofInstant(event.occurredAt(), ZoneOffset.UTC),
                        d -> new long[2]);
                if (event.type() == EventType.FEATURE_USED) {
                    day[0]++;
                } else {
                    day[1]++;
                    feature.failures++;
                    String code = event.errorCode() == null ? UNKNOWN_ERROR : event.errorCode();
                    countCode(feature.errorCodes, code);
                    countCode(feature.dailyErrorCodes.computeIfAbsent(
                            LocalDate.ofInstant(event.occurredAt(), ZoneOffset.UTC), d -> new HashMap<>()), code);
                }
                changedFeatures.mark(event.projectId(), event.feature());
            }
            case FUNNEL_STEP -> {
                if (part == Part.EVENT) {
                    return; // a linked anonymous actor's step: counted on its user's partition
                }
                project.funnels.computeIfAbsent(event.funnel(), f -> new FunnelState())
                        .add(project.actors.number(event.actor()), event.step(), event.occurredAt());
                changedFunnels.mark(event.projectId(), event.funnel());
            }
            default -> {
                // feedback is the feedback service's
            }
        }
    }

    /** Friction carries funnel steps of linked anonymous actors (adoption carries the rest). */
    @Override
    protected boolean transfers(EventType type) {
        return type == EventType.FUNNEL_STEP;
    }

    /** The anonymous actor's funnel step times, as funnel steps of the user; they leave this partition's funnels. */
    @Override
    protected List<ProductEvent> moveOut(ProjectState project, String projectId, String anonymous, String user) {
        int n = project.actors.find(anonymous);
        if (n < 0) {
            return List.of();
        }
        List<ProductEvent> out = new ArrayList<>();
        project.funnels.forEach((name, funnel) -> {
            int[][] steps = funnel.remove(n);
            for (int s = 0; s < steps.length; s++) {
                for (int time : steps[s]) {
                    Instant at = Instant.ofEpochSecond(FunnelState.BASE + time);
                    out.add(ProductEvent.builder().eventId("xfer:" + anonymous + ":" + name + ":" + (s + 1) + ":" + time)
                            .type(EventType.FUNNEL_STEP).projectId(projectId).userId(user).anonymousId(anonymous)
                            .funnel(name).step(s + 1).occurredAt(at).transferred(true).build());
                }
            }
            if (steps.length > 0) {
                changedFunnels.mark(projectId, name);
            }
        });
        return out;
    }

    @Override
    protected void touch(ProductEvent event, ProjectState project) {
        switch (event.type()) {
            case FEATURE_USED, FEATURE_FAILED -> {
                project.features.computeIfAbsent(event.feature(), f -> new FeatureState());
                changedFeatures.mark(event.projectId(), event.feature());
            }
            case FUNNEL_STEP -> {
                project.funnels.computeIfAbsent(event.funnel(), f -> new FunnelState());
                changedFunnels.mark(event.projectId(), event.funnel());
            }
            default -> {
                // feedback is the feedback service's
            }
        }
    }

    @Override
    protected void keep(ProjectState project, String projectId, String rest) {
        String funnels = "funnels" + Topics.KEY_SEPARATOR;
        if (rest.startsWith(funnels)) {
            String funnel = rest.substring(funnels.length());
            project.funnels.computeIfAbsent(funnel, f -> new FunnelState());
            changedFunnels.mark(projectId, funnel);
        } else if (!rest.isEmpty()) {
            project.features.computeIfAbsent(rest, f -> new FeatureState());
            changedFeatures.mark(projectId, rest);
        }
    }

    @Override
    public void markAllChanged() {
        projects.forEach((id, project) -> {
            changedFeatures.markAll(id, project.features.keySet());
            changedFunnels.markAll(id, project.funnels.keySet());
        });
    }

    /** Snapshots of every feature and funnel that changed since the last drain, as of {@code now}. */
    @Override
    public List<Keyed<FrictionRecord>> drainChanged(Instant now) {
        List<Keyed<FrictionRecord>> out = new ArrayList<>();
        changedFeatures.drain().forEach((projectId, features) -> features.forEach(feature ->
                out.add(new Keyed<>(Topics.featureKey(projectId, feature),
                        friction(projectId, feature, projects.get(projectId).features.get(feature), now)))));
        changedFunnels.drain().forEach((projectId, funnels) -> funnels.forEach(funnel ->
                out.add(new Keyed<>(Topics.funnelKey(projectId, funnel),
                        funnel(projectId, funnel, projects.get(projectId).funnels.get(funnel), now,
                                windows.days(funnel))))));
        return out;
    }

    private static FeatureFriction friction(String projectId, String name, FeatureState feature, Instant now) {
        LocalDate first = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(WINDOW_DAYS - 1);
        feature.daily.headMap(first).clear();
        feature.dailyErrorCodes.headMap(first).clear();
        long used = 0;
        long failed = 0;
        for (long[] day : feature.daily.values()) {
            used += day[0];
            failed += day[1];
        }
        double rate = used + failed == 0 ? 0 : (double) failed / (used + failed);
        Map<String, Long> codes28 = new HashMap<>();
        feature.dailyErrorCodes.values().forEach(day -> day.forEach((code, n) -> codes28.merge(code, n, Long::sum)));
        List<ErrorCodeCount> top28 = ranked(codes28);
        long listed = top28.stream().mapToLong(ErrorCodeCount::count).sum();
        return new FeatureFriction(projectId, name, used, failed, rate, feature.failures, ranked(feature.errorCodes), now,
                null, top28, failed - listed);
    }

    /** The most frequent codes first (ties by code), at most {@link #ERROR_CODES_PER_SLICE}, without the overflow. */
    private static List<ErrorCodeCount> ranked(Map<String, Long> codes) {
        return codes.entrySet().stream().filter(e -> !e.getKey().equals(OTHER_CODES))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(ERROR_CODES_PER_SLICE)
                .map(e -> new ErrorCodeCount(e.getKey(), e.getValue()))
                .toList();
    }

    private static FunnelProgress funnel(String projectId, String name, FunnelState state, Instant now, int windowDays) {
        FunnelState.Counted counted = state.count(now, windowDays);
        return new FunnelProgress(projectId, name, counted.steps(), now, null, windowDays, counted.timesToConvert());
    }

    @Override
    protected long actors(ProjectState project) {
        return project.actors.size();
    }
}
