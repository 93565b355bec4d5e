package dev.northstar.notifier.domain;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a webhook may point: an absolute https URL of at most {@value #MAX_LENGTH} characters, with
 * a host and no user info, whose addresses are all public, unless the operator's allow-list
 * ({@code northstar.notifier.allowed-networks}) holds them. Loopback, link-local (cloud metadata at
 * 169.254.169.254), private (10/8, 172.16/12, 192.168/16, fc00::/7), unspecified, multicast and
 * carrier-grade NAT (100.64/10) addresses are refused, and so are the IPv6 forms that carry an IPv4
 * address of those (IPv4-compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::/96} and
 * {@code 64:ff9b:1::/48}, 6to4 {@code 2002::/16}, Teredo {@code 2001::/32}): a webhook must not make the
 * notifier reach into the network it runs in. Plain {@code http} only to addresses the operator allows
 * (an internal receiver); everything else must be {@code https}. Checked when a webhook is created and
 * again before every delivery (a name can resolve differently later), and the delivery connects to the
 * addresses checked ({@link #check}), never to a second lookup's.
 */
public final class WebhookAddress {

    public static final int MAX_LENGTH = 2048;

    /** Resolves a host name to its addresses (the system resolver in the service). */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final List<Network> allowed;
    private final Resolver resolver;

    public WebhookAddress(List<String> allowedNetworks, Resolver resolver) {
        this.allowed = allowedNetworks.stream().map(Network::parse).toList();
        this.resolver = resolver;
    }

    /** What a check found: the URL and the addresses it may be delivered to, or what is wrong with it. */
    public record Checked(URI uri, List<InetAddress> addresses, Optional<String> problem) {
        public static Checked refused(String problem) {
            return new Checked(null, List.of(), Optional.of(problem));
        }
    }

    /** Empty when {@code url} may be a webhook, else what is wrong with it. */
    public Optional<String> problem(String url) {
        return check(url).problem();
    }

    /**
     * Checks {@code url} on one lookup of its host: the addresses it resolved to, all allowed, or what is
     * wrong with it. Blocking (the lookup): never on an event loop or the alert thread.
     */
    public Checked check(String url) {
        if (url == null || url.isBlank()) {
            return Checked.refused("url is required");
        }
        if (url.length() > MAX_LENGTH) {
            return Checked.refused("url is " + url.length() + " characters long, at most " + MAX_LENGTH + " are allowed");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Checked.refused("url is not a valid URL: " + e.getReason() + " at index " + e.getIndex());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Checked.refused("url must be https (or http to a network the operator allows), not '" + (scheme.isEmpty() ? "(none)" : scheme) + "'");
        }
        if (uri.getRawUserInfo() != null) {
            return Checked.refused("url must not carry a user name or password");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return Checked.refused("url has no host");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            return Checked.refused("url's host '" + host + "' does not resolve");
        }
        if (addresses.length == 0) {
            return Checked.refused("url's host '" + host + "' does not resolve");
        }
        for (InetAddress address : addresses) {
            Optional<String> refused = refused(address);
            if (refused.isPresent() && !allowed(address)) {
                return Checked.refused("url's host '" + host + "' is " + address.getHostAddress() + ", " + refused.get()
                        + ": refused unless an operator allows its network (NORTHSTAR_NOTIFIER_ALLOWED_NETWORKS)");
            }
            if (scheme.equals("http") && !allowed(address)) {
                return Checked.refused("url must be https: plain http only to a network the operator allows "
                        + "(NORTHSTAR_NOTIFIER_ALLOWED_NETWORKS), and " + address.getHostAddress() + " is not in one");
            }
        }
        return new Checked(uri, List.of(addresses), Optional.empty());
    }

    /** Whether the operator allows {@code address}'s network (or that of the IPv4 address it carries). */
    private boolean allowed(InetAddress address) {
        Optional<Inet4Address> carried = embeddedIpv4(address);
        return allowed.stream().anyMatch(n -> n.contains(address) || carried.map(n::contains).orElse(false));
    }

    /** Why an address is not public, if it is not: its own kind, or that of the IPv4 address an IPv6 form carries. */
    static Optional<String> refused(InetAddress address) {
        Optional<String> own = refusedAsIs(address);
        if (own.isPresent()) {
            return own;
        }
        return embeddedIpv4(address).flatMap(v4 -> refusedAsIs(v4)
                .map(why -> "an IPv6 form of " + v4.getHostAddress() + ", " + why));
    }

    /**
     * The IPv4 address an IPv6 address carries, in the forms that reach it: IPv4-compatible
     * ({@code ::a.b.c.d}, deprecated), NAT64 ({@code 64:ff9b::/96}, {@code 64:ff9b:1::/48}), 6to4
     * ({@code 2002:aabb:ccdd::/48}) and Teredo ({@code 2001:0::/32}, the client's address inverted).
     * (IPv4-mapped {@code ::ffff:a.b.c.d} is read by Java as the IPv4 address itself.)
     */
    static Optional<Inet4Address> embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return Optional.empty();
        }
        byte[] b = address.getAddress();
        byte[] v4 = null;
        if (allZero(b, 0, 12) && !allZero(b, 12, 16) && !(allZero(b, 12, 15) && b[15] == 1)) {
            v4 = java.util.Arrays.copyOfRange(b, 12, 16); // ::a.b.c.d (not :: nor ::1)
        } else if (b[0] == 0x00 && b[1] == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b) {
            v4 = java.util.Arrays.copyOfRange(b, 12, 16); // 64:ff9b::/96 and 64:ff9b:1::/48
        } else if (b[0] == 0x20 && b[1] == 0x02) {
            v4 = java.util.Arrays.copyOfRange(b, 2, 6); // 2002:aabb:ccdd::/48
        } else if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) {
            v4 = new byte[4]; // Teredo: the client's IPv4 address, each bit inverted, in the last 32 bits
            for (int i = 0; i < 4; i++) {
                v4[i] = (byte) ~b[12 + i];
            }
        }
        if (v4 == null) {
            return Optional.empty();
        }
        try {
            return Optional.of((Inet4Address) InetAddress.getByAddress(v4));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static Optional<String> refusedAsIs(InetAddress address) {
        if (address.isLoopbackAddress()) {
            return Optional.of("a loopback address");
        }
        if (address.isLinkLocalAddress()) {
            return Optional.of("a link-local address");
        }
        if (address.isAnyLocalAddress()) {
            return Optional.of("the unspecified address");
        }
        if (address.isMulticastAddress()) {
            return Optional.of("a multicast address");
        }
        if (address.isSiteLocalAddress()) {
            return Optional.of("a private address");
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet6Address && (b[0] & 0xfe) == 0xfc) {
            return Optional.of("a private address (unique local)");
        }
        if (address instanceof Inet4Address && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64) {
            return Optional.of("a carrier-grade NAT address");
        }
        if (address instanceof Inet4Address && (b[0] & 0xff) == 0) {
            return Optional.of("in 0.0.0.0/8");
        }
        return Optional.empty();
    }

    /** A network in CIDR notation. */
    record Network(byte[] prefix, int bits) {
        static Network parse(String cidr) {
            String text = cidr.trim();
            int slash = text.indexOf('/');
            try {
                InetAddress address = InetAddress.getByName(slash < 0 ? text : text.substring(0, slash));
                int max = address.getAddress().length * 8;
                int bits = slash < 0 ? max : Integer.parseInt(text.substring(slash + 1));
                if (bits < 0 || bits > max) {
                    throw new IllegalArgumentException("prefix length out of range");
                }
                return new Network(address.getAddress(), bits);
            } catch (UnknownHostException | RuntimeException e) {
                throw new IllegalArgumentException("northstar.notifier.allowed-networks: '" + cidr
                        + "' is not a network in CIDR notation (10.0.0.0/8, 127.0.0.1/32, ::1/128)", e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != prefix.length) {
                return false;
            }
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((a[i / 8] & mask) != (prefix[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
