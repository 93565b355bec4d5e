package dev.northstar.model.event;

import java.util.Optional;

/**
 * A project, feature or funnel name: {@value #PATTERN}. One definition for every place that takes
 * such a name (events, the admin API, query paths), checked without a regex ({@link EventSyntax}).
 */
public record Slug(String value) {

    public static final String PATTERN = "[a-z0-9][a-z0-9._-]{0,63}";

    public Slug {
        if (!isValid(value)) {
            throw new IllegalArgumentException("must match " + PATTERN);
        }
    }

    /** Whether {@code text} is a slug (null is not). */
    public static boolean isValid(String text) {
        return text != null && EventSyntax.isSlug(text);
    }

    /** The slug {@code text} is, if it is one. */
    public static Optional<Slug> parse(String text) {
        return isValid(text) ? Optional.of(new Slug(text)) : Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
