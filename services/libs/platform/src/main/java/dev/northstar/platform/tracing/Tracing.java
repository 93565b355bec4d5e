package dev.northstar.platform.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.context.propagation.TextMapSetter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;

/**
 * One trace per sampled request, from ingest's HTTP span through Kafka to the consumers' batches and
 * the snapshots and recommendations they publish (docs/operations.md, "Tracing"). The context
 * travels in W3C {@code traceparent} record headers, written only for sampled traces. The
 * connector's own per-record tracing is off: a consumer's batch is one span, the child of the
 * first sampled record in it, linked to the others (at most {@value #MAX_LINKS}); a publish is one
 * span per parent, not one per record. Off ({@link #enabled()} false) unless the OpenTelemetry SDK
 * is on ({@code OTEL_SDK_DISABLED=false}); then nothing here reads a header.
 */
@ApplicationScoped
public class Tracing {

    public static final String TRACEPARENT = "traceparent";
    static final int MAX_LINKS = 32;

    private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("messaging.system");
    private static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");
    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("messaging.operation.type");
    private static final AttributeKey<Long> COUNT = AttributeKey.longKey("messaging.batch.message_count");

    private static final TextMapGetter<Headers> FROM_HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            return StreamSupport.stream(headers.spliterator(), false).map(Header::key).toList();
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    private static final TextMapSetter<Headers> TO_HEADERS = (headers, key, value) -> {
        if (headers != null) {
            headers.remove(key);
            headers.add(key, value.getBytes(StandardCharsets.UTF_8));
        }
    };

    private final boolean enabled;
    private final Tracer tracer;
    private final TextMapPropagator propagator;

    @Inject
    Tracing(OpenTelemetry openTelemetry,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "false") boolean sdkDisabled) {
        this(!sdkDisabled, openTelemetry);
    }

    private Tracing(boolean enabled, OpenTelemetry openTelemetry) {
        this.enabled = enabled;
        this.tracer = openTelemetry.getTracer("dev.northstar");
        this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    }

    /** Tracing with the given OpenTelemetry (tests, tools). */
    public static Tracing with(OpenTelemetry openTelemetry) {
        return new Tracing(true, openTelemetry);
    }

    /** No tracing at all. */
    public static Tracing off() {
        return new Tracing(false, OpenTelemetry.noop());
    }

    /** Whether spans are recorded at all; when not, callers skip looking for contexts. */
    public boolean enabled() {
        return enabled;
    }

    /** The sampled trace a record carries in its headers, if any. */
    public Optional<SpanContext> carried(ConsumerRecord<?, ?> record) {
        if (!enabled || record.headers().lastHeader(TRACEPARENT) == null) {
            return Optional.empty();
        }
        SpanContext context = Span.fromContext(propagator.extract(Context.root(), record.headers(), FROM_HEADERS))
                .getSpanContext();
        return context.isValid() && context.isSampled() ? Optional.of(context) : Optional.empty();
    }

    /** The sampled traces of a batch's records, in record order, each once. */
    public List<SpanContext> carried(Iterable<? extends ConsumerRecord<?, ?>> records) {
        List<SpanContext> found = new ArrayList<>();
        if (!enabled) {
            return found;
        }
        for (ConsumerRecord<?, ?> record : records) {
            carried(record).filter(c -> !found.contains(c)).ifPresent(found::add);
        }
        return found;
    }

    /**
     * A span for processing records of {@code topic} that carried the given traces: the child of the
     * first, linked to the others. Not started (an invalid span) when none was carried.
     */
    public Span processing(String topic, int records, List<SpanContext> carried) {
        if (!enabled || carried.isEmpty()) {
            return Span.getInvalid();
        }
        SpanBuilder span = tracer.spanBuilder("process " + topic).setSpanKind(SpanKind.CONSUMER)
                .setParent(Context.root().with(Span.wrap(carried.get(0))))
                .setAttribute(SYSTEM, "kafka").setAttribute(DESTINATION, topic).setAttribute(OPERATION, "process")
                .setAttribute(COUNT, (long) records);
        carried.stream().skip(1).limit(MAX_LINKS).forEach(span::addLink);
        return span.startSpan();
    }

    /** A span for publishing records to {@code topic} on behalf of {@code parent} (invalid when there is none). */
    public Span publishing(String topic, int records, SpanContext parent) {
        if (!enabled || parent == null || !parent.isValid() || !parent.isSampled()) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder("publish " + topic).setSpanKind(SpanKind.PRODUCER)
                .setParent(Context.root().with(Span.wrap(parent)))
                .setAttribute(SYSTEM, "kafka").setAttribute(DESTINATION, topic).setAttribute(OPERATION, "send")
                .setAttribute(COUNT, (long) records).startSpan();
    }

    /** The span the caller runs in, when it is sampled (ingest's HTTP request). */
    public Optional<SpanContext> current() {
        if (!enabled) {
            return Optional.empty();
        }
        SpanContext context = Span.current().getSpanContext();
        return context.isValid() && context.isSampled() ? Optional.of(context) : Optional.empty();
    }

    /** Writes the span's context into a record's headers, when it is sampled. */
    public void inject(Span span, Headers headers) {
        if (span.getSpanContext().isValid() && span.getSpanContext().isSampled()) {
            propagator.inject(Context.root().with(span), headers, TO_HEADERS);
        }
    }
}
