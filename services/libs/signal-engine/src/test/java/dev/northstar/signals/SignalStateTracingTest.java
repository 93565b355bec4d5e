package dev.northstar.signals;

import dev.northstar.model.event.ProductEvent;
import dev.northstar.model.snapshot.DeadLetter;
import dev.northstar.platform.messaging.DeadLetters;
import dev.northstar.platform.messaging.IncomingRecords;
import dev.northstar.platform.messaging.SnapshotSender;
import dev.northstar.platform.tracing.Tracing;
import dev.northstar.signals.store.MemoryStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A consumed batch is one span of the trace its first sampled record carries, linked to the
 * others' traces; the snapshots it changed are published as part of that span's trace.
 */
class SignalStateTracingTest {

    private static final String TOPIC = "northstar.events.v2";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();

    @AfterEach
    void close() {
        openTelemetry.close();
    }

    private SignalState<ProductEvent, Long> state(Tracing tracing) {
        List<DeadLetter> letters = new ArrayList<>();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        DeadLetters dlq = new DeadLetters(dev.northstar.testkit.DeadLetterTopics.collecting(letters), meters, CLOCK, "test");
        SignalState<ProductEvent, Long> state = new SignalState<>("test", InputReader.productEvents(),
                SignalStateTest.UsersLedger.CODEC, new MemoryStore(), new IncomingRecords(dlq), dlq, CLOCK, meters);
        state.tracing(tracing);
        state.assigned(List.of(P0, P1), new SignalStateTest.Positions());
        return state;
    }

    private static ConsumerRecord<String, byte[]> event(TopicPartition partition, long offset, String project,
                                                        String eventId, String traceparent) {
        String json = "{\"schemaVersion\":\"1.0\",\"eventId\":\"" + eventId + "\",\"type\":\"feature_used\",\"projectId\":\""
                + project + "\",\"userId\":\"u-" + eventId + "\",\"feature\":\"export\",\"occurredAt\":\"2026-11-28T10:00:00Z\","
                + "\"receivedAt\":\"2026-11-28T11:00:00Z\",\"clockCorrected\":false,\"properties\":{}}";
        RecordHeaders headers = new RecordHeaders();
        if (traceparent != null) {
            headers.add(Tracing.TRACEPARENT, traceparent.getBytes(StandardCharsets.US_ASCII));
        }
        byte[] value = json.getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>(TOPIC, partition.partition(), offset, CLOCK.millis(),
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, value.length,
                dev.northstar.model.topic.Topics.eventKey(project, "u-" + eventId), value,
                headers, Optional.empty());
    }

    @SafeVarargs
    private static ConsumerRecords<String, byte[]> batch(ConsumerRecord<String, byte[]>... records) {
        Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> byPartition = new HashMap<>();
        for (var r : records) {
            byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), p -> new ArrayList<>()).add(r);
        }
        return new ConsumerRecords<>(byPartition, Map.of());
    }

    private static final String TRACE_A = "0af7651916cd43dd8448eb211c80319c";
    private static final String TRACE_B = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String TRACE_C = "11111111111111111111111111111111";

    @Test
    void aBatchIsOneSpanOfItsFirstSampledTraceLinkedToTheOthersAndItsSnapshotsCarryIt() {
        SignalState<ProductEvent, Long> state = state(Tracing.with(openTelemetry));
        state.consume(batch(
                event(P0, 0, "a", "e1", "00-" + TRACE_A + "-b7ad6b7169203331-01"),
                event(P0, 1, "a", "e2", null),
                event(P1, 0, "b", "e3", "00-" + TRACE_B + "-00f067aa0ba902b7-01"),
                event(P1, 1, "b", "e4", "00-" + TRACE_C + "-00f067aa0ba902b8-00"))); // not sampled: not followed

        assertThat(spans.getFinishedSpanItems()).hasSize(1);
        SpanData span = spans.getFinishedSpanItems().get(0);
        assertThat(span.getName()).isEqualTo("process " + TOPIC);
        assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
        // The child of the first sampled record the batch holds (partitions come in no set order), linked to the other.
        String parent = span.getTraceId().equals(TRACE_A) ? "b7ad6b7169203331" : "00f067aa0ba902b7";
        String other = span.getTraceId().equals(TRACE_A) ? TRACE_B : TRACE_A;
        assertThat(span.getTraceId()).isIn(TRACE_A, TRACE_B);
        assertThat(span.getParentSpanId()).isEqualTo(parent);
        assertThat(span.getLinks()).extracting(LinkData::getSpanContext).extracting(SpanContext::getTraceId)
                .containsExactly(other);
        assertThat(span.getAttributes().asMap().toString()).contains("messaging.batch.message_count=4");

        List<SnapshotSender.Versioned<Long>> drained = state.drainChangedVersioned();
        assertThat(drained).extracting(v -> v.snapshot().key()).containsExactlyInAnyOrder("a", "b");
        assertThat(drained).allSatisfy(v -> assertThat(v.trace()).isEqualTo(span.getSpanContext()));

        // Untraced input changes snapshots that carry no trace; nothing more is recorded.
        state.consume(batch(event(P0, 2, "a", "e5", null)));
        assertThat(state.drainChangedVersioned()).singleElement().satisfies(v -> assertThat(v.trace()).isNull());
        assertThat(spans.getFinishedSpanItems()).hasSize(1);
    }

    @Test
    void withTracingOffNothingIsReadOrRecorded() {
        SignalState<ProductEvent, Long> state = state(Tracing.off());
        state.consume(batch(event(P0, 0, "a", "e1", "00-" + TRACE_A + "-b7ad6b7169203331-01")));
        assertThat(state.drainChangedVersioned()).singleElement().satisfies(v -> assertThat(v.trace()).isNull());
        assertThat(spans.getFinishedSpanItems()).isEmpty();
    }
}
