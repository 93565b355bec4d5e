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
        final Map<String, Long> errorCodes = new HashMap<>();
        long failures;
    }

    /** How long after entering each funnel its later steps may come; configuration, not state. */
    private transient ConversionWindows windows = ConversionWindows.DEFAULT;

    /**
     * The form of the saved state: 2 since funnels keep step times (ordered funnels). A state saved in
     * an earlier form has none, reads as 0, and is refused ({@link #checkFormat}), so the partition is
     * rebuilt from the log instead of losing its funnels.
     */
    public static final int FORMAT = 2;
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
    protected void count(ProductEvent event, ProjectState project) {
        switch (event.type()) {
            case FEATURE_USED, FEATURE_FAILED -> {
                FeatureState feature = project.features.computeIfAbsent(event.feature(), f -> new FeatureState());
                long[] day = feature.daily.computeIfAbsent(LocalDate.ofInstant(event.occurredAt(), ZoneOffset.UTC),
                        d -> new long[2]);
                if (event.type() == EventType.FEATURE_USED) {
                    day[0]++;
                } else {
                    day[1]++;
                    feature.failures++;
                    feature.errorCodes.merge(event.errorCode() == null ? UNKNOWN_ERROR : event.errorCode(), 1L,
                            Long::sum);
                }
                changedFeatures.mark(event.projectId(), event.feature());
            }
            case FUNNEL_STEP -> {
                project.funnels.computeIfAbsent(event.funnel(), f -> new FunnelState())
                        .add(project.actors.number(event.actor()), event.step(), event.occurredAt());
                changedFunnels.mark(event.projectId(), event.funnel());
            }
            default -> {
                // feedback is the feedback service's
            }
        }
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
        long used = 0;
        long failed = 0;
        for (long[] day : feature.daily.values()) {
            used += day[0];
            failed += day[1];
        }
        double rate = used + failed == 0 ? 0 : (double) failed / (used + failed);
        List<ErrorCodeCount> top = feature.errorCodes.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(ERROR_CODES_PER_SLICE)
                .map(e -> new ErrorCodeCount(e.getKey(), e.getValue()))
                .toList();
        return new FeatureFriction(projectId, name, used, failed, rate, feature.failures, top, now);
    }

    private static FunnelProgress funnel(String projectId, String name, FunnelState state, Instant now, int windowDays) {
        FunnelState.Counted counted = state.count(now, windowDays);
        return new FunnelProgress(projectId, name, counted.steps(), now, null, windowDays, counted.timesToConvert());
    }
}
