package dev.northstar.testkit;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * RestAssured on the management interface of the service under test: {@code /q/*} (health, metrics,
 * OpenAPI) is served there, on its own port, never on the public one. In a {@code @QuarkusTest} that
 * port is a free one (the platform sets {@code quarkus.management.test-port=0}), which the application's
 * {@code HttpServer} knows once started.
 */
public final class Management {

    private Management() {
    }

    /** The management port of the application under test (its HTTP server knows it once started). */
    public static int port() {
        var server = io.quarkus.arc.Arc.container().instance(io.quarkus.vertx.http.HttpServer.class);
        if (!server.isAvailable() || server.get().getManagementPort() <= 0) {
            throw new IllegalStateException("the management interface of the application under test has not started");
        }
        return server.get().getManagementPort();
    }

    public static RequestSpecification given() {
        return RestAssured.given().baseUri("http://localhost").port(port());
    }
}
