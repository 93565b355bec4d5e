package dev.northstar.ingest.adapter.in.rest;

import dev.northstar.ingest.config.IngestConfig;
import dev.northstar.platform.problem.Problem;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.io.ByteArrayInputStream;

/**
 * Reads a {@code POST /v1/events} body of unknown length (chunked) itself, before Quarkus REST
 * would, and stops at the limit: over it, the producer gets 413 problem+json and the connection is
 * closed once the answer is out; nothing past the limit is kept. A declared length over the limit
 * never gets this far ({@link RequestLimitsFilter} answers first); a body within the limit is handed
 * to the resource as its entity.
 */
class ChunkedBodyLimit {

    private final long maxBodyBytes;

    ChunkedBodyLimit(IngestConfig config) {
        this.maxBodyBytes = config.maxBodyBytes();
    }

    @ServerRequestFilter
    Uni<Response> readChunkedBody(ContainerRequestContext context, ResourceInfo resource, RoutingContext routing) {
        HttpServerRequest request = routing.request();
        if (resource.getResourceClass() != EventsResource.class || request.getHeader(HttpHeaders.CONTENT_LENGTH) != null
                || request.isEnded()) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().emitter(emitter -> {
            Buffer body = Buffer.buffer();
            boolean[] refused = {false};
            request.handler(chunk -> {
                if (refused[0]) {
                    return; // the answer is out; what still arrives is dropped until the connection closes
                }
                if (body.length() + chunk.length() > maxBodyBytes) {
                    refused[0] = true;
                    routing.response().endHandler(done -> request.connection().close());
                    emitter.complete(tooLarge());
                    return;
                }
                body.appendBuffer(chunk);
            });
            request.exceptionHandler(failure -> {
                if (!refused[0]) {
                    emitter.fail(failure);
                }
            });
            request.endHandler(end -> {
                if (!refused[0]) {
                    context.setEntityStream(new ByteArrayInputStream(body.getBytes()));
                    emitter.complete(null);
                }
            });
            request.resume();
        });
    }

    private Response tooLarge() {
        return Response.status(Response.Status.REQUEST_ENTITY_TOO_LARGE).type(Problem.PROBLEM_JSON)
                .header(HttpHeaders.CONNECTION.toString(), "close")
                .entity(Problem.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "The body must be at most " + maxBodyBytes
                        + " bytes (1 MiB); this chunked body went past that and was not read further. Split the batch."))
                .build();
    }
}
