package dev.unusd.hub.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.unusd.hub.scan.ScanFixture;
import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.SessionStore;
import dev.unusd.hub.support.TestSpokeSim;
import dev.unusd.spokesim.SpokeSim;
import tools.jackson.databind.JsonNode;

/**
 * The dashboard in a real browser (Debian's headless chromium through its chromedriver): sign in, add an account,
 * scan it and watch the scan finish, read the overview against GET /api/v1/summary, filter findings, open a key,
 * mute a finding, create and remove a suppression, change a setting and have a bad one refused.
 * Saves the screenshots the README shows (docs/img). Skipped where no chromium is installed (.ci/run installs it).
 */
class DashboardBrowserIntegrationTest extends HubIntegrationTest {

    private static final File CHROMIUM = new File(System.getProperty("hub.test.chromium", "/usr/bin/chromium"));
    private static final File CHROMEDRIVER = new File(System.getProperty("hub.test.chromedriver", "/usr/bin/chromedriver"));
    private static final Path SCREENSHOTS = Path.of("..", "docs", "img");

    private static ChromeDriver browser;

    @BeforeAll
    static void startBrowser() {
        Assumptions.assumeTrue(CHROMIUM.canExecute() && CHROMEDRIVER.canExecute(),
                "No browser: the dashboard's browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                        + " (apt-get install chromium chromium-driver)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--lang=en-US");
        // The driver is the machine's: Selenium Manager would try to download one.
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER).build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().implicitlyWait(Duration.ZERO);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** Each test starts signed out, whatever the one before it left. */
    @BeforeEach
    void signedOut() {
        browser.manage().deleteAllCookies();
    }

    @Test
    void aTenantSignsInAddsAnAccountScansItAndReadsItsFindings() throws IOException {
        TenantHandle tenant = newTenant();
        disableSchedule(tenant.api());
        String awsAccountId = TestSpokeSim.newAccount(List.of("us-east-1", "eu-west-1"), 3);

        open("/");
        assertThat(browser.getCurrentUrl()).endsWith("/sign-in");
        browser.findElement(By.id("apiKey")).sendKeys("unusd_not_a_key");
        browser.findElement(By.id("sign-in")).click();
        assertThat(text("sign-in-error")).contains("not valid");
        browser.findElement(By.id("apiKey")).sendKeys(tenant.apiKey());
        browser.findElement(By.id("sign-in")).click();
        // Until the browser has loaded the next page, h1 is still the sign-in page's.
        wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.tagName("h1"), "Overview"));
        assertThat(text("no-trends")).contains("No scan has finished");

        // Add the account; its page carries the onboarding links and the ExternalId the role is deployed with.
        open("/accounts");
        browser.findElement(By.id("awsAccountId")).sendKeys(awsAccountId);
        browser.findElement(By.id("name")).sendKeys("production");
        browser.findElement(By.id("add-account-submit")).click();
        assertThat(text("account-added")).contains("Account added");
        assertThat(text("account-aws-id")).isEqualTo(awsAccountId);
        assertThat(text("cli-command")).contains("aws cloudformation").contains(externalIdOf(tenant, awsAccountId));
        String externalId = browser.findElement(By.cssSelector("#account-details code")).getText();
        TestSpokeSim.get().deployRole(awsAccountId, "UnusdSpokeRole", externalId);
        browser.findElement(By.id("verify")).click();
        wait(Duration.ofSeconds(30)).until(ExpectedConditions.textToBe(By.cssSelector("#verification-status .badge"),
                "CONNECTED"));
        screenshot("dashboard-account.png");

        // Two scans, so the trends have a line; the second is watched until it ends through htmx polling.
        for (int scan = 0; scan < 2; scan++) {
            open("/scans");
            browser.findElement(By.id("start-scan")).click();
            wait(Duration.ofSeconds(60)).until(ExpectedConditions.textToBe(By.id("scan-status"), "SUCCEEDED"));
        }
        assertThat(text("scan-targets-done")).isEqualTo("2 of 2 targets done");
        assertThat(text("scan-keys")).isEqualTo("6");
        screenshot("dashboard-scan.png");

