package dev.northstar.notifier.adapter.in.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.model.notify.AlertType;
import dev.northstar.model.notify.Webhook;
import dev.northstar.model.notify.WebhookDelivery;
import dev.northstar.notifier.application.Webhooks;
import dev.northstar.platform.admin.AdminGuard;
import dev.northstar.platform.problem.Problem;
import dev.northstar.platform.rest.BearerToken;
import dev.northstar.platform.usecase.Refused;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code /v1/admin/projects/{projectId}/webhooks}: where a project's alerts go, for the operator holding
 * the admin token (401 without it, 429 after repeated failures from one address). Every change is audited.
 */
@Blocking
@Path("/v1/admin/projects/{projectId}/webhooks")
@APIResponse(responseCode = "404", description = "No such project (or webhook)",
        content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "not found", value = ApiExamples.NOT_FOUND)))
@APIResponse(responseCode = "401", description = "No valid admin token",
        content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "no token", value = ApiExamples.NO_ADMIN_TOKEN)))
public class WebhooksResource {

    /** How deliveries are signed, as the creation answer says it. */
    static final String SIGNING = "Northstar-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "
            + "\"<unix seconds>.\" + raw body)>";

    /** A webhook as listed: never its secret. */
    public record WebhookView(String id, String projectId, String url, List<AlertType> events, Instant createdAt) {
        static WebhookView of(Webhook w) {
            return new WebhookView(w.id(), w.projectId(), w.url(), w.events(), w.createdAt());
        }
    }

    /** A created webhook: the only answer that shows its secret. */
    public record CreatedWebhook(String id, String projectId, String url, List<AlertType> events, Instant createdAt,
                                 String secret, String signature) {
    }

    public record WebhookList(String projectId, List<WebhookView> webhooks) {
    }

    public record Deliveries(String webhookId, List<WebhookDelivery> deliveries) {
    }

    private final Webhooks webhooks;
    private final AdminGuard guard;

    public WebhooksResource(Webhooks webhooks, AdminGuard guard) {
        this.webhooks = webhooks;
        this.guard = guard;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a webhook",
            description = "Body {url, events}: url is http(s), at most 2048 characters, and must not point at a "
                    + "loopback, link-local or private address unless the operator allows its network; events are "
                    + "recommendation_changed and/or failure_spike (both when absent). The answer holds the signing "
                    + "secret: it is never shown again.")
    @APIResponse(responseCode = "201", description = "Created; the secret is in this answer only",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "created",
                    value = ApiExamples.CREATED)))
    @APIResponse(responseCode = "400", description = "The body is invalid; the detail names the field and the rule",
            content = @Content(mediaType = Problem.MEDIA_TYPE, examples = @ExampleObject(name = "refused address",
                    value = ApiExamples.BAD_URL)))
    public Response create(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @PathParam("projectId") String projectId, JsonNode body,
                           @Context HttpServerRequest request) {
        String from = authorized(authorization, request);
        Webhooks.Created created = audited(() -> webhooks.create(projectId, body), "webhook.create", projectId, from);
        Webhook w = created.webhook();
        return Response.created(URI.create("/v1/admin/projects/" + projectId + "/webhooks/" + w.id()))
                .entity(new CreatedWebhook(w.id(), w.projectId(), w.url(), w.events(), w.createdAt(), created.secret(),
                        SIGNING))
                .build();
    }

    @POST
    @Path("/{webhookId}/rotate-secret")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Give a webhook a new signing secret",
            description = "The answer holds the new secret: it is never shown again. For 24 hours after, each "
                    + "delivery's Northstar-Signature carries a second v1 signature made with the previous secret, "
                    + "so a receiver may switch secrets at its own pace.")
    @APIResponse(responseCode = "200", description = "Rotated; the new secret is in this answer only",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "rotated",
                    value = ApiExamples.CREATED)))
    public CreatedWebhook rotateSecret(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                       @PathParam("projectId") String projectId,
                                       @PathParam("webhookId") String webhookId, @Context HttpServerRequest request) {
        String from = authorized(authorization, request);
        Webhooks.Created rotated = audited(() -> webhooks.rotateSecret(projectId, webhookId),
                "webhook.rotate-secret " + AdminGuard.field(webhookId), projectId, from);
        Webhook w = rotated.webhook();
        return new CreatedWebhook(w.id(), w.projectId(), w.url(), w.events(), w.createdAt(), rotated.secret(), SIGNING);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A project's webhooks (without secrets)")
    @APIResponse(responseCode = "200", description = "The webhooks, oldest first", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "list", value = ApiExamples.LIST)))
    public WebhookList list(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                            @PathParam("projectId") String projectId, @Context HttpServerRequest request) {
        authorized(authorization, request);
        return new WebhookList(projectId, webhooks.list(projectId).stream().map(WebhookView::of).toList());
    }

    @GET
    @Path("/{webhookId}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "One webhook (without its secret)")
    @APIResponse(responseCode = "200", description = "The webhook", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "webhook", value = ApiExamples.WEBHOOK)))
    public WebhookView get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @PathParam("projectId") String projectId, @PathParam("webhookId") String webhookId,
                           @Context HttpServerRequest request) {
        authorized(authorization, request);
        return WebhookView.of(webhooks.get(projectId, webhookId));
    }

    @DELETE
    @Path("/{webhookId}")
    @Operation(summary = "Delete a webhook", description = "Its pending deliveries are given up.")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Response delete(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @PathParam("projectId") String projectId, @PathParam("webhookId") String webhookId,
                           @Context HttpServerRequest request) {
        String from = authorized(authorization, request);
        audited(() -> {
            webhooks.delete(projectId, webhookId);
            return webhookId;
        }, "webhook.delete " + AdminGuard.field(webhookId), projectId, from);
        return Response.noContent().build();
    }

    @GET
    @Path("/{webhookId}/deliveries")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A webhook's delivery log, newest first",
            description = "Each alert: its id (the idempotency id the receiver sees on every attempt), status "
                    + "(pending, delivered, gave_up), the next attempt's time, and every attempt with the status "
                    + "answered (0: none) and what went wrong.")
    @APIResponse(responseCode = "200", description = "The deliveries, newest first", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "log", value = ApiExamples.DELIVERIES)))
    public Deliveries deliveries(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                                 @PathParam("projectId") String projectId, @PathParam("webhookId") String webhookId,
                                 @Context HttpServerRequest request) {
        authorized(authorization, request);
        return new Deliveries(webhookId, webhooks.deliveries(projectId, webhookId));
    }

    private String authorized(String authorization, HttpServerRequest request) {
        String from = dev.northstar.platform.rest.ClientAddress.of(request);
        guard.authorize(BearerToken.from(authorization).orElse(null), from);
        return from;
    }

    private <T> T audited(Supplier<T> change, String what, String projectId, String from) {
        try {
            T done = change.get();
            guard.audit(what, projectId, "done", from);
            return done;
        } catch (Refused refused) {
            guard.audit(what, projectId, refused.reason().name().toLowerCase(java.util.Locale.ROOT), from);
            throw refused;
        } catch (RuntimeException e) {
            guard.audit(what, projectId, "failed", from);
            throw e;
        }
    }
}
