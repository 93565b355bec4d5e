package dev.northstar.testkit;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/**
 * RestAssured on the management interface of the service under test: {@code /q/*} (health, metrics,
 * OpenAPI) is served there, on its own port, never on the public one. In a {@code @QuarkusTest} that
 * port is Quarkus's management test port, 9001 unless {@code quarkus.management.test-port} says otherwise.
 */
public final class Management {

    /** Quarkus's default management port in tests. */
    public static final int TEST_PORT = 9001;

    private Management() {
    }

    public static RequestSpecification given() {
        return RestAssured.given().baseUri("http://localhost").port(TEST_PORT);
    }
}
