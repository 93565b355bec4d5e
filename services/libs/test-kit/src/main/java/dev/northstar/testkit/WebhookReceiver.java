package dev.northstar.testkit;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;

/**
 * A real HTTP receiver in the test JVM: records every request (headers and raw body) and answers
 * what {@code answer} says for the n-th request (0-based): a status, or -1 to never answer. The
 * function may block (a receiver that holds a request while the test kills its sender).
 */
public final class WebhookReceiver implements AutoCloseable {

    public record Received(Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    public WebhookReceiver(IntFunction<Integer> answer) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Map<String, String> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
            int n;
            synchronized (received) {
                n = received.size();
                received.add(new Received(headers, new String(body, StandardCharsets.UTF_8)));
            }
            int status = answer.apply(n);
            if (status < 0) {
                try {
                    Thread.sleep(60_000);   // never answers (the sender times out first)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
            try {
                exchange.sendResponseHeaders(status, -1);
            } catch (IOException e) {
                // the sender is gone (killed while we held its request)
            }
            exchange.close();
        });
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
