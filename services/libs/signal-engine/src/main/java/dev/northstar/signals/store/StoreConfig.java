package dev.northstar.signals.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;

/** Where a stateful service keeps its state ({@code northstar.store.*}). */
@ConfigMapping(prefix = "northstar.store")
public interface StoreConfig {

    enum Kind {
        /** State files per partition with the offset they reflect; a restart resumes from them. */
        json,
        /** No files: every start rebuilds state by replaying the input from the earliest offset. */
        memory
    }

    /** {@code json} or {@code memory}. */
    @WithDefault("memory")
    Kind kind();

    /** The directory of the {@code json} store's files; one directory per service instance. */
    @WithDefault("data/store")
    Path dir();

    /** How often the state of each partition that changed is saved. */
    @WithDefault("10s")
    Duration snapshotInterval();

    /**
     * A service whose changed state could not be saved for this long (disk full, read-only
     * volume) reports itself unhealthy.
     */
    @WithDefault("2m")
    Duration maxUnsavedAge();

    /**
     * How long the input topic must keep its records for a {@code json} store: a partition whose file
     * is lost, or that moves to an instance without it, is rebuilt from the log, and its 28-day
     * windows are exact only if the log holds them. (A {@code memory} store rebuilds everything at each
     * start, so it needs the input kept forever.)
     */
    @WithDefault("P28D")
    Duration minInputRetention();
}
