package dev.northstar.ingest.adapter.in.rest;

import dev.northstar.ingest.config.IngestConfig;
import dev.northstar.platform.problem.Problem;
import dev.northstar.model.json.NorthstarJson;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

/**
 * Limits a request before any of its body is read, in the HTTP layer:
 * <ul>
 *   <li>a declared body ({@code Content-Length}) over the limit answers 413 at once;</li>
 *   <li>a chunked body of {@code POST /v1/events} that grows over the limit is answered 413 by
 *       {@link ChunkedBodyLimit} (which reads it, up to the limit, before the REST layer would);
 *       {@code quarkus.http.limits.max-body-size} stays as the HTTP layer's own backstop;</li>
 *   <li>a request that has not arrived whole within {@code northstar.ingest.request-read-timeout}
 *       (a slow or dribbling client) answers 408 and its connection is closed.</li>
 * </ul>
 */
@ApplicationScoped
class RequestLimitsFilter {

    private static final Logger LOG = Logger.getLogger(RequestLimitsFilter.class);

    private final long maxBodyBytes;
    private final long readTimeoutMillis;
    private final Vertx vertx;

    RequestLimitsFilter(IngestConfig config, Vertx vertx) {
        this.maxBodyBytes = config.maxBodyBytes();
        this.readTimeoutMillis = Math.max(1, config.requestReadTimeout().toMillis());
        this.vertx = vertx;
    }

    void register(@Observes Filters filters) {
        filters.register(this::limit, 100);
    }

    void limit(RoutingContext context) {
        String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
        if (context.request().method() == HttpMethod.POST && length != null && tooLong(length)) {
            answer(context.response(), problem(Response.Status.REQUEST_ENTITY_TOO_LARGE,
                    "The body must be at most " + maxBodyBytes + " bytes (1 MiB); it declares " + length.trim()
                            + ". Split the batch."));
            return;
        }
        if (!context.request().isEnded()) {
            long timer = vertx.setTimer(readTimeoutMillis, id -> cutOff(context));
            context.addEndHandler(done -> vertx.cancelTimer(timer));
            context.request().connection().closeHandler(closed -> vertx.cancelTimer(timer));
        }
        context.next();
    }

    private void cutOff(RoutingContext context) {
        if (context.request().isEnded() || context.response().ended()) {
            return;
        }
        LOG.debugf("Closing a connection whose request did not arrive within %d ms", readTimeoutMillis);
        answer(context.response(), problem(Response.Status.REQUEST_TIMEOUT,
                "The request did not arrive whole within " + readTimeoutMillis + " ms; the connection is closed."));
        context.request().connection().close();
    }

    private static Problem problem(Response.Status status, String detail) {
        return Problem.of(status, detail);
    }

    private static void answer(HttpServerResponse response, Problem problem) {
        if (response.headWritten()) {
            return;
        }
        String body;
        try {
            body = NorthstarJson.mapper().writeValueAsString(problem);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        response.setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(body);
    }

    private boolean tooLong(String length) {
        try {
            return Long.parseLong(length.trim()) > maxBodyBytes;
        } catch (NumberFormatException e) {
            return false; // the HTTP layer refuses a malformed Content-Length itself
        }
    }
}
