package dev.northstar.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.northstar.model.json.NorthstarJson;
import dev.northstar.model.topic.Topics;
import dev.northstar.testkit.KafkaResource;
import dev.northstar.testkit.RequiresChromium;
import dev.northstar.testkit.TopicReader;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The browser client ({@code clients/js/northstar.js}) in headless chromium, loaded by a page this test
 * serves from another origin (so every request is a CORS request to the real ingest): events sent,
 * events made while the browser is offline (DevTools network emulation) sent once it is back, events
 * left unsent by a page that went away sent by the next load, an identify; every event made is on the
 * events topic, none lost. Skipped, saying what to install, without chromium ({@link RequiresChromium}).
 */
@RequiresChromium
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class BrowserClientTest {

    private static final Path CLIENT = Path.of("../../clients/js/northstar.js");
    private static final String PROJECT = "browser-" + Long.toString(System.nanoTime(), 36);
    private static final String PAGE = """
            <!doctype html><html><head><meta charset="utf-8"><title>shop</title></head><body>
            <script type="module">
              import { Northstar } from './northstar.js';
              const q = new URLSearchParams(location.search);
              window.northstar = new Northstar({ ingestUrl: q.get('ingest'), writeKey: q.get('key'),
                flushIntervalMs: Number(q.get('linger')), batchSize: Number(q.get('batch')), retryMinMs: 200, retryMaxMs: 1000 });
              window.ready = true;
            </script></body></html>""";

    private static HttpServer pages;
    private static final List<String> origins = new CopyOnWriteArrayList<>();
    private static ChromeDriver browser;
    private static String profile;

    @TestHTTPResource("/")
    URL ingest;

    @BeforeAll
    static void serveThePageAndStartTheBrowser() throws IOException {
        pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        pages.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = path.endsWith("/northstar.js") ? Files.readAllBytes(CLIENT)
                    : PAGE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", path.endsWith(".js")
                    ? "text/javascript; charset=utf-8" : "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        pages.start();
        profile = Files.createTempDirectory("chromium-profile-").toString();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(RequiresChromium.CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + profile);
        browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(RequiresChromium.CHROMEDRIVER.toFile()).usingAnyFreePort().build(), options);
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (pages != null) {
            pages.stop(0);
        }
        if (profile != null) {
            org.apache.kafka.common.utils.Utils.delete(new File(profile));
        }
    }

    private static Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private void open(String writeKey, int lingerMs) {
        open(writeKey, lingerMs, 5);
    }

    private void open(String writeKey, int lingerMs, int batch) {
        String url = "http://127.0.0.1:" + pages.getAddress().getPort() + "/shop.html?ingest="
                + URLEncoder.encode(ingest.toString(), StandardCharsets.UTF_8) + "&key=" + writeKey + "&linger=" + lingerMs + "&batch=" + batch;
        browser.get(url);
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> Boolean.TRUE.equals(js("return window.ready === true")));
    }

    private static long pending() {
        return ((Number) js("return window.northstar.pending")).longValue();
    }

    @Test
    void everyEventMadeInThePageReachesIngestThroughOfflineSpellsAndReloads() {
        String writeKey = given().header("Authorization", "Bearer test-admin-token").contentType(ContentType.JSON)
                .body("{\"projectId\":\"" + PROJECT + "\"}").post("/v1/admin/projects")
                .then().statusCode(201).extract().path("writeKey");
        List<String> made = new ArrayList<>();
        open(writeKey, 200);
        String anonymousId = (String) js("return window.northstar.anonymousId");
        assertThat(anonymousId).isNotBlank();

        // Online: a few events, sent in batches of five.
        for (int i = 0; i < 7; i++) {
            made.add((String) js("return window.northstar.featureUsed('export', {row: arguments[0]})", i));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> pending() == 0);

        // Offline: events are kept (in localStorage) and retried; back online they go at once.
        browser.setNetworkConditions(offline(true));
        for (int i = 0; i < 12; i++) {
            made.add((String) js("return window.northstar.featureFailed('search', 'timeout')"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> ((Number) js("return window.northstar.stats.retries"))
                .intValue() >= 2);
        assertThat(pending()).as("nothing sent while offline, nothing dropped").isEqualTo(12);
        assertThat((String) js("return localStorage.getItem('northstar.queue')")).contains(made.get(made.size() - 1));
        browser.deleteNetworkConditions();
        await().atMost(Duration.ofSeconds(20)).until(() -> pending() == 0);

        // A page that goes away (offline) before it could send: the next load sends what it left in localStorage.
        open(writeKey, 60_000, 100);
        browser.setNetworkConditions(offline(true));
        for (int i = 0; i < 3; i++) {
            made.add((String) js("return window.northstar.funnelStep('checkout', arguments[0])", i + 1));
        }
        made.add((String) js("return window.northstar.feedbackGiven('export', 5, 'lovely')"));
        made.add((String) js("return window.northstar.identify('user-7')"));
        made.add((String) js("return window.northstar.featureUsed('export')"));
        browser.get("about:blank");
        browser.deleteNetworkConditions();
        open(writeKey, 200);
        assertThat(js("return window.northstar.anonymousId")).as("the same visitor on the next load").isEqualTo(anonymousId);
        assertThat(js("return window.northstar.userId")).isEqualTo("user-7");
        await().atMost(Duration.ofSeconds(20)).until(() -> pending() == 0);

        // Invalid events are refused in the page, with the server's words.
        assertThat((String) js("try { window.northstar.featureUsed('Not A Slug'); return 'taken'; } catch (e) { return e.message; }"))
                .isEqualTo("feature: must match [a-z0-9][a-z0-9._-]{0,63}");
        assertThat((String) js("try { window.northstar.feedbackGiven('export', 9); return 'taken'; } catch (e) { return e.message; }"))
                .isEqualTo("rating: must be an integer from 1 to 5");

        // Every event made is on the events topic (a batch sent twice is the same events, deduplicated later).
        try (var events = new TopicReader(KafkaResource.bootstrapServers(), Topics.EVENTS.name())) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Set<String> stored = new HashSet<>();
                List<JsonNode> ours = new ArrayList<>();
                for (String value : events.values(v -> v.contains("\"projectId\":\"" + PROJECT + "\""))) {
                    JsonNode event = NorthstarJson.mapper().readTree(value);
                    stored.add(event.get("eventId").asText());
                    ours.add(event);
                }
                assertThat(stored).containsExactlyInAnyOrderElementsOf(made);
                JsonNode identified = ours.stream().filter(e -> e.get("type").asText().equals("user_identified"))
                        .findFirst().orElseThrow();
                assertThat(identified.get("anonymousId").asText()).isEqualTo(anonymousId);
                assertThat(identified.get("userId").asText()).isEqualTo("user-7");
                assertThat(ours).filteredOn(e -> e.get("type").asText().equals("feature_failed")).hasSize(12)
                        .allSatisfy(e -> assertThat(e.get("errorCode").asText()).isEqualTo("timeout"));
            });
        }
    }

    private static ChromiumNetworkConditions offline(boolean offline) {
        var conditions = new ChromiumNetworkConditions();
        conditions.setOffline(offline);
        return conditions;
    }
}
