package dev.northstar.ingest.application;

import dev.northstar.ingest.config.IngestConfig;
import dev.northstar.ingest.domain.TokenBucket;
import dev.northstar.platform.usecase.Refused;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who may use the admin API, and the record of what they did. The admin token is compared in constant
 * time; failed attempts are limited per client address (a token bucket of failures: beyond it every
 * admin request from that address is answered 429 before the token is even looked at, so guessing is
 * slow); every admin action and every refusal writes one line to the {@value #AUDIT_CATEGORY} log
 * category: what, which project, the outcome and from where (the time is the log line's). Never a
 * token or a key.
 */
@ApplicationScoped
public class AdminGuard {

    public static final String AUDIT_CATEGORY = "northstar.audit";
    private static final Logger AUDIT = Logger.getLogger(AUDIT_CATEGORY);
    /** Addresses tracked at most; beyond, the oldest state is dropped (an attacker gains a fresh burst, no more). */
    private static final int MAX_ADDRESSES = 10_000;

    private final IngestConfig config;
    private final Map<String, TokenBucket> failures = new ConcurrentHashMap<>();

    public AdminGuard(IngestConfig config) {
        this.config = config;
    }

    /** Refuses anything but the configured admin token (401), and an address that failed too often (429). */
    public void authorize(String token, String from) {
        long now = System.nanoTime();
        TokenBucket bucket = failures.get(from);
        if (bucket != null) {
            bucket.waitFor(1, now).ifPresent(wait -> {
                Duration retryAfter = wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait;
                audit("authenticate", null, "rate-limited", from);
                throw Refused.rateLimited("Too many failed admin authentications from this address; retry after "
                        + retryAfter.toSeconds() + " s", retryAfter);
            });
        }
        byte[] expected = config.adminToken().getBytes(StandardCharsets.UTF_8);
        byte[] actual = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
        if (expected.length == 0 || !MessageDigest.isEqual(expected, actual)) {
            if (failures.size() >= MAX_ADDRESSES) {
                failures.clear();
            }
            var limit = config.adminFailures();
            failures.computeIfAbsent(from, f -> new TokenBucket(limit.burst(), limit.perMinute() / 60.0, now)).take(1, now);
            audit("authenticate", null, "refused", from);
            throw Refused.notAuthenticated("A valid admin token is required: Authorization: Bearer <admin token>");
        }
    }

    /** One audit line: {@code action=... project=... outcome=... from=...}. */
    public void audit(String action, String projectId, String outcome, String from) {
        AUDIT.infof("admin action=%s project=%s outcome=%s from=%s", action, projectId == null ? "-" : projectId,
                outcome, from);
    }
}
