package dev.northstar.ingest.adapter.in.rest;

import dev.northstar.platform.problem.ProblemException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The JSON Schemas (draft 2020-12) of what producers send, at stable URLs: {@code
 * /v1/schemas/event.json} and {@code /v1/schemas/batch.json}. They ship in shared-model, next
 * to the records they are checked against.
 */
@Path("/v1/schemas")
public class SchemasResource {

    private static final Map<String, String> FILES = Map.of("event.json", "event.json", "batch.json", "batch.json");
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    @GET
    @Path("/{name}")
    @Produces("application/schema+json")
    @Operation(summary = "JSON Schema of a producer-facing payload (event.json, batch.json)")
    @APIResponse(responseCode = "200", description = "The schema")
    @APIResponse(responseCode = "404", description = "No such schema (problem+json)")
    public Response schema(@PathParam("name") String name) {
        String file = FILES.get(name);
        if (file == null) {
            throw ProblemException.notFound("No schema " + name + "; there are event.json and batch.json");
        }
        byte[] body = cache.computeIfAbsent(file, SchemasResource::load);
        CacheControl cache = new CacheControl();
        cache.setMaxAge(3600);
        return Response.ok(body, "application/schema+json").cacheControl(cache).build();
    }

    private static byte[] load(String file) {
        try (InputStream in = SchemasResource.class.getResourceAsStream("/dev/northstar/model/schemas/v1/" + file)) {
            if (in == null) {
                throw new IllegalStateException("Schema " + file + " is missing from shared-model");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
