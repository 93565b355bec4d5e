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
        assertThat(rules.problem("https://93.184.216.34:8443/x")).isEmpty();
        assertThat(rules.problem("http://93.184.216.34:8080/x").orElseThrow()).as("plain http to a public receiver")
                .startsWith("url must be https: plain http only to a network the operator allows");
        assertThat(rules.problem("ftp://hooks.example.com/x").orElseThrow()).startsWith("url must be https").endsWith("not 'ftp'");
        assertThat(rules.problem("hooks.example.com/x").orElseThrow()).endsWith("not '(none)'");
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
        assertThat(allowing.problem("http://[::ffff:10.1.2.3]/")).as("IPv4-mapped is the IPv4 address").isEmpty();
        assertThatThrownBy(() -> new WebhookAddress(List.of("10.0.0.0/33"), dns(names)))
                .hasMessageContaining("'10.0.0.0/33' is not a network in CIDR notation");
    }

    /**
     * The IPv6 forms that carry an IPv4 address reach it (through the host's stack, a NAT64 gateway, a
     * 6to4 relay or Teredo): refused when the carried address would be, allowed when its network is.
     * (Before, only the IPv6 address itself was judged: {@code [::127.0.0.1]} and {@code [2002:a9fe:a9fe::]}
     * passed as public.)
     */
    @Test
    void ipv6FormsOfRefusedIpv4AddressesAreRefusedToo() {
        var rules = new WebhookAddress(List.of(), dns(Map.of()));
        assertThat(rules.problem("https://[::127.0.0.1]/").orElseThrow())
                .contains("an IPv6 form of 127.0.0.1, a loopback address");
        assertThat(rules.problem("https://[::10.0.0.1]/").orElseThrow()).contains("an IPv6 form of 10.0.0.1, a private address");
        assertThat(rules.problem("https://[64:ff9b::a9fe:a9fe]/").orElseThrow()).as("NAT64")
                .contains("an IPv6 form of 169.254.169.254, a link-local address");
        assertThat(rules.problem("https://[64:ff9b:1::c0a8:0101]/").orElseThrow()).as("local-use NAT64")
                .contains("an IPv6 form of 192.168.1.1, a private address");
        assertThat(rules.problem("https://[2002:a9fe:a9fe::1]/").orElseThrow()).as("6to4")
                .contains("an IPv6 form of 169.254.169.254, a link-local address");
        // Teredo carries the client's address inverted: ~10.0.0.1 = f5ff:fffe
        assertThat(rules.problem("https://[2001:0:4136:e378:8000:63bf:f5ff:fffe]/").orElseThrow()).as("Teredo")
                .contains("an IPv6 form of 10.0.0.1, a private address");
        assertThat(rules.problem("https://[2002:5db8:d822::1]/")).as("6to4 of a public address").isEmpty();
        assertThat(rules.problem("https://[64:ff9b::5db8:d822]/")).as("NAT64 of a public address").isEmpty();
        assertThat(rules.problem("https://[2606:4700::1111]/")).as("plain public IPv6").isEmpty();

        var allowing = new WebhookAddress(List.of("10.0.0.0/8"), dns(Map.of()));
        assertThat(allowing.problem("http://[::10.0.0.1]/")).as("the carried address's network is allowed").isEmpty();
    }
}
