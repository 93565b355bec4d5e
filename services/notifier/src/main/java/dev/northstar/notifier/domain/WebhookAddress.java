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
 * Where a webhook may point: an absolute http(s) URL of at most {@value #MAX_LENGTH} characters, with
 * a host and no user info, whose addresses are all public, unless the operator's allow-list
 * ({@code northstar.notifier.allowed-networks}) holds them. Loopback, link-local (cloud metadata at
 * 169.254.169.254), private (10/8, 172.16/12, 192.168/16, fc00::/7), unspecified, multicast and
 * carrier-grade NAT (100.64/10) addresses are refused: a webhook must not make the notifier reach into
 * the network it runs in. Checked when a webhook is created and again before every delivery (a name
 * can resolve differently later).
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

    /** Empty when {@code url} may be a webhook, else what is wrong with it. */
    public Optional<String> problem(String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("url is required");
        }
        if (url.length() > MAX_LENGTH) {
            return Optional.of("url is " + url.length() + " characters long, at most " + MAX_LENGTH + " are allowed");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("url is not a valid URL: " + e.getReason() + " at index " + e.getIndex());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("url must be http or https, not '" + (scheme.isEmpty() ? "(none)" : scheme) + "'");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("url must not carry a user name or password");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.of("url has no host");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException e) {
            return Optional.of("url's host '" + host + "' does not resolve");
        }
        for (InetAddress address : addresses) {
            Optional<String> refused = refused(address);
            if (refused.isPresent() && allowed.stream().noneMatch(n -> n.contains(address))) {
                return Optional.of("url's host '" + host + "' is " + address.getHostAddress() + ", " + refused.get()
                        + ": refused unless an operator allows its network (NORTHSTAR_NOTIFIER_ALLOWED_NETWORKS)");
            }
        }
        return Optional.empty();
    }

    /** Why an address is not public, if it is not. */
    static Optional<String> refused(InetAddress address) {
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
