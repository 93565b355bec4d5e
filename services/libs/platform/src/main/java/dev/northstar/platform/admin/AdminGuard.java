package dev.northstar.platform.admin;

import dev.northstar.platform.limits.TokenBucket;
import dev.northstar.platform.usecase.Refused;
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
 * token or a key. Each service with an admin API makes one from its configuration (ingest, notifier).
 */
public final class AdminGuard {

    public static final String AUDIT_CATEGORY = "northstar.audit";
    private static final Logger AUDIT = Logger.getLogger(AUDIT_CATEGORY);
    /** Addresses tracked at most; beyond, the oldest state is dropped (an attacker gains a fresh burst, no more). */
    private static final int MAX_ADDRESSES = 10_000;

    private final byte[] adminToken;
    private final int failureBurst;
    private final double failuresPerMinute;
    private final Map<String, TokenBucket> failures = new ConcurrentHashMap<>();

    /**
     * @param adminToken        the token that authorizes (empty authorizes nothing)
     * @param failureBurst      failed authentications an address may have at once before it is made to wait
     * @param failuresPerMinute failures an address regains per minute
     */
    public AdminGuard(String adminToken, int failureBurst, double failuresPerMinute) {
        this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
        this.failureBurst = failureBurst;
        this.failuresPerMinute = failuresPerMinute;
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
        byte[] expected = adminToken;
        byte[] actual = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
        if (expected.length == 0 || !MessageDigest.isEqual(expected, actual)) {
            if (failures.size() >= MAX_ADDRESSES) {
                failures.clear();
            }
            failures.computeIfAbsent(from, f -> new TokenBucket(failureBurst, failuresPerMinute / 60.0, now)).take(1, now);
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
