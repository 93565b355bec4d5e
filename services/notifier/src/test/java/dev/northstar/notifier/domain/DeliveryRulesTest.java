package dev.northstar.notifier.domain;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Backoff, signatures and the address rules of webhooks. */
class DeliveryRulesTest {

    private static final Instant T0 = Instant.parse("2026-11-28T10:00:00Z");

    @Test
    void backoffDoublesWithJitterUpToItsCeilingAndGivesUpAfterItsPeriod() {
        var backoff = new Backoff(Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofHours(24));
        // the lowest and highest draws bound each wait: half to all of 30 s × 2^(n-1), capped at an hour
        for (int attempts = 1; attempts <= 12; attempts++) {
            long full = Math.min(3_600_000L, 30_000L << (attempts - 1));
            assertThat(Duration.between(T0, backoff.next(T0, attempts, T0, () -> 0.0)).toMillis()).isEqualTo(full / 2);
            assertThat(Duration.between(T0, backoff.next(T0, attempts, T0, () -> 0.999999)).toMillis())
                    .isBetween(full - 1 - full / 100_000, full);
        }
        Instant late = T0.plus(Duration.ofHours(23).plusMinutes(59));
        assertThat(backoff.next(T0, 40, late, () -> 0.9)).as("never after the deadline")
                .isEqualTo(T0.plus(Duration.ofHours(24)));
        assertThat(backoff.next(T0, 41, T0.plus(Duration.ofHours(24)), () -> 0.9)).as("given up").isNull();
    }

    @Test
    void theSignatureIsHmacSha256OfTimestampDotBody() {
        // RFC 4231 test case 2 (key "Jefe"), as a check of the primitive
        assertThat(Signature.hmacHex("Jefe", "what do ya want for nothing?"))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        assertThat(Signature.header("Jefe", 1_700_000_000L, "{\"a\":1}"))
                .isEqualTo("t=1700000000,v1=" + Signature.hmacHex("Jefe", "1700000000.{\"a\":1}"));
    }

    private static WebhookAddress.Resolver dns(Map<String, String> names) {
        return host -> {
            String ip = host.matches("[0-9.]+|.*:.*") ? host : names.get(host);   // literals resolve to themselves
            if (ip == null) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[]{InetAddress.getByName(ip)};
        };
    }

    @Test
    void webhooksMayPointOnlyAtPublicAddressesUnlessTheOperatorAllowsTheNetwork() {
        var names = Map.of("hooks.example.com", "93.184.216.34", "metadata.internal", "169.254.169.254",
                "intranet", "10.1.2.3", "home", "192.168.1.10", "nat", "100.64.0.1", "v6local", "fd00::1",
                "localhost", "127.0.0.1");
        var rules = new WebhookAddress(List.of(), dns(names));
        assertThat(rules.problem("https://hooks.example.com/northstar")).isEmpty();
        assertThat(rules.problem("http://93.184.216.34:8080/x")).isEmpty();
        assertThat(rules.problem("ftp://hooks.example.com/x")).contains("url must be http or https, not 'ftp'");
        assertThat(rules.problem("hooks.example.com/x")).contains("url must be http or https, not '(none)'");
        assertThat(rules.problem("https://user:pw@hooks.example.com/")).contains("url must not carry a user name or password");
        assertThat(rules.problem("https://hooks.example.com/" + "a".repeat(2100)).orElseThrow())
                .startsWith("url is 2126 characters long, at most 2048");
        assertThat(rules.problem("https://nowhere.example/")).contains("url's host 'nowhere.example' does not resolve");
        assertThat(rules.problem("https://exa mple.com/").orElseThrow()).startsWith("url is not a valid URL");
        assertThat(rules.problem("http://localhost:9000/").orElseThrow())
                .startsWith("url's host 'localhost' is 127.0.0.1, a loopback address: refused unless");
        assertThat(rules.problem("http://metadata.internal/latest").orElseThrow()).contains("a link-local address");
        assertThat(rules.problem("http://intranet/").orElseThrow()).contains("a private address");
        assertThat(rules.problem("http://home/").orElseThrow()).contains("a private address");
        assertThat(rules.problem("http://nat/").orElseThrow()).contains("a carrier-grade NAT address");
        assertThat(rules.problem("http://v6local/").orElseThrow()).contains("a private address (unique local)");
        assertThat(rules.problem("http://[::1]:8080/").orElseThrow()).contains("a loopback address");
        assertThat(rules.problem("http://0.0.0.0/").orElseThrow()).contains("the unspecified address");

        var allowing = new WebhookAddress(List.of("10.0.0.0/8", "127.0.0.1/32"), dns(names));
        assertThat(allowing.problem("http://intranet/")).isEmpty();
        assertThat(allowing.problem("http://localhost:9000/")).isEmpty();
        assertThat(allowing.problem("http://home/")).as("outside the allowed networks").isPresent();
        assertThatThrownBy(() -> new WebhookAddress(List.of("10.0.0.0/33"), dns(names)))
                .hasMessageContaining("'10.0.0.0/33' is not a network in CIDR notation");
    }
}
