package dev.northstar.feedback.domain;

import dev.northstar.signals.ChangedKeys;
import dev.northstar.signals.ProjectLedger;
import dev.northstar.model.event.EventType;
import dev.northstar.model.event.ProductEvent;
import dev.northstar.model.snapshot.FeatureFeedback;
import dev.northstar.model.snapshot.FeatureFeedback.Comment;
import dev.northstar.model.snapshot.RatingSum;
import dev.northstar.model.topic.Keyed;
import dev.northstar.model.topic.Topics;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What people say about each feature, exactly: count, mean and distribution of ratings (all
 * time), the ratings of the last 28 UTC days, and the latest comments. Only {@code feedback_given} counts; every event is deduplicated
 * by eventId within its project. Not thread-safe: callers serialize.
 */
public final class FeedbackLedger extends ProjectLedger<FeedbackLedger.ProjectState, FeatureFeedback> {

    public static final int RECENT_COMMENTS = 5;
    /** Ratings of the last 28 UTC days (today and the 27 before) are also counted apart. */
    public static final int WINDOW_DAYS = 28;

    /** Newest first; ties by eventId, so the order is the same on every replay. */
    private static final Comparator<Comment> NEWEST_FIRST = Comparator.comparing(Comment::occurredAt).reversed()
            .thenComparing(Comment::eventId);

    private final transient ChangedKeys changed = new ChangedKeys();

    static final class ProjectState extends ProjectLedger.Project {
        final Map<String, FeatureState> features = new HashMap<>();
    }

    private static final class FeatureState {
        final long[] distribution = new long[5];
        /** Per UTC day of the last 28: [ratings, sum of their values]. */
        final TreeMap<LocalDate, long[]> daily = new TreeMap<>();
        /** The most recent comments, newest first. */
        final List<Comment> comments = new ArrayList<>();
        long count;
        long sum;
    }

    public FeedbackLedger() {
        super(ProjectState::new);
    }

    /** Every number of feedback is per event: a transfer (person-level only) carries nothing for it. */
    @Override
    protected void count(ProductEvent event, ProjectState project, Part part) {
        if (event.type() != EventType.FEEDBACK_GIVEN || part == Part.PERSON) {
            return;
        }
        FeatureState feature = project.features.computeIfAbsent(event.feature(), f -> new FeatureState());
        int rating = event.rating();
        feature.count++;
        feature.sum += rating;
        feature.distribution[rating - 1]++;
        long[] day = feature.daily.computeIfAbsent(LocalDate.ofInstant(event.occurredAt(), ZoneOffset.UTC),
                d -> new long[2]);
        day[0]++;
        day[1] += rating;
        if (event.comment() != null && !event.comment().isBlank()) {
            feature.comments.add(new Comment(event.eventId(), rating, event.comment(), event.occurredAt()));
            feature.comments.sort(NEWEST_FIRST);
            while (feature.comments.size() > RECENT_COMMENTS) {
                feature.comments.remove(feature.comments.size() - 1);
            }
        }
        changed.mark(event.projectId(), event.feature());
    }

    @Override
    protected void touch(ProductEvent event, ProjectState project) {
        if (event.type() == EventType.FEEDBACK_GIVEN) {
            project.features.computeIfAbsent(event.feature(), f -> new FeatureState());
            changed.mark(event.projectId(), event.feature());
        }
    }

    @Override
    protected void keep(ProjectState project, String projectId, String rest) {
        if (!rest.isEmpty()) {
            project.features.computeIfAbsent(rest, f -> new FeatureState());
            changed.mark(projectId, rest);
        }
    }

    @Override
    public void markAllChanged() {
        projects.forEach((id, project) -> changed.markAll(id, project.features.keySet()));
    }

    @Override
    public List<Keyed<FeatureFeedback>> drainChanged(Instant now) {
        List<Keyed<FeatureFeedback>> out = new ArrayList<>();
        changed.drain().forEach((projectId, features) -> {
            ProjectState project = projects.get(projectId);
            for (String name : features) {
                FeatureState f = project.features.get(name);
                List<Long> distribution = new ArrayList<>(5);
                for (long n : f.distribution) {
                    distribution.add(n);
                }
                double average = f.count == 0 ? 0 : (double) f.sum / f.count;
                f.daily.headMap(LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(WINDOW_DAYS - 1)).clear();
                long count28 = 0;
                long sum28 = 0;
                for (long[] day : f.daily.values()) {
                    count28 += day[0];
                    sum28 += day[1];
                }
                out.add(new Keyed<>(Topics.featureKey(projectId, name), new FeatureFeedback(projectId, name, f.count,
                        average, distribution, List.copyOf(f.comments), now, null, new RatingSum(count28, sum28))));
            }
        });
        return out;
    }
}