        // The overview's figures are the summary's.
        JsonNode summary = tenant.api().get("/api/v1/summary").json();
        open("/");
        assertThat(text("monthly-cost")).isEqualTo(usd(summary.get("monthlyCostUsd").decimalValue()));
        assertThat(text("potential-savings"))
                .isEqualTo(usd(summary.get("potentialMonthlySavingsUsd").decimalValue()));
        assertThat(text("open-findings")).isEqualTo(summary.get("findings").get("open").asString());
        assertThat(summary.get("findings").get("open").asLong()).isEqualTo(12);
        for (String type : List.of("KEY_UNUSED", "ROTATION_DISABLED", "ROTATION_PERIOD_TOO_LONG",
                "PENDING_DELETION_IN_USE")) {
            assertThat(browser.findElement(By.cssSelector("#by-type td[data-type='" + type + "']")).getText())
                    .isEqualTo(summary.get("findings").get("byType").get(type).asString());
        }
        assertThat(browser.findElement(By.cssSelector("#worst-accounts tbody th")).getText()).isEqualTo("production");
        assertThat(browser.findElements(By.cssSelector("#chart-cost, #chart-findings"))).hasSize(2);
        wait(Duration.ofSeconds(5)).until(d -> (Boolean) ((ChromeDriver) d).executeScript(
                "return Chart.getChart('chart-findings') !== undefined"));
        assertThat(browser.findElements(By.id("trends-cost-unknown"))).as("every key's cost known").isEmpty();
        screenshot("dashboard-overview.png");

        // Filter the findings to one type, by keyboard-usable checkboxes and the Apply button.
        open("/findings");
        assertThat(browser.findElements(By.cssSelector("#findings tr.finding"))).hasSize(12);
        browser.findElement(By.id("type-KEY_UNUSED")).click();
        browser.findElement(By.id("apply-filters")).click();
        wait(Duration.ofSeconds(10)).until(ExpectedConditions.urlContains("type=KEY_UNUSED"));
        List<WebElement> unused = browser.findElements(By.cssSelector("#findings tr.finding"));
        assertThat(unused).hasSize(6);
        assertThat(unused).allSatisfy(row -> assertThat(row.getDomAttribute("data-type")).isEqualTo("KEY_UNUSED"));
        assertThat(browser.findElement(By.id("csv-link")).getDomAttribute("href")).contains("type=KEY_UNUSED");
        unused.get(0).findElement(By.tagName("summary")).click();
        assertThat(unused.get(0).findElement(By.cssSelector("pre[id^='fix-']")).getText()).contains("aws kms");
        screenshot("dashboard-findings.png");

        // Open a key from its finding.
        String keyId = unused.get(0).findElement(By.className("key-link")).getText();
        unused.get(0).findElement(By.className("key-link")).click();
        assertThat(text("key-id")).isEqualTo(keyId);
        assertThat(text("usage-status")).isEqualTo("UNUSED");
        assertThat(browser.findElements(By.cssSelector("#key-findings tbody tr"))).hasSize(2);
        screenshot("dashboard-key.png");

        // Mute one finding from its row: it leaves the open findings at once.
        open("/findings?type=KEY_UNUSED");
        WebElement row = browser.findElements(By.cssSelector("#findings tr.finding")).get(0);
        String muted = row.getDomAttribute("data-id");
        row.findElement(By.tagName("summary")).click();
        row.findElement(By.cssSelector("input[name='reason']")).sendKeys("kept for the audit archive");
        row.findElement(By.cssSelector("input[name='author']")).sendKeys("alice");
        row.findElement(By.className("mute-submit")).click();
        assertThat(text("muted")).isEqualTo("1 findings muted.");
        assertThat(browser.findElements(By.cssSelector("#findings tr.finding"))).hasSize(11)
                .noneSatisfy(r -> assertThat(r.getDomAttribute("data-id")).isEqualTo(muted));
        assertThat(tenant.api().get("/api/v1/findings/" + muted).json().get("status").asString())
                .isEqualTo("SUPPRESSED");
        JsonNode suppression = tenant.api().get("/api/v1/suppressions").json().get("items").get(0);
        assertThat(suppression.get("author").asString()).isEqualTo("alice");
        assertThat(suppression.get("scope").asString()).isEqualTo("FINDING");

