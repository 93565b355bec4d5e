package dev.northstar.signals;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The erasures a signal service knows: per project, the actors it must never count. */
public interface ErasureView {

    /** The erased actors of {@code projectId}; empty when none. */
    Set<String> erasedIn(String projectId);

    /** Every project with erasures, and its erased actors. */
    Map<String, Set<String>> all();

    /** Completes once every erasure recorded before this service started is known. */
    CompletionStage<Void> loaded();

    /** No erasures (tests, and inputs that are not product events). */
    ErasureView NONE = new ErasureView() {
        @Override
        public Set<String> erasedIn(String projectId) {
            return Set.of();
        }

        @Override
        public Map<String, Set<String>> all() {
            return Map.of();
        }

        @Override
        public CompletionStage<Void> loaded() {
            return CompletableFuture.completedFuture(null);
        }
    };
}
