package dev.northstar.model.snapshot;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * How a feature's use moves: distinct users of each of the last 8 ISO weeks (oldest first, the
 * current, partial week last) and of the last 7 UTC days (today and the 6 before) against the 7
 * before them.
 *
 * @param weekly        8 weeks, oldest first
 * @param last7Days     distinct users with a use today or in the 6 UTC days before
 * @param previous7Days distinct users with a use in the 7 UTC days before those
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FeatureTrend(List<WeeklyUsers> weekly, long last7Days, long previous7Days) {

    /** ISO weeks in {@link #weekly}. */
    public static final int WEEKS = 8;

    public FeatureTrend {
        weekly = weekly == null ? List.of() : List.copyOf(weekly);
    }

    /**
     * The relative change of {@link #last7Days} against {@link #previous7Days} ({@code 0.5} = 50 %
     * more users); null when the 7 days before had no users (no ratio to take).
     */
    @JsonProperty("change")
    public Double change() {
        return previous7Days == 0 ? null : (double) (last7Days - previous7Days) / previous7Days;
    }
}
