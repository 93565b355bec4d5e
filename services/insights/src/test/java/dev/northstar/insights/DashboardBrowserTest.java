package dev.northstar.insights;

import dev.northstar.model.notify.FeatureHistory;
import dev.northstar.model.snapshot.FeatureInsight;

import dev.northstar.registry.KeyRole;
import dev.northstar.registry.ProjectKeys;
import dev.northstar.model.json.NorthstarJson;
import dev.northstar.model.project.ProjectEvent;
import dev.northstar.model.snapshot.AdoptionRecord.FeatureAdoption;
import dev.northstar.model.snapshot.AdoptionRecord.ProjectActivity;
import dev.northstar.model.snapshot.DailyUsers;
import dev.northstar.model.snapshot.FeatureFeedback;
import dev.northstar.model.snapshot.FeatureTrend;
import dev.northstar.model.snapshot.FrictionRecord.ErrorCodeCount;
import dev.northstar.model.snapshot.FrictionRecord.FeatureFriction;
import dev.northstar.model.snapshot.FrictionRecord.FunnelProgress;
import dev.northstar.model.snapshot.FrictionRecord.FunnelStep;
import dev.northstar.model.snapshot.UserCounts;
import dev.northstar.model.snapshot.WeeklyUsers;
import dev.northstar.model.topic.Topics;
import dev.northstar.testkit.KafkaResource;
import dev.northstar.testkit.RequiresChromium;
import dev.northstar.testkit.TopicWriter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real browser (Debian's headless chromium, driven by Selenium) against the real
 * insights service and broker: sign in, see every feature with the recommendation the API gives,
 * open a feature, and check that comments carrying markup stay text and never run.
 * Screenshots go to {@code target/screenshots/} for humans to look at. Skipped, saying what to
 * install, where no chromium is installed ({@link RequiresChromium}); CI requires it.
 */
@RequiresChromium
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
class DashboardBrowserTest {

    private static final Path CHROMIUM = RequiresChromium.CHROMIUM;
    private static final Path CHROMEDRIVER = RequiresChromium.CHROMEDRIVER;
    private static final Path SCREENSHOTS = Path.of("target/screenshots");
    private static final Instant NOW = Instant.now();
    private static final String PROJECT = "ui-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String XSS_SCRIPT = "<script>window.__xss = 'script'</script>";
    private static final String XSS_IMG = "<img src=x onerror=\"window.__xss = 'img'\">";

    private static String readKey;
    private static ChromeDriver browser;
    private static String profile;

    @TestHTTPResource("/")
    URL dashboard;

    private static String json(Object value) {
        try {
            return NorthstarJson.mapper().writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<DailyUsers> daily(int perDay) {
        List<DailyUsers> days = new ArrayList<>();
        LocalDate today = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
        for (int i = 27; i >= 0; i--) {
            days.add(new DailyUsers(today.minusDays(i), perDay + (i % 5), perDay * 3L));
        }
        return days;
    }

    @BeforeAll
    static void publishSignalsAndOpenBrowser() {
        try (var writer = new TopicWriter(KafkaResource.bootstrapServers())) {
            var write = ProjectKeys.issue(KeyRole.WRITE);
            var read = ProjectKeys.issue(KeyRole.READ);
            readKey = read.key();
            writer.send(Topics.PROJECTS.name(), PROJECT, json(new ProjectEvent.ProjectRegistered(PROJECT, "UI test",
                    write.hash(), read.hash(), NOW)));
            String adoption = Topics.FEATURE_ADOPTION.name();
            writer.send(adoption, PROJECT, json(new ProjectActivity(PROJECT, new UserCounts(300, 400, 500), NOW)));
            LocalDate today = LocalDate.ofInstant(NOW, ZoneOffset.UTC);
            writer.send(adoption, PROJECT + "/export", json(new FeatureAdoption(PROJECT, "export",
                    new UserCounts(100, 200, 210), 900, NOW.minus(Duration.ofDays(60)), NOW, daily(20), NOW, null, null,
                    new FeatureTrend(java.util.stream.IntStream.range(0, 8).mapToObj(w -> WeeklyUsers.of(
                            WeeklyUsers.monday(today).minusWeeks(7 - w), 30 + 3L * w)).toList(), 50, 40), 35L)));
            writer.send(adoption, PROJECT + "/legacy-report", json(new FeatureAdoption(PROJECT, "legacy-report",
                    new UserCounts(1, 4, 50), 60, NOW.minus(Duration.ofDays(90)), NOW, daily(1), NOW)));
            writer.send(adoption, PROJECT + "/search", json(new FeatureAdoption(PROJECT, "search",
                    new UserCounts(40, 80, 90), 300, NOW.minus(Duration.ofDays(30)), NOW, daily(8), NOW)));
            writer.send(adoption, PROJECT + "/onboarding", json(new FeatureAdoption(PROJECT, "onboarding",
                    new UserCounts(20, 40, 40), 70, NOW.minus(Duration.ofDays(20)), NOW, daily(3), NOW)));
            writer.send(Topics.FEATURE_FRICTION.name(), PROJECT + "/search", json(new FeatureFriction(PROJECT,
                    "search", 240, 60, 0.2, 75, List.of(new ErrorCodeCount("timeout", 70),
                    new ErrorCodeCount("<b>bold</b>", 5)), NOW)));
            writer.send(Topics.FEATURE_FRICTION.name(), PROJECT + "/funnels/checkout", json(new FunnelProgress(PROJECT,
                    "checkout", List.of(new FunnelStep(1, 200, 1.0), new FunnelStep(2, 120, 0.6),
                    new FunnelStep(3, 30, 0.25)), NOW, null, 3, List.of(new dev.northstar.model.snapshot.FrictionRecord.StepTimes(2,
                    new java.util.TreeMap<>(Map.of(94L, 120L)))))));
            writer.send(Topics.FEATURE_FEEDBACK.name(), PROJECT + "/export", json(new FeatureFeedback(PROJECT,
                    "export", 3, 4.67, List.of(0L, 0L, 0L, 1L, 2L), List.of(
                    new FeatureFeedback.Comment("c1", 5, XSS_SCRIPT, NOW),
                    new FeatureFeedback.Comment("c2", 4, XSS_IMG, NOW.minusSeconds(60))), NOW)));
            // The catalogue: export declared with its owner, "tour" declared 30 days ago and never used.
            writer.send(Topics.PROJECTS.name(), Topics.declarationKey(PROJECT, "export"), json(
                    new ProjectEvent.FeatureDeclared(PROJECT, "export", "Export to CSV", "Download any table",
                            "data-team", today.minusDays(60), ProjectEvent.FeatureStatus.GA, NOW)));
            writer.send(Topics.PROJECTS.name(), Topics.declarationKey(PROJECT, "tour"), json(
                    new ProjectEvent.FeatureDeclared(PROJECT, "tour", "Product tour", null, "growth",
                            today.minusDays(30), ProjectEvent.FeatureStatus.BETA, NOW)));
            // The notifier's history of export: watch first, then expand (hostile text in a reason stays text).
            var first = new FeatureHistory.Change(Instant.parse("2026-11-20T08:00:00Z"), null, FeatureInsight.Action.WATCH,
                    List.of("adoption 4.0% is between the thresholds"), 0.04, 0, null);
            var second = new FeatureHistory.Change(Instant.parse("2026-11-27T09:30:00Z"), FeatureInsight.Action.WATCH,
                    FeatureInsight.Action.EXPAND, List.of("adoption 50.0% is at least 30.0%", XSS_IMG), 0.5, 0.01, 4.7);
            writer.send(Topics.FEATURE_HISTORY.name(), Topics.featureKey(PROJECT, "export"), json(new FeatureHistory(
                    PROJECT, "export", FeatureInsight.Action.EXPAND, false, List.of(second, first), null)));
        }
        profile = tempDir("chromium-profile-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,1000", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
    }

    private static String tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix).toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @AfterAll
    static void closeBrowser() throws java.io.IOException {
        if (browser != null) {
            browser.quit();
        }
        if (profile != null) {
            org.apache.kafka.common.utils.Utils.delete(new File(profile));
        }
    }

    /** Clicks the row of {@code feature}; tries again when a refresh replaced the rows meanwhile. */
    private void openFeatureRow(String feature) {
        waiting().ignoring(StaleElementReferenceException.class).until(d -> {
            d.findElements(By.cssSelector("#rows tr")).stream()
                    .filter(r -> r.getText().startsWith(feature)).findFirst().orElseThrow().click();
            return true;
        });
    }

    /** The feature names of the table's rows, top to bottom, read in one go (polling re-renders the rows). */
    @SuppressWarnings("unchecked")
    private static List<String> featureOrder() {
        return (List<String>) ((JavascriptExecutor) browser).executeScript(
                "return Array.from(document.querySelectorAll('#rows tr')).map(tr => tr.dataset.feature);");
    }

    private WebDriverWait waiting() {
        return new WebDriverWait(browser, Duration.ofSeconds(20));
    }

    private static void screenshot(String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        File shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void aTeamSignsInSeesEveryRecommendationOpensAFeatureAndNoCommentRuns() throws Exception {
        // The page is served under a strict policy, and everything below works under it.
        var page = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(dashboard.toURI()).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("script-src 'self'").contains("connect-src 'self'").contains("frame-ancestors 'none'")
                .doesNotContain("unsafe-inline");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("no-referrer");
        browser.get(dashboard.toString());
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("signin")));
        screenshot("1-sign-in");

        // A wrong key is refused with a clear message, and nothing is shown.
        browser.findElement(By.id("project")).sendKeys(PROJECT);
        browser.findElement(By.id("key")).sendKeys("nsr_0000000000000000_wrong");
        browser.findElement(By.cssSelector("#signin-form button")).click();
        waiting().until(ExpectedConditions.textMatches(By.id("signin-error"), java.util.regex.Pattern.compile(".+")));
        assertThat(browser.findElement(By.id("features")).isDisplayed()).isFalse();

        browser.findElement(By.id("key")).clear();
        browser.findElement(By.id("key")).sendKeys(readKey);
        browser.findElement(By.cssSelector("#signin-form button")).click();
        // Insights learns the project and its signals from Kafka; the table fills as they arrive.
        waiting().withTimeout(Duration.ofSeconds(60)).until(d -> d.findElements(By.cssSelector("#rows tr")).size() == 5);
        waiting().until(d -> d.findElements(By.cssSelector("#funnels .funnel .step")).size() == 3);
        screenshot("2-features");
        WebElement exportRow = browser.findElement(By.cssSelector("#rows tr[data-feature='export']"));
        assertThat(exportRow.findElements(By.cssSelector("svg.sparkline circle"))).hasSize(8);
        assertThat(exportRow.findElement(By.cssSelector("td.trend .change")).getText()).isEqualTo("+25.0%");
        assertThat(exportRow.findElement(By.cssSelector("td.stickiness")).getText()).isEqualTo("10.9%");
        assertThat(browser.findElement(By.id("funnels")).getText()).contains("checkout").contains("120 users")
                .contains("60.0% from step 1, median 1 min").contains("25.0% from step 2")
                .contains("within 3 days of step 1");

        Map<String, String> badges = browser.findElements(By.cssSelector("#rows tr")).stream().collect(Collectors.toMap(
                row -> row.getAttribute("data-feature"),
                row -> row.findElement(By.cssSelector(".badge")).getText().toLowerCase(java.util.Locale.ROOT)));
        assertThat(badges).containsEntry("export", "expand").containsEntry("search", "improve")
                .containsEntry("legacy-report", "sunset").containsEntry("onboarding", "watch")
                .containsEntry("tour", "sunset");
        // Declared features show their catalogue entry, a declared one nobody used too; others say so.
        assertThat(exportRow.findElement(By.cssSelector(".catalogue")).getText())
                .contains("Export to CSV").contains("data-team").containsIgnoringCase("ga");
        WebElement tourRow = browser.findElement(By.cssSelector("#rows tr[data-feature='tour']"));
        assertThat(tourRow.getText()).contains("Product tour").contains("growth")
                .contains("no use recorded since release 30 days ago");
        assertThat(browser.findElement(By.cssSelector("#rows tr[data-feature='search'] .catalogue")).getText())
                .isEqualTo("not declared");
        WebElement sunsetRow = browser.findElements(By.cssSelector("#rows tr")).stream()
                .filter(r -> r.getText().startsWith("legacy-report")).findFirst().orElseThrow();
        assertThat(sunsetRow.getText()).contains("adoption 1.0% (4 of 400 active users, 28 days) is below the 5.0% "
                + "sunset threshold");

        // The table follows the sort the team picks (the API's ?sort), adoption first by default.
        assertThat(featureOrder()).containsExactly("export", "search", "onboarding", "legacy-report", "tour");
        Select sort = new Select(browser.findElement(By.id("sort")));
        sort.selectByValue("feature");
        waiting().until(d -> featureOrder().equals(List.of("export", "legacy-report", "onboarding", "search", "tour")));
        sort.selectByValue("failureRate");
        waiting().until(d -> featureOrder().equals(List.of("search", "export", "legacy-report", "onboarding", "tour")));
        screenshot("2b-sorted-by-failure-rate");
        sort.selectByValue("adoption");
        waiting().until(d -> featureOrder().equals(List.of("export", "search", "onboarding", "legacy-report", "tour")));

        // Open the feature with the hostile comments.
        openFeatureRow("export");
        waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("detail")));
        waiting().until(d -> d.findElements(By.cssSelector("#comments li")).size() == 2);
        waiting().until(d -> d.findElements(By.cssSelector("#chart div")).size() == 28);
        screenshot("3-feature-export");

        assertThat(browser.findElement(By.id("detail-catalogue")).getText()).contains("Export to CSV")
                .contains("data-team").contains("Download any table");
        // What would change the call, stickiness, the 8 weeks, and the day under the pointer.
        assertThat(browser.findElements(By.cssSelector("#would-change li"))).extracting(WebElement::getText)
                .contains("expand clears below 30.0% adoption: 81 fewer of 400 active users");
        assertThat(browser.findElement(By.id("engagement")).getText())
                .contains("stickiness 10.9% (mean daily users ÷ 28-day users)")
                .contains("35 returning users (2 or more days in 28)")
                .contains("50 users in the last 7 days, 40 in the 7 before (+25.0%)");
        assertThat(browser.findElements(By.cssSelector("#weeks svg circle"))).hasSize(8);
        assertThat(browser.findElement(By.id("weeks-labels")).getText())
                .isEqualTo(WeeklyUsers.isoWeek(LocalDate.ofInstant(NOW, ZoneOffset.UTC).minusWeeks(7)) + " … "
                        + WeeklyUsers.isoWeek(LocalDate.ofInstant(NOW, ZoneOffset.UTC)));
        String day = LocalDate.ofInstant(NOW, ZoneOffset.UTC).minusDays(3).toString();
        new Actions(browser).moveToElement(browser.findElement(By.cssSelector("#chart div[data-day='" + day + "']")))
                .perform();
        waiting().until(d -> d.findElement(By.id("chart-readout")).getText().startsWith(day + ": "));
        assertThat(browser.findElement(By.id("chart-readout")).getText()).isEqualTo(day + ": 23 users, 60 uses");
        assertThat(browser.findElement(By.id("chart-axis")).getText())
                .contains(LocalDate.ofInstant(NOW, ZoneOffset.UTC).minusDays(27).toString());
        screenshot("3b-feature-export-hover");

        // The history, newest first, each change with its time, the calls and the new call's reasons.
        waiting().until(d -> d.findElements(By.cssSelector("#history > li")).size() == 2);
        List<String> history = browser.findElements(By.cssSelector("#history > li")).stream().map(WebElement::getText)
                .toList();
        assertThat(history.get(0)).startsWithIgnoringCase("2026-11-27 09:30:00 UTC watch → expand").contains(XSS_IMG);
        assertThat(history.get(1)).startsWithIgnoringCase("2026-11-20 08:00:00 UTC first call: watch");
        assertThat(browser.findElements(By.cssSelector("#history img"))).isEmpty();
        ((JavascriptExecutor) browser).executeScript("document.getElementById('history').scrollIntoView()");
        screenshot("3c-feature-export-history");

        List<String> comments = browser.findElements(By.cssSelector("#comments li")).stream()
                .map(WebElement::getText).toList();
        assertThat(comments).containsExactly("5★ " + XSS_SCRIPT, "4★ " + XSS_IMG);
        assertThat(browser.findElements(By.cssSelector("#comments img, #comments script"))).isEmpty();
        Object xss = ((JavascriptExecutor) browser).executeScript("return window.__xss === undefined ? null : window.__xss;");
        assertThat(xss).as("markup in a comment must never run").isNull();
        // The browser enforces the policy: a script injected inline does not run.
        Object inline = ((JavascriptExecutor) browser).executeScript("var s = document.createElement('script');"
                + "s.textContent = 'window.__inlineRan = true;'; document.body.appendChild(s);"
                + "return window.__inlineRan === true;");
        assertThat(inline).as("an inline script under the page's Content-Security-Policy").isEqualTo(false);
        assertThat(browser.findElement(By.id("ratings")).getText()).contains("5★: 2").contains("4★: 1");

        // An error code with markup is text too.
        browser.findElement(By.id("back")).click();
        openFeatureRow("search");
        waiting().until(d -> d.findElements(By.cssSelector("#errors li")).size() == 2);
        assertThat(browser.findElement(By.id("errors")).getText()).contains("<b>bold</b>: 5");
        assertThat(browser.findElements(By.cssSelector("#errors b"))).isEmpty();
        screenshot("4-feature-search");
    }
}
