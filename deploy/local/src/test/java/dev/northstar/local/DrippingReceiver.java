package dev.northstar.local;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hostile webhook receiver in the test JVM: answers every request 200 with its headers at once, then
 * drips a 1 MB body a byte every 200 ms (hours), holding whoever sent it for as long as they let it.
 * Counts the requests and the times the sender hung up on it.
 */
final class DrippingReceiver implements AutoCloseable {

    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger hungUp = new AtomicInteger();
    private final HttpServer server;

    DrippingReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            try {
                exchange.sendResponseHeaders(200, 1_000_000);
                var out = exchange.getResponseBody();
                for (int i = 0; i < 1_000_000; i++) {
                    out.write('.');
                    out.flush();
                    Thread.sleep(200);
                }
            } catch (IOException e) {
                hungUp.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/drip";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
