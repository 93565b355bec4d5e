package dev.northstar.platform.admin;

import dev.northstar.platform.usecase.Refused;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The admin guard's limiter and audit lines. */
class AdminGuardTest {

    private static final String TOKEN = "the-admin-token-of-this-test";

    private static Refused.Reason refusal(AdminGuard guard, String token, String from) {
        Refused refused = catchThrowableOfType(Refused.class, () -> guard.authorize(token, from));
        return refused == null ? null : refused.reason();
    }

    /**
     * Behind a load balancer everyone shares one address: ten wrong tokens from it must not lock the
     * admin out (the bucket was checked before the token, so the right one got 429 too).
     */
    @Test
    void theRightTokenIsNeverRefusedByTheLimiter() {
        AdminGuard guard = new AdminGuard(TOKEN, 3, 1);
        for (int i = 0; i < 3; i++) {
            assertThat(refusal(guard, "wrong-" + i, "10.0.0.1")).isEqualTo(Refused.Reason.NOT_AUTHENTICATED);
        }
        assertThat(refusal(guard, "wrong", "10.0.0.1")).isEqualTo(Refused.Reason.RATE_LIMITED);

        assertThatCode(() -> guard.authorize(TOKEN, "10.0.0.1")).doesNotThrowAnyException();
        assertThat(refusal(guard, "wrong", "10.0.0.1")).as("still limited for wrong tokens")
                .isEqualTo(Refused.Reason.RATE_LIMITED);
    }

    /**
     * Beyond the addresses it tracks, the guard forgets the least recently seen one, not every one (all
     * buckets were cleared at 10,000 addresses: an attacker spraying addresses reset its own limit).
     */
    @Test
    void beyondTheTrackedAddressesTheLeastRecentlySeenIsForgottenNotEveryOne() {
        AdminGuard guard = new AdminGuard(TOKEN, 2, 1);
        refusal(guard, "wrong", "203.0.113.7");
        refusal(guard, "wrong", "203.0.113.7");
        assertThat(refusal(guard, "wrong", "203.0.113.7")).isEqualTo(Refused.Reason.RATE_LIMITED);
        for (int i = 0; i < AdminGuard.MAX_ADDRESSES + 10; i++) {
            refusal(guard, "wrong", "spray-" + i);
            if (i % 1000 == 0) {
                assertThat(refusal(guard, "wrong", "203.0.113.7")).isEqualTo(Refused.Reason.RATE_LIMITED);
            }
        }
        assertThat(guard.trackedAddresses()).isEqualTo(AdminGuard.MAX_ADDRESSES);
        assertThat(refusal(guard, "wrong", "203.0.113.7")).as("a recently seen address keeps its state")
                .isEqualTo(Refused.Reason.RATE_LIMITED);
        assertThat(refusal(guard, "wrong", "spray-0")).as("the least recently seen was forgotten: a fresh burst")
                .isEqualTo(Refused.Reason.NOT_AUTHENTICATED);
    }

    /** A path parameter cannot add an audit line or a field: controls are escaped, odd values quoted. */
    @Test
    void auditLinesEscapeWhatARequestChose() {
        assertThat(AdminGuard.line("project.create", "shop", "created", "198.51.100.20"))
                .isEqualTo("admin action=project.create project=shop outcome=created from=198.51.100.20");
        String forged = AdminGuard.line("feature.remove " + AdminGuard.field("x outcome=done"),
                "shop\nadmin action=project.create project=evil outcome=created from=10.0.0.1", "done", "10.0.0.2");
        assertThat(forged).doesNotContain("\n").isEqualTo("admin action=feature.remove \"x outcome=done\" project=\"shop\\n"
                + "admin action=project.create project=evil outcome=created from=10.0.0.1\" outcome=done from=10.0.0.2");
        assertThat(AdminGuard.field("a\"b\\c\u0000\u2028\r\t")).isEqualTo("\"a\\\"b\\\\c\\u0000\\u2028\\r\\t\"");
        assertThat(AdminGuard.field(null)).isEqualTo("-");
        assertThat(AdminGuard.field("")).isEqualTo("\"\"");
    }
}
