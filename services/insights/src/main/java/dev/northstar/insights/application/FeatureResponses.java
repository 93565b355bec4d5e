package dev.northstar.insights.application;

import dev.northstar.model.notify.FeatureHistory;

import dev.northstar.model.snapshot.DailyUsers;
import dev.northstar.model.snapshot.FeatureFeedback;
import dev.northstar.model.snapshot.FeatureInsight.Recommendation;
import dev.northstar.model.snapshot.FrictionRecord.ErrorCodeCount;
import dev.northstar.model.snapshot.FrictionRecord.FunnelStep;
import dev.northstar.model.snapshot.FeatureTrend;
import dev.northstar.model.snapshot.UserCounts;
import dev.northstar.model.snapshot.UsesByWindow;

import java.time.Instant;
import java.util.List;

/** What the feature queries answer: the shapes of the query API (see the HTTP contract in the product brief). */
public final class FeatureResponses {

    private FeatureResponses() {
    }

    /** {@code GET /v1/projects/{projectId}/features}. */
    public record FeaturesPage(String projectId, Instant asOf, UserCounts activeUsers, List<FeatureSummary> features) {
    }

    /**
     * @param adoption     users.d28 / activeUsers.d28, 0 to 1
     * @param usesByWindow uses in the last 7 and 28 UTC days and all time ({@code uses} is all time)
     * @param rating28d    ratings of the last 28 UTC days ({@code rating} is all time)
     * @param trend          users of each of the last 8 ISO weeks, of the last 7 UTC days and the 7 before,
     *                       and the change between those (null until adoption has published it)
     * @param stickiness     mean daily users over the 28 UTC days of the daily series / users.d28, 0 to 1
     * @param returningUsers users with uses on at least 2 of those 28 days (null until published)
     * @param declared       whether the project's catalogue declares the feature
     * @param catalogue      its declaration (null when undeclared)
     */
    public record FeatureSummary(String feature, long uses, UserCounts users, double adoption, double failureRate,
                          Rating rating, Recommendation recommendation, UsesByWindow usesByWindow, Rating rating28d,
                          FeatureTrend trend, double stickiness, Long returningUsers, boolean declared,
                          CatalogueEntry catalogue) {
    }

    /** A feature's declaration in its project's catalogue ({@code PUT /v1/admin/projects/{p}/features/{f}}). */
    public record CatalogueEntry(String name, String description, String owner, java.time.LocalDate releasedAt,
                                 String status) {
    }

    /** @param avg mean rating, null without ratings */
    public record Rating(Double avg, long count) {
    }

    /**
     * {@code GET /v1/projects/{projectId}/features/{feature}}: the summary plus its series and details.
     *
     * @param errorCodes     the most frequent error codes, all time (up to five)
     * @param errorCodes28d  the most frequent error codes of the last 28 UTC days (up to five)
     * @param otherErrors28d failures of the last 28 days with another code
     */
    public record FeatureDetail(String projectId, Instant asOf, UserCounts activeUsers, String feature, long uses,
                         UserCounts users, double adoption, double failureRate, Rating rating,
                         Recommendation recommendation, Instant firstSeen, Instant lastSeen, List<DailyUsers> daily,
                         long failures, List<ErrorCodeCount> errorCodes, List<Long> ratingDistribution,
                         List<FeatureFeedback.Comment> recentComments, UsesByWindow usesByWindow, Rating rating28d,
                         List<ErrorCodeCount> errorCodes28d, long otherErrors28d, FeatureTrend trend,
                         double stickiness, Long returningUsers, boolean declared, CatalogueEntry catalogue) {
    }

    /**
     * {@code GET /v1/projects/{projectId}/funnels/{funnel}}: actors reaching each step in order within the
     * conversion window of their entry (ADR 0016).
     *
     * @param conversionWindowDays the window the steps were counted with (null before ordered funnels)
     */
    public record FunnelDetail(String projectId, String funnel, List<FunnelStep> steps, Instant asOf,
                               Integer conversionWindowDays) {
    }

    /** Every funnel of a project (an addition to the brief's API, for the dashboard). */
    public record FunnelsPage(String projectId, List<FunnelDetail> funnels) {
    }

    /**
     * The changes of a feature's recommendation, newest first (at most 50), as the notifier recorded
     * them; empty until the notifier has seen the feature (or where no notifier runs).
     *
     * @param action the action recommended now, as of the newest change (null with no history)
     */
    public record FeatureHistoryPage(String projectId, String feature, dev.northstar.model.snapshot.FeatureInsight.Action action,
                                     List<FeatureHistory.Change> changes) {
    }
}
