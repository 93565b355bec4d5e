package dev.northstar.insights.adapter.in.messaging;

import io.opentelemetry.api.trace.SpanContext;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the next publish of recommendations carries on from the signals applied since the last one:
 * per project, the span of the first traced signal (the publish becomes part of that trace), and
 * the write time of the oldest signal applied (freshness is measured from it).
 */
@ApplicationScoped
public class PendingPublish {

    private final Map<String, SpanContext> traced = new ConcurrentHashMap<>();
    private final AtomicLong oldestApplied = new AtomicLong(Long.MAX_VALUE);

    void traced(String projectId, SpanContext span) {
        traced.putIfAbsent(projectId, span);
    }

    public void applied(long writtenAtMillis) {
        oldestApplied.accumulateAndGet(writtenAtMillis, Math::min);
    }

    /** Takes the trace of a project about to be published, if it has one. */
    public SpanContext takeTrace(String projectId) {
        return traced.remove(projectId);
    }

    /** Takes the write time of the oldest signal applied since the last take (Long.MAX_VALUE: none). */
    public long takeOldestApplied() {
        return oldestApplied.getAndSet(Long.MAX_VALUE);
    }
}
