package dev.northstar.ingest.adapter.in.rest;

import dev.northstar.ingest.application.IngestEvents;
import dev.northstar.registry.KeyRole;
import dev.northstar.registry.KeyAuthenticator;
import dev.northstar.model.event.EventBatchResult;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.Context;
import io.vertx.core.http.HttpServerRequest;
import dev.northstar.platform.rest.ClientAddress;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import dev.northstar.platform.problem.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** {@code POST /v1/events}: the collector's front door. */
@Path("/v1/events")
public class EventsResource {

    private final IngestEvents ingestEvents;
    private final KeyAuthenticator keys;

    public EventsResource(IngestEvents ingestEvents, KeyAuthenticator keys) {
        this.ingestEvents = ingestEvents;
        this.keys = keys;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Publish a batch of product events",
            description = "Answers 202 once Kafka acknowledged every accepted event. The project comes from the "
                    + "write key, never from the body.")
    @APIResponse(responseCode = "202", description = "Per-event results in input order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "one rejected",
                    value = ApiExamples.BATCH_RESULT)))
    @APIResponse(responseCode = "400", description = "Malformed JSON or not a batch",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "malformed",
                    value = ApiExamples.MALFORMED)))
    @APIResponse(responseCode = "401", description = "Missing or wrong write key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "no write key",
                    value = ApiExamples.NO_WRITE_KEY)))
    @APIResponse(responseCode = "408", description = "The request did not arrive whole in time (slow client)",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "slow client",
                    value = ApiExamples.SLOW_CLIENT)))
    @APIResponse(responseCode = "413", description = "Body over 1 MiB or more than 500 events",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "too many events",
                    value = ApiExamples.TOO_MANY_EVENTS)))
    @APIResponse(responseCode = "415", description = "Content-Type is not application/json",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "not JSON",
                    value = ApiExamples.NOT_JSON)))
    @APIResponse(responseCode = "429", description = "This key sent more than its rate; retry after Retry-After",
            headers = @Header(name = "Retry-After", description = "Seconds to wait"),
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "over the rate",
                    value = ApiExamples.RATE_LIMITED)))
    @APIResponse(responseCode = "503", description = "Kafka cannot take the events (or the registry is still "
            + "loading); nothing of the batch may be counted as stored; retry after Retry-After",
            headers = @Header(name = "Retry-After", description = "Seconds to wait"),
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "Kafka away",
                    value = ApiExamples.KAFKA_AWAY)))
    public Uni<Response> publish(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body,
                                 @Context HttpServerRequest request) {
        return keys.project(authorization, KeyRole.WRITE, ClientAddress.of(request))
                .chain(projectId -> ingestEvents.ingest(projectId, body))
                .onItem().transform((EventBatchResult result) -> Response.accepted(result).build());
    }
}
