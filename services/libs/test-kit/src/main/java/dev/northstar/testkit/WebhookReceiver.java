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
 * what {@code answer} says for the n-th request (0-based): a status, {@link #NEVER} to never answer, or
 * {@link #DRIP} to send 200 and its headers at once, then the body one byte every 200 ms for hours
 * (a receiver that holds a sender's slot). The function may block (a receiver that holds a request
 * while the test kills its sender).
 */
public final class WebhookReceiver implements AutoCloseable {

    public record Received(Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** Never answers. */
    public static final int NEVER = -1;
    /** Answers 200 with its headers, then drips a 1 MB body a byte at a time until the sender hangs up. */
    public static final int DRIP = -2;

    private final HttpServer server;
    private final java.util.concurrent.atomic.AtomicInteger hungUp = new java.util.concurrent.atomic.AtomicInteger();
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
            if (status == DRIP) {
                try {
                    exchange.sendResponseHeaders(200, 1_000_000);
                    var out = exchange.getResponseBody();
                    for (int i = 0; i < 1_000_000; i++) {
                        out.write('x');
                        out.flush();
                        Thread.sleep(200);
                    }
                } catch (IOException e) {
                    hungUp.incrementAndGet(); // the sender closed the connection
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                exchange.close();
                return;
            }
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

    /** How many dripped answers the sender hung up on. */
    public int hungUp() {
        return hungUp.get();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
