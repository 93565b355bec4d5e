package dev.northstar.friction.domain;

import dev.northstar.model.event.Slug;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How long after entering a funnel an actor may take to reach its later steps: a default, and per
 * funnel where configured ({@code northstar.funnels.conversion-window-days},
 * {@code northstar.funnels.conversion-window-days-by-funnel=checkout=3,signup=14}).
 */
public record ConversionWindows(int defaultDays, Map<String, Integer> byFunnel) {

    public static final int MIN_DAYS = 1;
    public static final int MAX_DAYS = 28;
    public static final ConversionWindows DEFAULT = new ConversionWindows(7, Map.of());

    public ConversionWindows {
        check(defaultDays, "the default");
        byFunnel.forEach((funnel, days) -> check(days, "funnel " + funnel));
        byFunnel = Map.copyOf(byFunnel);
    }

    private static void check(int days, String what) {
        if (days < MIN_DAYS || days > MAX_DAYS) {
            throw new IllegalArgumentException("conversion window of " + what + ": " + days + " days; it must be "
                    + MIN_DAYS + " to " + MAX_DAYS + " days");
        }
    }

    public int days(String funnel) {
        return byFunnel.getOrDefault(funnel, defaultDays);
    }

    /**
     * Parses {@code funnel=days,funnel=days}; throws naming the part that is wrong.
     */
    public static ConversionWindows parse(int defaultDays, Optional<String> byFunnel) {
        Map<String, Integer> windows = new HashMap<>();
        for (String part : byFunnel.orElse("").split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] pair = part.trim().split("=", 2);
            if (pair.length != 2 || !Slug.isValid(pair[0].trim())) {
                throw new IllegalArgumentException("northstar.funnels.conversion-window-days-by-funnel: '" + part.trim()
                        + "' is not funnel=days (a funnel name matching " + Slug.PATTERN + ")");
            }
            try {
                windows.put(pair[0].trim(), Integer.parseInt(pair[1].trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("northstar.funnels.conversion-window-days-by-funnel: '" + part.trim()
                        + "': the days must be a whole number");
            }
        }
        return new ConversionWindows(defaultDays, windows);
    }
}
