package dev.northstar.ingest.adapter.in.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.ingest.application.IngestEvents;
import dev.northstar.ingest.application.RateLimiter;
import dev.northstar.ingest.application.SegmentMapping;
import dev.northstar.model.event.EventBatchResult;
import dev.northstar.model.json.NorthstarJson;
import dev.northstar.platform.usecase.Refused;
import dev.northstar.registry.KeyAuthenticator;
import dev.northstar.registry.KeyRole;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code /v1/segment/*}: Segment's HTTP Tracking API, so an app instrumented with a Segment SDK sends
 * to Northstar by changing one URL. The write key is the Basic-auth user name, as Segment's SDKs send
 * it (or the payload's {@code writeKey}, as Segment's Java library does). Messages are mapped to Northstar events ({@link SegmentMapping}) and ingested as
 * {@code /v1/events} does; the answer is Segment's shape: 200 {@code {"success": true}} (plus what
 * was accepted, rejected and ignored, per message), and {@code {"success": false, "message": ...}}
 * with the status its SDKs act on (400 and 401 dropped, 429 and 503 retried after Retry-After).
 */
@Path("/v1/segment")
public class SegmentResource {

    private final IngestEvents ingestEvents;
    private final KeyAuthenticator keys;
    private final java.time.Clock clock;
    private final RateLimiter rateLimiter;

    public SegmentResource(IngestEvents ingestEvents, KeyAuthenticator keys, java.time.Clock clock,
                           RateLimiter rateLimiter) {
        this.ingestEvents = ingestEvents;
        this.keys = keys;
        this.clock = clock;
        this.rateLimiter = rateLimiter;
    }

    /** {@code /batch}, and {@code /import}: the path Segment's Java and older SDKs post a batch to. */
    @POST
    @Path("/{path: batch|import}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Segment batch", description = "Segment's /v1/batch (also at /v1/segment/import): "
            + "{\"batch\": [messages], \"sentAt\"}. track and identify are counted; page, screen, group and "
            + "alias accepted and ignored.")
    @APIResponse(responseCode = "200", description = "{\"success\": true, \"accepted\", \"rejected\", \"ignored\", \"results\"}")
    public Uni<Response> batch(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body,
                               @Context HttpServerRequest request) {
        return handle(authorization, ClientAddress.of(request), body, message -> SegmentMapping.batch(message, clock.instant()));
    }

    @POST
    @Path("/track")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One Segment track message")
    public Uni<Response> track(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body,
                               @Context HttpServerRequest request) {
        return handle(authorization, ClientAddress.of(request), body, message -> SegmentMapping.single(message, "track", clock.instant()));
    }

