package dev.northstar.ingest.adapter.in.rest;

import dev.northstar.ingest.config.IngestConfig;
import dev.northstar.kit.problem.Problem;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;

/**
 * Answers 413 problem+json for a declared body over the limit before any of it is read. (A chunked
 * body over the limit is cut off by the HTTP layer's own limit, {@code quarkus.http.limits.max-body-size}.)
 */
@ApplicationScoped
class BodyLimitFilter {

    private final long maxBodyBytes;

    BodyLimitFilter(IngestConfig config) {
        this.maxBodyBytes = config.maxBodyBytes();
    }

    void register(@Observes Filters filters) {
        filters.register(this::limit, 100);
    }

    void limit(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (context.request().method() == HttpMethod.POST && length != null
                && context.normalizedPath().equals("/v1/events") && tooLong(length)) {
            String body = "{\"type\":\"/problems/request-entity-too-large\",\"title\":\"Request Entity Too Large\","
                    + "\"status\":413,\"detail\":\"The body must be at most " + maxBodyBytes + " bytes (1 MiB); "
                    + "it declares " + length.trim() + ". Split the batch.\"}";
            context.response().setStatusCode(Response.Status.REQUEST_ENTITY_TOO_LARGE.getStatusCode())
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end(body);
            return;
        }
        context.next();
    }

    private boolean tooLong(String length) {
        try {
            return Long.parseLong(length.trim()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            return false; // the HTTP layer refuses a malformed Content-Length itself
        }
    }
}
