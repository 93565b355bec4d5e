package dev.northstar.notifier.application;

import com.fasterxml.jackson.databind.JsonNode;
import dev.northstar.model.notify.AlertType;
import dev.northstar.model.notify.Webhook;
import dev.northstar.model.notify.WebhookDelivery;
import dev.northstar.model.topic.Topics;
import dev.northstar.notifier.domain.WebhookAddress;
import dev.northstar.platform.usecase.Refused;
import dev.northstar.registry.ProjectRegistry;
import dev.northstar.registry.RegistryCatchUp;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A project's webhooks: create (the secret is answered once, never again), list, read, delete, and
 * each one's delivery log. Changes are records of the compacted webhooks topic and answer once this
 * instance has read them back (so a list right after shows them).
 */
@ApplicationScoped
public class Webhooks {

    /** Webhooks a project may have. */
    public static final int MAX_PER_PROJECT = 20;
    private static final Duration READ_BACK = Duration.ofSeconds(10);
    private static final Set<String> FIELDS = Set.of("url", "events");

    /**
     * What a created webhook (or one whose secret was rotated) answers: the webhook as stored, and its
     * signing secret in clear, the only time it is shown.
     */
    public record Created(Webhook webhook, String secret) {
        @Override
        public String toString() {
            return "Created[webhook=" + webhook.id() + ", secret=<redacted>]";
        }
    }

    /** Where webhook changes go. */
    public interface Publisher {
        /** Publishes {@code webhook} (null: a tombstone) under {@code key}; the offset it was written at. */
        long publish(String key, Webhook webhook);
    }

    private final WebhookDirectory directory;
    private final DeliveryLog log;
    private final ProjectRegistry registry;
    private final RegistryCatchUp registryCatchUp;
    private final WebhookAddress addresses;
    private final Publisher publisher;
    private final Clock clock;
    private final dev.northstar.notifier.domain.SecretBox secrets;
    private final SecureRandom random = new SecureRandom();

    public Webhooks(WebhookDirectory directory, DeliveryLog log, ProjectRegistry registry,
                    RegistryCatchUp registryCatchUp, WebhookAddress addresses, Publisher publisher, Clock clock,
                    dev.northstar.notifier.domain.SecretBox secrets) {
        this.secrets = secrets;
        this.directory = directory;
        this.log = log;
        this.registry = registry;
        this.registryCatchUp = registryCatchUp;
        this.addresses = addresses;
        this.publisher = publisher;
        this.clock = clock;
    }

    public Created create(String projectId, JsonNode body) {
        ready();
        knownProject(projectId);
        if (body == null || !body.isObject()) {
            throw Refused.invalid("the body must be a JSON object: {\"url\": \"https://…\", \"events\": "
                    + "[\"recommendation_changed\", \"failure_spike\"]}");
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw Refused.invalid(name + ": unknown field (a webhook has url and events)");
            }
        }
        JsonNode url = body.get("url");
        if (url == null || !url.isTextual()) {
            throw Refused.invalid("url: required, a string (the http or https address to POST alerts to)");
        }
        addresses.problem(url.asText()).ifPresent(problem -> {
            throw Refused.invalid(problem);
        });
        List<AlertType> events = events(body.get("events"));
        if (directory.of(projectId).size() >= MAX_PER_PROJECT) {
            throw Refused.conflict("project " + projectId + " has " + MAX_PER_PROJECT
                    + " webhooks, the most it may have: delete one first");
        }
        String id = "wh_" + HexFormat.of().formatHex(bytes(8));
        String key = Topics.webhookKey(projectId, id);
        String secret = newSecret();
        var webhook = new Webhook(id, projectId, url.asText(), events, secrets.seal(secret, key), clock.instant());
        readBack(publisher.publish(key, webhook));
        return new Created(webhook, secret);
    }

    /**
     * Gives a webhook a new signing secret, answered once. For a day after, deliveries carry a signature
     * with the previous secret too, so a receiver can switch without refusing anything.
     */
    public Created rotateSecret(String projectId, String webhookId) {
        Webhook current = get(projectId, webhookId);
        String key = Topics.webhookKey(projectId, webhookId);
        String secret = newSecret();
        var rotated = current.rotated(secrets.seal(secret, key), clock.instant());
        readBack(publisher.publish(key, rotated));
        return new Created(rotated, secret);
    }

    private String newSecret() {
        return "whsec_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(32));
    }

    private static List<AlertType> events(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of(AlertType.values());
        }
        if (!node.isArray() || node.isEmpty()) {
            throw Refused.invalid("events: a non-empty array of recommendation_changed, failure_spike");
        }
        Set<AlertType> events = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            JsonNode event = node.get(i);
            int index = i;
            events.add(AlertType.ofWireName(event.isTextual() ? event.asText() : "").orElseThrow(() ->
                    Refused.invalid("events[" + index + "]: '" + event + "' is not recommendation_changed or "
                            + "failure_spike")));
        }
        return new ArrayList<>(events);
    }

    public List<Webhook> list(String projectId) {
        ready();
        knownProject(projectId);
        return directory.of(projectId);
    }

    public Webhook get(String projectId, String webhookId) {
        ready();
        knownProject(projectId);
        return directory.find(projectId, webhookId).orElseThrow(() -> Refused.notFound(
                "project " + projectId + " has no webhook " + webhookId));
    }

    public void delete(String projectId, String webhookId) {
        get(projectId, webhookId);
        readBack(publisher.publish(Topics.webhookKey(projectId, webhookId), null));
    }

    /** A webhook's deliveries, newest first. */
    public List<WebhookDelivery> deliveries(String projectId, String webhookId) {
        get(projectId, webhookId);
        return log.of(webhookId);
    }

    private void ready() {
        if (!directory.isCaughtUp() || !registryCatchUp.isCaughtUp()) {
            throw Refused.unavailable("the notifier is still reading its webhooks and projects; retry shortly",
                    Duration.ofSeconds(1));
        }
    }

    private void knownProject(String projectId) {
        if (!registry.exists(projectId)) {
            throw Refused.notFound("no project " + projectId);
        }
    }

    private void readBack(long offset) {
        try {
            if (!directory.awaitApplied(offset, READ_BACK)) {
                throw Refused.unavailable("the change was written but not read back within "
                        + READ_BACK.toSeconds() + " s; it will show shortly", Duration.ofSeconds(1));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw Refused.unavailable("interrupted", Duration.ofSeconds(1));
        }
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