    @POST
    @Path("/identify")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One Segment identify message", description = "With both anonymousId and userId: "
            + "user_identified (one person from then on); with a userId only: accepted and ignored.")
    public Uni<Response> identify(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body,
                               @Context HttpServerRequest request) {
        return handle(authorization, ClientAddress.of(request), body, message -> SegmentMapping.single(message, "identify", clock.instant()));
    }

    private Uni<Response> handle(String authorization, String from, byte[] body, Function<JsonNode, SegmentMapping.Mapped> mapping) {
        SegmentMapping.Mapped mapped;
        String key;
        try {
            JsonNode payload = parse(body);
            key = writeKey(authorization, payload);
            mapped = mapping.apply(payload);
        } catch (Refused refused) {
            return Uni.createFrom().item(refusal(refused));
        }
        int messages = mapped.batch().get("events").size() + mapped.ignored();
        if (mapped.batch().get("events").isEmpty()) {
            return keys.project("Bearer " + key, KeyRole.WRITE, from)
                    .invoke(chargeIgnored(mapped))
                    .map(project -> success(0, 0, mapped.ignored(), results(null, mapped.ignoredIndexes(), messages)))
                    .onFailure(Refused.class).recoverWithItem(f -> refusal((Refused) f));
        }
        byte[] events = mapped.batch().toString().getBytes(StandardCharsets.UTF_8);
        return keys.project("Bearer " + key, KeyRole.WRITE, from)
                .invoke(chargeIgnored(mapped))
                .chain(projectId -> ingestEvents.ingest(projectId, events))
                .map(result -> success(result.accepted(), result.rejected(), mapped.ignored(),
                        results(result, mapped.ignoredIndexes(), messages)))
                .onFailure(Refused.class).recoverWithItem(f -> refusal((Refused) f));
    }

    /**
     * Ignored messages count toward the write key's rate like the others (the events are charged by
     * ingest): accepted and ignored is still work, and free work is what a flood would send.
     */
    private java.util.function.Consumer<String> chargeIgnored(SegmentMapping.Mapped mapped) {
        return projectId -> {
            if (mapped.ignored() > 0) {
                rateLimiter.admit(projectId, mapped.ignored());
            }
        };
    }

    /**
     * Per message of the payload, in its order: ok, rejected (with the error, named by its batch index) or
     * ignored. In one pass ({@code ignored} is in ascending order): linear in the messages.
     */
    static List<Map<String, Object>> results(EventBatchResult result, List<Integer> ignored, int messages) {
        List<Map<String, Object>> out = new ArrayList<>(messages);
        int next = 0;
        int nextIgnored = 0;
        for (int i = 0; i < messages; i++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("index", i);
            if (nextIgnored < ignored.size() && ignored.get(nextIgnored) == i) {
                nextIgnored++;
                r.put("status", "ignored");
            } else {
                EventBatchResult.EventResult e = result.results().get(next);
                if (e.eventId() != null) {
                    r.put("messageId", e.eventId());
                }
                r.put("status", e.status().name());
                if (e.error() != null) {
                    r.put("error", e.error().replaceFirst("^events\\[" + next + "]", "batch[" + i + "]"));
                }
                next++;
            }
            out.add(r);
        }
        return out;
    }

    private static Response success(long accepted, long rejected, int ignored, List<Map<String, Object>> results) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("success", true);
        body.put("accepted", accepted);
        body.put("rejected", rejected);
        body.put("ignored", ignored);
        body.put("results", results);
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** Segment's error shape, with the status its SDKs act on. */
    private static Response refusal(Refused refused) {
        int status = switch (refused.reason()) {
            case INVALID -> 400;
            case NOT_AUTHENTICATED -> 401;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case RATE_LIMITED -> 429;
            case UNAVAILABLE -> 503;
        };
        var response = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("success", false, "message", refused.getMessage()));
        refused.retryAfter().ifPresent(d -> response.header("Retry-After", Math.max(1, d.toSeconds())));
        return response.build();
    }

    /**
     * The write key as Segment's SDKs send it: the Basic-auth user name ({@code Authorization: Basic
     * base64(writeKey:)}), else the payload's {@code writeKey} (Segment's Java library).
     */
    static String writeKey(String authorization, JsonNode payload) {
        String required = "The write key is required as the Basic-auth user name (Authorization: Basic "
                + "base64(writeKey:)) or the payload's writeKey";
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            if (payload != null && payload.path("writeKey").isTextual() && !payload.get("writeKey").asText().isBlank()) {
                return payload.get("writeKey").asText();
            }
            throw Refused.notAuthenticated(required);
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Refused.notAuthenticated(required);
        }
        int colon = decoded.indexOf(':');
        String key = colon < 0 ? decoded : decoded.substring(0, colon);
        if (key.isBlank()) {
            throw Refused.notAuthenticated(required);
        }
        return key;
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw Refused.invalid("The request body is empty");
        }
        try {
            return NorthstarJson.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw Refused.invalid(NorthstarJson.describe(e));
        } catch (java.io.IOException e) {
            throw Refused.invalid("The request body could not be read");
        }
    }
}