        // Suppressions: the mute above is listed; mute a finding type across the account, then remove that by keyboard.
        open("/suppressions");
        assertThat(browser.findElements(By.cssSelector("#suppressions tr.suppression"))).hasSize(1);
        long rotationOpen = tenant.api().get("/api/v1/findings?type=ROTATION_DISABLED&status=OPEN&limit=500").json()
                .get("items").size();
        assertThat(rotationOpen).isEqualTo(summary.get("findings").get("byType").get("ROTATION_DISABLED").asLong());
        browser.findElement(By.id("scope-ACCOUNT_TYPE")).click();
        new Select(browser.findElement(By.id("accountId"))).selectByVisibleText("production (" + awsAccountId + ")");
        new Select(browser.findElement(By.id("type"))).selectByValue("ROTATION_DISABLED");
        browser.findElement(By.id("reason")).sendKeys("rotation is the HSM team's, tracked in OPS-12");
        browser.findElement(By.id("author")).sendKeys("bob");
        browser.findElement(By.id("create-suppression-submit")).click();
        wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("suppression-message"),
                "The suppression was created."));
        List<WebElement> suppressions = browser.findElements(By.cssSelector("#suppressions tr.suppression"));
        assertThat(suppressions).hasSize(2);
        WebElement byType = suppressions.get(1);
        assertThat(byType.getDomAttribute("data-scope")).isEqualTo("ACCOUNT_TYPE");
        assertThat(byType.findElement(By.tagName("th")).getText())
                .isEqualTo("every ROTATION_DISABLED finding of account production");
        assertThat(byType.findElement(By.cssSelector("td.num")).getText()).isEqualTo(String.valueOf(rotationOpen));
        assertThat(tenant.api().get("/api/v1/findings?type=ROTATION_DISABLED&status=OPEN").json().get("items").size())
                .isZero();
        screenshot("dashboard-suppressions.png");
        byType.findElement(By.className("remove-suppression")).sendKeys(Keys.ENTER);
        wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBePresentInElementLocated(
                By.id("suppression-message"), "The suppression was removed"));
        assertThat(browser.findElements(By.cssSelector("#suppressions tr.suppression"))).hasSize(1);
        assertThat(tenant.api().get("/api/v1/suppressions").json().get("items").size()).isOne();

        // Settings: one change saved, one refused beside its field with nothing changed.
        open("/settings");
        WebElement days = browser.findElement(By.id("unusedDays"));
        days.clear();
        days.sendKeys("30");
        browser.findElement(By.id("save-settings")).click();
        wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.id("settings-message"),
                "The settings were saved."));
        assertThat(tenant.api().get("/api/v1/settings").json().get("unusedDays").asInt()).isEqualTo(30);
        WebElement cron = browser.findElement(By.id("schedule-cron"));
        cron.clear();
        cron.sendKeys("0 0 6 * *");
        days = browser.findElement(By.id("unusedDays"));
        days.clear();
        days.sendKeys("45");
        browser.findElement(By.id("save-settings")).click();
        assertThat(text("schedule-cron-error")).isEqualTo("Cron must be a six-field cron expression, e.g. \"0 0 6 * * *\"");
        assertThat(browser.findElement(By.id("schedule-cron")).getDomAttribute("aria-describedby"))
                .isEqualTo("schedule-cron-error");
        JsonNode unchanged = tenant.api().get("/api/v1/settings").json();
        assertThat(unchanged.get("unusedDays").asInt()).isEqualTo(30);
        assertThat(unchanged.get("schedule").get("cron").asString()).isEqualTo("0 0 6 * * *");

        browser.findElement(By.id("sign-out")).click();
        wait(Duration.ofSeconds(5)).until(ExpectedConditions.urlContains("/sign-in?signed-out"));
        open("/findings");
        assertThat(browser.getCurrentUrl()).endsWith("/sign-in");
    }

    @Test
    void theCostChartMarksScansWhoseCostLeavesOutKeysOfUnknownCost() {
        TenantHandle tenant = newTenant();
        disableSchedule(tenant.api());
        ScanFixture.SimAccount account = ScanFixture.register(tenant.api(), List.of("us-east-1"), 2);
        scan(tenant.api());
        // DescribeKey denied: both keys' cost is unknown at the second scan, and out of its sum.
        Set<String> actions = new HashSet<>(SpokeSim.templateActions());
        actions.remove("kms:DescribeKey");
        TestSpokeSim.get().setRoleActions(account.awsAccountId(), "UnusdSpokeRole", actions);
        scan(tenant.api());

        signIn(tenant.apiKey());
        assertThat(text("trends-cost-unknown")).startsWith("· Triangles mark scans whose monthly cost leaves out keys "
                + "of unknown cost");
        assertThat(browser.findElement(By.id("chart-cost")).getDomAttribute("aria-describedby"))
                .isEqualTo("trends-cost-unknown");
        wait(Duration.ofSeconds(5)).until(d -> (Boolean) ((ChromeDriver) d).executeScript(
                "return Chart.getChart('chart-cost') !== undefined"));
        assertThat(browser.executeScript("return Chart.getChart('chart-cost').data.datasets[0].pointStyle"))
                .isEqualTo(List.of("circle", "triangle"));
        assertThat(browser.executeScript("return Chart.getChart('chart-cost').data.datasets[0].segment"
                + ".borderDash({p0DataIndex: 0, p1DataIndex: 1})")).as("the line between them").isEqualTo(List.of(6L, 4L));
        assertThat(browser.executeScript("""
                var chart = Chart.getChart('chart-cost');
                chart.tooltip.setActiveElements([{datasetIndex: 0, index: 1}], {x: 0, y: 0});
                chart.update();
                return chart.tooltip.footer;""")).isEqualTo(List.of("Cost leaves out 2 keys of unknown cost"));
    }

    private static void scan(ApiClient api) {
        JsonNode scan = ScanFixture.awaitEnd(api, api.post("/api/v1/scans", Map.of()).json().get("id").asString());
        assertThat(scan.get("status").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void aNewApiKeyIsShownOnceOnThePageThatCreatedIt() {
        TenantHandle tenant = newTenant();
        signIn(tenant.apiKey());

        open("/settings");
        browser.findElement(By.id("create-key")).click();
        String key = text("issued-key");
        assertThat(key).startsWith("unusd_").hasSize(49);
        assertThat(browser.findElements(By.cssSelector("#api-keys tbody tr"))).hasSize(2);
        assertThat(tenant.api().as(key).get("/api/v1/api-keys").json().get("items").size()).isEqualTo(2);

        open("/settings");
        assertThat(browser.findElements(By.id("issued-key"))).isEmpty();
        assertThat(browser.findElements(By.cssSelector("#api-keys tbody tr"))).hasSize(2);
    }

    @Test
    void aRefusedSignInSaysSoAndWhatWasTypedStaysOutOfTheSessionStore() throws Exception {
        String wrongKey = keyOfNoTenant();
        refusedSignIn(wrongKey);
        String session = SessionStore.sessionId(browser.manage().getCookieNamed("SESSION").getValue());
        assertThat(SessionStore.attributes(session)).as("the sign-in form's session, stored").isPositive();
        assertThat(SessionStore.piecesOf(wrongKey.substring("unusd_".length()))).isEmpty();

        // The admin token: a real secret, typed into the wrong form.
        refusedSignIn(ADMIN_TOKEN);
        assertThat(SessionStore.piecesOf(ADMIN_TOKEN)).isEmpty();
    }

    private void refusedSignIn(String typed) {
        open("/sign-in");
        browser.findElement(By.id("apiKey")).sendKeys(typed);
        browser.findElement(By.id("sign-in")).click();
        assertThat(text("sign-in-error")).isEqualTo("That API key is not valid or was revoked.");
        assertThat(browser.getCurrentUrl()).endsWith("/sign-in?error");
    }

    private void signIn(String apiKey) {
        open("/sign-in");
        browser.findElement(By.id("apiKey")).sendKeys(apiKey);
        browser.findElement(By.id("sign-in")).click();
        wait(Duration.ofSeconds(10)).until(ExpectedConditions.textToBe(By.tagName("h1"), "Overview"));
    }

    private static String externalIdOf(TenantHandle tenant, String awsAccountId) {
        return tenant.api().get("/api/v1/accounts").json().get("items").valueStream()
                .filter(a -> a.get("awsAccountId").asString().equals(awsAccountId)).findFirst().orElseThrow()
                .get("externalId").asString();
    }

    private void open(String path) {
        browser.get("http://127.0.0.1:" + port + path);
    }

    private static String text(String id) {
        return wait(Duration.ofSeconds(5)).until(ExpectedConditions.visibilityOfElementLocated(By.id(id))).getText();
    }

    private static WebDriverWait wait(Duration timeout) {
        return new WebDriverWait(browser, timeout);
    }

    private static String usd(BigDecimal amount) {
        return String.format("$%,.2f", amount);
    }

    private static void screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Only the test's scans run. */
    private static void disableSchedule(ApiClient api) {
        JsonNode settings = api.get("/api/v1/settings").json();
        ApiClient.Response put = api.put("/api/v1/settings", Map.of(
                "exceptionTag", Map.of("key", settings.get("exceptionTag").get("key").asString(),
                        "value", settings.get("exceptionTag").get("value").asString()),
                "unusedDays", settings.get("unusedDays").asInt(),
                "maxRotationPeriodDays", settings.get("maxRotationPeriodDays").asInt(),
                "defaultRegions", List.of("us-east-1", "eu-west-1"),
                "schedule", Map.of("cron", "0 0 6 * * *", "timezone", "UTC", "enabled", false)));
        assertThat(put.status()).isEqualTo(200);
    }
}
