package dev.northstar.platform.rest;

import io.vertx.core.http.HttpServerRequest;

/**
 * Where a request comes from, for audit lines and per-address limits: the connection's peer, or the
 * address a configured trusted proxy forwarded (Quarkus' {@code quarkus.http.proxy.*}: forwarded headers
 * are believed only from {@code trusted-proxies}).
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(HttpServerRequest request) {
        var address = request == null ? null : request.remoteAddress();
        return address == null ? "unknown" : address.hostAddress();
    }
}
