package dev.northstar.local;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP (protobuf) trace receiver kept in memory: what the services export, decoded with the
 * OpenTelemetry protocol's own classes, so a test sees the spans an operator's collector would.
 */
final class OtlpReceiver implements AutoCloseable {

    /** One received span, with the service that sent it. */
    record Received(String service, String traceId, String spanId, String parentSpanId, String name, Span.SpanKind kind) {
    }

    private final HttpServer server;
    private final List<Received> spans = new CopyOnWriteArrayList<>();
    private final List<String> errors = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                    ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(in.readAllBytes());
                request.getResourceSpansList().forEach(resource -> {
                    String service = resource.getResource().getAttributesList().stream()
                            .filter(a -> a.getKey().equals("service.name")).map(KeyValue::getValue)
                            .map(v -> v.getStringValue()).findFirst().orElse("?");
                    resource.getScopeSpansList().forEach(scope -> scope.getSpansList().forEach(span -> spans.add(
                            new Received(service, hex(span.getTraceId().toByteArray()), hex(span.getSpanId().toByteArray()),
                                    hex(span.getParentSpanId().toByteArray()), span.getName(), span.getKind()))));
                });
                byte[] ok = ExportTraceServiceRequest.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, ok.length == 0 ? -1 : ok.length);
            } catch (IOException | RuntimeException | LinkageError e) {
                errors.add(e.toString());
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    List<Received> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    /** What could not be decoded (empty when every export was understood). */
    List<String> errors() {
        return errors;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
