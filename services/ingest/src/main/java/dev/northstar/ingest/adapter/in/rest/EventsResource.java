package dev.northstar.ingest.adapter.in.rest;

import dev.northstar.ingest.application.IngestEvents;
import dev.northstar.kit.registry.KeyRole;
import dev.northstar.kit.registry.KeyAuthenticator;
import dev.northstar.model.event.EventBatchResult;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
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
    @APIResponse(responseCode = "202", description = "Per-event results in input order")
    @APIResponse(responseCode = "400", description = "Malformed JSON or not a batch (problem+json)")
    @APIResponse(responseCode = "401", description = "Missing or wrong write key (problem+json)")
    @APIResponse(responseCode = "413", description = "Body over 1 MiB or more than 500 events (problem+json)")
    @APIResponse(responseCode = "415", description = "Content-Type is not application/json (problem+json)")
    @APIResponse(responseCode = "429", description = "This key sent more than its rate; retry after Retry-After")
    @APIResponse(responseCode = "503", description = "Kafka cannot take the events (or the registry is still "
            + "loading); retry after Retry-After")
    public Uni<Response> publish(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        String projectId = keys.projectOf(authorization, KeyRole.WRITE);
        return ingestEvents.ingest(projectId, body)
                .onItem().transform((EventBatchResult result) -> Response.accepted(result).build());
    }
}
