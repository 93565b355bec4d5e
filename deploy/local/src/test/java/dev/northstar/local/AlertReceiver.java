package dev.northstar.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.northstar.model.json.NorthstarJson;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A webhook receiver in the test JVM: records every alert (delivery id, feature, type, text) and holds
 * the first {@code hold} requests until released (or until their sender dies); answers 200 to the rest.
 */
final class AlertReceiver implements AutoCloseable {

    /** One request as received. */
    record Received(String deliveryId, String feature, String type, String text) {
    }

    final List<Received> received = new CopyOnWriteArrayList<>();
    final CountDownLatch held;
    final CountDownLatch release = new CountDownLatch(1);
    private final HttpServer server;

    AlertReceiver(int hold) throws IOException {
        held = new CountDownLatch(hold);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            JsonNode body = NorthstarJson.mapper().readTree(exchange.getRequestBody().readAllBytes());
            received.add(new Received(exchange.getRequestHeaders().getFirst("Northstar-Delivery-Id"),
                    body.get("feature").asText(), body.get("type").asText(), body.get("text").asText()));
            synchronized (held) {
                if (held.getCount() > 0) {
                    held.countDown();
                    try {
                        release.await(90, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            try {
                exchange.sendResponseHeaders(200, -1);
            } catch (IOException e) {
                // the notifier died while we held its request
            }
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/alerts";
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
