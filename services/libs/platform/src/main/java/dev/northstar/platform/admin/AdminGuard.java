package dev.northstar.platform.admin;

import dev.northstar.platform.limits.FailureLimiter;
import dev.northstar.platform.usecase.Refused;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;

/**
 * Who may use the admin API, and the record of what they did. The admin token is compared in constant
 * time; the right token is always let in. Failed attempts are limited per client address (a token bucket
 * of failures: beyond it every wrong token from that address is answered 429, so guessing is slow, while
 * the admin sharing that address still gets in); the least recently seen addresses are forgotten first.
 * Every admin action and every refusal writes one line to the {@value #AUDIT_CATEGORY} log category:
 * what, which project, the outcome and from where (the time is the log line's), each value escaped so
 * that a path parameter cannot add a line or a field. Never a token or a key. Each service with an
 * admin API makes one from its configuration (ingest, notifier).
 */
public final class AdminGuard {

    public static final String AUDIT_CATEGORY = "northstar.audit";
    private static final Logger AUDIT = Logger.getLogger(AUDIT_CATEGORY);
    static final int MAX_ADDRESSES = FailureLimiter.MAX_ADDRESSES;

    private final byte[] adminToken;
    private final FailureLimiter failures;

    /**
     * @param adminToken        the token that authorizes (empty authorizes nothing)
     * @param failureBurst      failed authentications an address may have at once before it is made to wait
     * @param failuresPerMinute failures an address regains per minute
     */
    public AdminGuard(String adminToken, int failureBurst, double failuresPerMinute) {
        this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
        this.failures = new FailureLimiter(failureBurst, failuresPerMinute);
    }

    /**
     * Refuses anything but the configured admin token: 401, or 429 from an address that failed too often.
     * The right token is never refused.
     */
    public void authorize(String token, String from) {
        byte[] expected = adminToken;
        byte[] actual = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
        if (expected.length > 0 && MessageDigest.isEqual(expected, actual)) {
            return;
        }
        Optional<Duration> waitFor = failures.waitFor(from);
        if (waitFor.isPresent()) {
            Duration retryAfter = waitFor.get();
            audit("authenticate", null, "rate-limited", from);
            throw Refused.rateLimited("Too many failed admin authentications from this address; retry after "
                    + retryAfter.toSeconds() + " s", retryAfter);
        }
        failures.failed(from);
        audit("authenticate", null, "refused", from);
        throw Refused.notAuthenticated("A valid admin token is required: Authorization: Bearer <admin token>");
    }

    /** Addresses with failures remembered (tests). */
    int trackedAddresses() {
        return failures.trackedAddresses();
    }

    /**
     * One audit line: {@code action=... project=... outcome=... from=...}. The action is the caller's
     * (a request's own values in it go through {@link #field}); the other values are escaped here.
     */
    public void audit(String action, String projectId, String outcome, String from) {
        AUDIT.info(line(action, projectId, outcome, from));
    }

    static String line(String action, String projectId, String outcome, String from) {
        return "admin action=" + escapeControls(action) + " project=" + field(projectId) + " outcome=" + field(outcome)
                + " from=" + field(from);
    }

    /**
     * A value as one field of an audit line: as it is when it is plain ({@code [A-Za-z0-9._:/@-]+}), else in
     * double quotes with {@code "} and {@code \} escaped and every control or line-breaking character as
     * {@code \n}, {@code \r}, {@code \t} or {@code \}{@code uXXXX}; {@code -} for none.
     */
    public static String field(String value) {
        if (value == null) {
            return "-";
        }
        if (!value.isEmpty() && value.chars().allMatch(AdminGuard::plain)) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length() + 8).append('"');
        value.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else {
                appendVisible(out, c);
            }
        });
        return out.append('"').toString();
    }

    private static boolean plain(int c) {
        return c < 128 && (Character.isLetterOrDigit(c) || "._:/@-".indexOf(c) >= 0);
    }

    private static String escapeControls(String value) {
        if (value == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(c -> appendVisible(out, c));
        return out.toString();
    }

    private static void appendVisible(StringBuilder out, int c) {
        switch (c) {
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            case '\t' -> out.append("\\t");
            default -> {
                if (Character.getType(c) == Character.CONTROL || c == 0x2028 || c == 0x2029) {
                    out.append(String.format("\\u%04x", c));
                } else {
                    out.appendCodePoint(c);
                }
            }
        }
    }
}
