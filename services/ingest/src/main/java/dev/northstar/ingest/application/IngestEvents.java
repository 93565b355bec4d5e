package dev.northstar.ingest.application;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.ingest.config.IngestConfig;
import dev.northstar.ingest.domain.BatchOutcome;
import dev.northstar.ingest.domain.InFlightLimit;
import dev.northstar.platform.usecase.Refused;
import dev.northstar.model.event.EventBatchResult;
import dev.northstar.model.event.EventValidator;
import dev.northstar.model.json.NorthstarJson;
import dev.northstar.model.project.ProjectEvent;
import dev.northstar.registry.ProjectRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The use case behind {@code POST /v1/events}: parse a batch, validate each event, publish the
 * valid ones, and answer only once Kafka acknowledged them.
 */
@ApplicationScoped
public class IngestEvents {

    private static final Logger LOG = Logger.getLogger(IngestEvents.class);

    private final EventPublisher publisher;
    private final IngestConfig config;
    private final Clock clock;
    private final EventValidator validator;
    private final MeterRegistry meters;
    private final RateLimiter rateLimiter;
    private final Timer sendLatency;
    private final InFlightLimit inFlight;
    private final ActorIds actorIds;
    private final ProjectRegistry registry;

    public IngestEvents(EventPublisher publisher, IngestConfig config, Clock clock, MeterRegistry meters,
                        RateLimiter rateLimiter, ActorIds actorIds, ProjectRegistry registry) {
        this.actorIds = actorIds;
        this.registry = registry;
        this.publisher = publisher;
        this.config = config;
        this.clock = clock;
        this.validator = new EventValidator(clock);
        this.meters = meters;
        this.rateLimiter = rateLimiter;
        this.inFlight = new InFlightLimit(config.maxInFlightEvents());
        meters.gauge("northstar_ingest_in_flight_capacity_free", inFlight, InFlightLimit::available);
        // Registered at zero, so alert rules see the series before the first refusal.
        meters.counter("northstar_ingest_unavailable", "cause", "in-flight-full");
        meters.counter("northstar_ingest_unavailable", "cause", "kafka");
        this.sendLatency = Timer.builder("northstar_ingest_kafka_send")
                .description("From handing a batch's events to the producer until Kafka acknowledged all of them")
                .publishPercentileHistogram()
                .register(meters);
    }

    /**
     * @param projectId the project of the write key (never taken from the body)
     * @param body      the raw request body
     */
    public Uni<EventBatchResult> ingest(String projectId, byte[] body) {
        Instant receivedAt = clock.instant();
        JsonNode batch = parse(body);
        Optional<Instant> sentAt = sentAt(batch);
        JsonNode events = batch.get("events");
        if (events == null || !events.isArray()) {
            throw Refused.invalid("events: is required and must be an array of events");
        }
        if (events.isEmpty()) {
            throw Refused.invalid("events: must contain at least one event");
        }
        if (events.size() > config.maxBatchEvents()) {
            throw Refused.tooLarge("events: at most " + config.maxBatchEvents() + " events per request, got "
                    + events.size());
        }
        rateLimiter.admit(projectId, events.size());
        var context = new EventValidator.Context(projectId, receivedAt, sentAt);
        List<EventValidator.Outcome> outcomes = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            outcomes.add(validator.validate(events.get(i), "events[" + i + "]", context));
        }
        if (registry.catalogueMode(projectId) == ProjectEvent.CatalogueMode.STRICT) {
            for (int i = 0; i < outcomes.size(); i++) {
                if (outcomes.get(i) instanceof EventValidator.Valid valid && valid.event().feature() != null
                        && registry.declared(projectId, valid.event().feature()).isEmpty()) {
                    String feature = valid.event().feature();
                    outcomes.set(i, new EventValidator.Invalid(valid.event().eventId(), "events[" + i + "].feature: '"
                            + feature + "' is not declared in the catalogue of project " + projectId + ", which is "
                            + "strict: declare it (PUT /v1/admin/projects/" + projectId + "/features/" + feature
                            + ") or set the catalogue to open"));
                }
            }
        }
        BatchOutcome outcome = BatchOutcome.of(outcomes);
        EventBatchResult result = outcome.toResult();
        meters.counter("northstar_ingest_batches").increment();
        if (outcome.accepted().isEmpty()) {
            count(result);
            return Uni.createFrom().item(result);
        }
        int sending = outcome.accepted().size();
        if (!inFlight.tryAcquire(sending)) {
            meters.counter("northstar_ingest_unavailable", "cause", "in-flight-full").increment();
            throw Refused.unavailable("Too many events are waiting for Kafka right now; retry shortly.",
                    config.retryAfter());
        }
        long started = System.nanoTime();
        return publisher.publish(actorIds.stored(outcome.accepted()))
                .onTermination().invoke(() -> inFlight.release(sending))
                .onItem().invoke(() -> sendLatency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS))
                .ifNoItem().after(config.deliveryTimeout()).failWith(TimeoutException::new)
                .onItem().transform(done -> {
                    count(result);
                    return result;
                })
                .onFailure().transform(failure -> {
                    meters.counter("northstar_ingest_unavailable", "cause", "kafka").increment();
                    LOG.warnf("Kafka did not acknowledge %d events of project %s: %s", outcome.accepted().size(),
                            projectId, failure.toString());
                    return Refused.unavailable(
                            "Kafka did not acknowledge the events in time; nothing of this batch may be "
                                    + "counted as stored. Retry the whole batch: event ids make retries safe.",
                            config.retryAfter());
                });
    }

    private void count(EventBatchResult result) {
        meters.counter("northstar_ingest_events", "status", "accepted", "reason", "none").increment(result.accepted());
        for (EventBatchResult.EventResult r : result.results()) {
            if (r.status() == EventBatchResult.EventResult.Status.rejected) {
                meters.counter("northstar_ingest_events", "status", "rejected", "reason", reason(r.error())).increment();
            }
        }
    }

    /** The field an error is about ({@code events[3].feature: ...} is {@code feature}): a bounded tag. */
    static String reason(String error) {
        String field = error.substring(0, Math.max(0, error.indexOf(':')));
        field = field.replaceFirst("^events\\[\\d+\\]\\.?", "");
        int dot = field.indexOf('.');
        field = dot > 0 ? field.substring(0, dot) : field;
        return field.matches("[A-Za-z]{1,20}") ? field : "event";
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw Refused.invalid("The request body is empty; send {\"events\": [...]}");
        }
        try {
            JsonNode node = NorthstarJson.mapper().readTree(body);
            if (node == null || node.isMissingNode()) {
                throw Refused.invalid("Malformed JSON: the document is empty; send {\"events\": [...]}");
            }
            if (!node.isObject()) {
                throw Refused.invalid("The request body must be a JSON object: {\"events\": [...]}");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw Refused.invalid(NorthstarJson.describe(e));
        } catch (java.io.IOException e) {
            throw Refused.invalid("The request body could not be read");
        }
    }

    private static Optional<Instant> sentAt(JsonNode batch) {
        JsonNode sentAt = batch.get("sentAt");
        if (sentAt == null || sentAt.isNull()) {
            return Optional.empty();
        }
        if (!sentAt.isTextual()) {
            throw Refused.invalid("sentAt: must be an ISO-8601 instant with offset, e.g. 2026-11-24T12:00:00Z");
        }
        try {
            return Optional.of(EventValidator.parseInstant(sentAt.asText(), "sentAt"));
        } catch (EventValidator.IllegalTimestamp e) {
            throw Refused.invalid(e.getMessage());
        }
    }
}
