package dev.northstar.ingest;

import dev.northstar.platform.admin.AdminGuard;
import dev.northstar.testkit.KafkaResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The admin API writes who did what to the audit log, never a secret, and makes an address that keeps
 * failing to authenticate wait. Clients at other addresses are stood in for with X-Forwarded-For.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class AdminSecurityTest {

    private static final String TOKEN = "test-admin-token";
    private final List<String> audit = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            audit.add(record instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage()
                    : record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        Logger.getLogger(AdminGuard.AUDIT_CATEGORY).addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        Logger.getLogger(AdminGuard.AUDIT_CATEGORY).removeHandler(capture);
    }

    private static io.restassured.specification.RequestSpecification from(String address) {
        return given().header("X-Forwarded-For", address);
    }

    @Test
    void everyAdminActionAndRefusalIsAuditedWithWhatWhoseAndFromWhereButNeverASecret() {
        var created = from("198.51.100.20").header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON)
                .body("{\"projectId\":\"audited\",\"name\":\"Audited\"}").post("/v1/admin/projects")
                .then().statusCode(201).extract().jsonPath();
        from("198.51.100.20").header("Authorization", "Bearer " + TOKEN).post("/v1/admin/projects/audited/keys/rotate")
                .then().statusCode(200);
        from("198.51.100.21").header("Authorization", "Bearer not-the-token").contentType(ContentType.JSON)
                .body("{\"projectId\":\"audited\"}").post("/v1/admin/projects").then().statusCode(401);
        from("198.51.100.20").header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON)
                .body("{\"projectId\":\"audited\"}").post("/v1/admin/projects").then().statusCode(409);

        assertThat(audit).contains(
                "admin action=project.create project=audited outcome=created from=198.51.100.20",
                "admin action=project.rotate-keys project=audited outcome=rotated from=198.51.100.20",
                "admin action=authenticate project=- outcome=refused from=198.51.100.21",
                "admin action=project.create project=audited outcome=conflict from=198.51.100.20");
        String everything = String.join("\n", audit);
        assertThat(everything).doesNotContain(TOKEN).doesNotContain("not-the-token")
                .doesNotContain(created.getString("writeKey")).doesNotContain(created.getString("readKey"));
    }

    @Test
    void anAddressThatKeepsFailingIsMadeToWaitForWrongTokensWhileTheRightTokenAndOtherAddressesGetIn() {
        String guesser = "203.0.113.7";
        for (int attempt = 1; attempt <= 10; attempt++) {
            from(guesser).header("Authorization", "Bearer guess-" + attempt).contentType(ContentType.JSON)
                    .body("{\"projectId\":\"guessed\"}").post("/v1/admin/projects").then().statusCode(401);
        }
        from(guesser).header("Authorization", "Bearer guess-11").contentType(ContentType.JSON)
                .body("{\"projectId\":\"guessed\"}").post("/v1/admin/projects")
                .then().statusCode(429).header("Retry-After", notNullValue())
                .body("detail", containsString("Too many failed admin authentications from this address"));
        // The admin behind the same address (a load balancer, a NAT) still gets in with the right token ...
        from(guesser).header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON)
                .body("{\"projectId\":\"behind-the-same-proxy\"}").post("/v1/admin/projects").then().statusCode(201);
        // ... while wrong tokens from it still wait.
        from(guesser).header("Authorization", "Bearer guess-12").contentType(ContentType.JSON)
                .body("{\"projectId\":\"guessed\"}").post("/v1/admin/projects").then().statusCode(429);
        // Another address is not affected.
        from("203.0.113.8").header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON)
                .body("{\"projectId\":\"not-guessed\"}").post("/v1/admin/projects").then().statusCode(201);
        assertThat(audit).contains("admin action=authenticate project=- outcome=rate-limited from=203.0.113.7");
    }
}
