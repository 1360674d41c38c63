package dev.unusd.hub.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.scheduling.support.CronExpression;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.Browser;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.Seed;
import dev.unusd.hub.support.SessionStore;
import tools.jackson.databind.JsonNode;

/** The dashboard's sessions, CSRF and tenant scoping, over plain HTTP (the browser tests drive chromium). */
class DashboardIntegrationTest extends HubIntegrationTest {

    /** What chromium sends for a page. */
    private static final String HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
    private static final Pattern ISSUED_KEY = Pattern.compile("<pre id=\"issued-key\">([^<]+)</pre>");

    private Browser browser() {
        return new Browser("http://127.0.0.1:" + port);
    }

    @Test
    void pagesNeedASessionAndAnApiKeyBuysOne() throws Exception {
        TenantHandle tenant = newTenant();
        Browser browser = browser();

        HttpResponse<String> anonymous = browser.get("/findings");
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location").orElseThrow()).endsWith("/sign-in");

        String typed = keyOfNoTenant();
        HttpResponse<String> wrong = browser.signIn(typed);
        assertThat(wrong.statusCode()).isEqualTo(302);
        assertThat(wrong.headers().firstValue("Location").orElseThrow()).endsWith("/sign-in?error");
        assertThat(SessionStore.piecesOf(typed.substring("unusd_".length()))).as("what was typed, stored").isEmpty();
        assertThat(browser.get("/").statusCode()).isEqualTo(302);

        HttpResponse<String> signedIn = browser.signIn(tenant.apiKey());
        assertThat(signedIn.statusCode()).isEqualTo(302);
        // Back to the page asked for before signing in (the overview, asked for after the failed attempt).
        assertThat(signedIn.headers().firstValue("Location").orElseThrow()).endsWith(":" + port + "/?continue");
        String cookie = signedIn.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("SESSION=")).findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("SameSite=Lax").doesNotContain("Secure");

        HttpResponse<String> overview = browser.get("/");
        assertThat(overview.statusCode()).isEqualTo(200);
        assertThat(overview.body()).contains("<h1>Overview</h1>").doesNotContain(tenant.apiKey());
        assertThat(overview.headers().firstValue("Content-Security-Policy").orElseThrow())
                .contains("script-src 'self'");
        assertThat(overview.headers().firstValue("X-Frame-Options")).contains("DENY");
    }

    @Test
    void formsWithoutTheirCsrfTokenAreRefusedAndChangeNothing() {
        TenantHandle tenant = newTenant();
        Browser browser = browser();
        browser.signIn(tenant.apiKey());

        HttpResponse<String> forged = browser.post("/accounts", Map.of("awsAccountId", "123456789012", "name", "forged"));

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(tenant.api().get("/api/v1/accounts").json().get("items").size()).isZero();
        assertThat(browser.post("/sign-out", Map.of()).statusCode()).isEqualTo(403);
        assertThat(browser.get("/").statusCode()).as("still signed in").isEqualTo(200);
    }

    @Test
    void signingOutOrRevokingTheKeyEndsTheSession() {
        TenantHandle tenant = newTenant();
        Browser browser = browser();
        browser.signIn(tenant.apiKey());

        HttpResponse<String> out = browser.submit("/", "/sign-out", Map.of());
        assertThat(out.statusCode()).isEqualTo(302);
        assertThat(out.headers().firstValue("Location").orElseThrow()).endsWith("/sign-in?signed-out");
        assertThat(browser.get("/").statusCode()).isEqualTo(302);

        String second = tenant.api().post("/api/v1/api-keys", Map.of()).json().get("apiKey").asString();
        browser.signIn(second);
        assertThat(browser.get("/").statusCode()).isEqualTo(200);
        String secondId = tenant.api().as(second).get("/api/v1/api-keys").json().get("items").valueStream()
                .filter(k -> second.startsWith(k.get("prefix").asString())).findFirst().orElseThrow()
                .get("id").asString();
        assertThat(tenant.api().delete("/api/v1/api-keys/" + secondId).status()).isEqualTo(204);

        HttpResponse<String> revoked = browser.get("/");
        assertThat(revoked.statusCode()).isEqualTo(302);
        assertThat(revoked.headers().firstValue("Location").orElseThrow()).endsWith("/sign-in?revoked");
    }

    @Test
    void pagesShowOnlyTheSignedInTenantsData() {
        TenantHandle mine = newTenant();
        TenantHandle other = newTenant();
        UUID otherKey;
        UUID otherFinding;
        try (Seed seed = new Seed(other.id())) {
            UUID account = seed.account("999988887777", "other-prod");
            otherKey = seed.key(account, "us-east-1", "other-key-1", Map.of("monthly_cost_usd", new BigDecimal("1.00")));
            otherFinding = seed.finding(otherKey, "KEY_UNUSED", "OPEN", Map.of());
        }
        try (Seed seed = new Seed(mine.id())) {
            UUID account = seed.account("111122223333", "my-prod");
            UUID key = seed.key(account, "us-east-1", "my-key-1", Map.of("monthly_cost_usd", new BigDecimal("1.00")));
            seed.finding(key, "ROTATION_DISABLED", "OPEN", Map.of());
        }
        Browser browser = browser();
        browser.signIn(mine.apiKey());

        String findings = browser.get("/findings").body();
        assertThat(findings).contains("my-key-1").doesNotContain("other-key-1").doesNotContain("other-prod");
        assertThat(browser.get("/keys/" + otherKey).statusCode()).isEqualTo(404);
        assertThat(browser.get("/accounts").body()).contains("my-prod").doesNotContain("other-prod");
        assertThat(browser.get("/findings/export.csv").body()).contains("my-key-1").doesNotContain("other-key-1");
        HttpResponse<String> mute = browser.submit("/findings", "/findings/" + otherFinding + "/mute",
                Map.of("scope", "KEY", "reason", "not mine", "author", "mallory"));
        assertThat(mute.statusCode()).isEqualTo(404);
        assertThat(other.api().get("/api/v1/findings/" + otherFinding).json().get("status").asString())
                .isEqualTo("OPEN");
        assertThat(other.api().get("/api/v1/suppressions").json().get("items").size()).isZero();

        String otherSuppression = other.api().post("/api/v1/suppressions", Map.of("scope", "FINDING",
                "findingId", otherFinding.toString(), "reason", "theirs", "author", "bob")).json().get("id").asString();
        assertThat(browser.get("/suppressions").body()).doesNotContain(otherSuppression).doesNotContain("theirs")
                .contains("id=\"no-suppressions\"");
        HttpResponse<String> steal = browser.submit("/suppressions", "/suppressions",
                Map.of("scope", "FINDING", "findingId", otherFinding.toString(), "reason", "mine now", "author", "mallory"));
        assertThat(steal.statusCode()).isEqualTo(404);
        assertThat(steal.body()).contains("Finding id does not name one of this tenant&#39;s findings");
        assertThat(browser.submit("/suppressions", "/suppressions/" + otherSuppression + "/delete", Map.of())
                .statusCode()).isEqualTo(404);
        assertThat(other.api().get("/api/v1/suppressions/" + otherSuppression).status()).isEqualTo(200);
        assertThat(mine.api().get("/api/v1/suppressions").json().get("items").size()).isZero();
    }

    @Test
    void findingsOfAnAccountASyncDeactivatedAreMarkedWithWhy() {
        TenantHandle tenant = newTenant();
        try (Seed seed = new Seed(tenant.id())) {
            UUID gone = seed.account("222233334444", "gone-prod");
            seed.execute("update accounts set enabled = false, status = 'DISABLED', deactivated_reason = 'LEFT_ORGANIZATION',"
                    + " deactivated_at = now() where id = ?", gone);
            seed.finding(seed.key(gone, "us-east-1", "gone-key-1", Map.of()), "KEY_UNUSED", "OPEN", Map.of());
            UUID live = seed.account("555566667777", "live-prod");
            seed.finding(seed.key(live, "us-east-1", "live-key-1", Map.of()), "KEY_UNUSED", "OPEN", Map.of());
        }
        Browser browser = browser();
        browser.signIn(tenant.apiKey());
        String findings = browser.get("/findings").body();
        assertThat(findings).contains("account LEFT_ORGANIZATION");
        assertThat(findings.split("account LEFT_ORGANIZATION", -1)).as("the live account's finding is not marked")
                .hasSize(2);
    }

    @Test
    void theFindingsListFiltersOnWhetherARecentScanVouchesForThem() {
        TenantHandle tenant = newTenant();
        try (Seed seed = new Seed(tenant.id())) {
            UUID account = seed.account("333344445555", "shaky-prod");
            seed.finding(seed.key(account, "us-east-1", "vouched-key-1", Map.of()), "KEY_UNUSED", "OPEN", Map.of());
            seed.finding(seed.key(account, "eu-west-1", "doubted-key-1", Map.of()), "KEY_UNUSED", "OPEN", Map.of());
            String coverage = "insert into region_coverage (tenant_id, account_id, region, status, error_code, finished_at,"
                    + " last_succeeded_at) values (?, ?, ?, ?, ?, now(), ?)";
            seed.execute(coverage, tenant.id(), account, "us-east-1", "SUCCEEDED", null, Instant.now());
            seed.execute(coverage, tenant.id(), account, "eu-west-1", "FAILED", "ACCESS_DENIED", null);
        }
        Browser browser = browser();
        browser.signIn(tenant.apiKey());

        String overview = browser.get("/").body();
        assertThat(overview).contains("id=\"unverified-link\" href=\"/findings?unverified=true\"");
        String unverified = browser.get("/findings?unverified=true").body();
        assertThat(unverified).contains("doubted-key-1").doesNotContain("vouched-key-1")
                .contains("<option value=\"true\" selected=\"selected\">")
                .contains("/findings/export.csv?status=OPEN&amp;accountId=&amp;region=&amp;unverified=true&amp;sort=-severity");
        assertThat(browser.get("/findings?unverified=false").body()).contains("vouched-key-1").doesNotContain("doubted-key-1");
        String any = browser.get("/findings?unverified=").body();
        assertThat(any).contains("vouched-key-1").contains("doubted-key-1");
        assertThat(browser.get("/findings/export.csv?unverified=true").body()).contains("doubted-key-1")
                .doesNotContain("vouched-key-1");
        assertThat(browser.get("/findings?unverified=maybe").statusCode()).isEqualTo(400);
    }

    @Test
    void badFilterValuesAreRefusedWithA400() {
        TenantHandle tenant = newTenant();
        Browser browser = browser();
        browser.signIn(tenant.apiKey());

        assertThat(browser.get("/findings?type=NOT_A_TYPE").statusCode()).isEqualTo(400);
        assertThat(browser.get("/findings?region=mars-1").statusCode()).isEqualTo(400);
        assertThat(browser.get("/findings?sort=name").statusCode()).isEqualTo(400);
        assertThat(browser.get("/findings?cursor=forged").statusCode()).isEqualTo(400);
    }

    @Test
    void addingAnAccountWithBadInputShowsWhyAndRegistersNothing() {
        TenantHandle tenant = newTenant();
        Browser browser = browser();
        browser.signIn(tenant.apiKey());

        HttpResponse<String> bad = browser.submit("/accounts", "/accounts",
                Map.of("awsAccountId", "12345", "name", " ", "regions", "us-east-1, mars-1"));

        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("The AWS account id must be 12 digits.")
                .contains("The name must be 1 to 200 characters.").contains("mars-1 is not an AWS region.");
        assertThat(tenant.api().get("/api/v1/accounts").json().get("items").size()).isZero();
        HttpResponse<String> china = browser.submit("/accounts", "/accounts",
                Map.of("awsAccountId", "123456789012", "name", "prod", "regions", "cn-north-1"));
        assertThat(china.statusCode()).isEqualTo(400);
        assertThat(china.body()).contains("cn-north-1 is not in the aws partition");
        assertThat(tenant.api().get("/api/v1/accounts").json().get("items").size()).isZero();

        HttpResponse<String> added = browser.submit("/accounts", "/accounts",
                Map.of("awsAccountId", "123456789012", "name", "prod", "regions", "eu-west-1"));
        assertThat(added.statusCode()).isEqualTo(302);
        assertThat(tenant.api().get("/api/v1/accounts").json().get("items").get(0).get("regions").toString())
                .isEqualTo("[\"eu-west-1\"]");
        HttpResponse<String> again = browser.submit("/accounts", "/accounts",
                Map.of("awsAccountId", "123456789012", "name", "prod again"));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.body()).contains("AWS account 123456789012 is already registered");
    }

    @Test
    void aControlCharacterInAFormIsA400PageAndRegistersNothing() {
        TenantHandle tenant = newTenant();
        Browser browser = browser();
        browser.signIn(tenant.apiKey());

        HttpResponse<String> refused = browser.post("/accounts", Map.of("awsAccountId", "123456789012",
                "name", "prod\u0000", "_csrf", Browser.csrf(browser.get("/accounts").body())), HTML);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("<li>name must not contain control characters</li>");
        assertThat(tenant.api().get("/api/v1/accounts").json().get("items").size()).isZero();
    }

    @Test
    void suppressionsAreListedCreatedAndRemovedOnTheirPage() {
        TenantHandle tenant = newTenant();
        UUID key;
        UUID account;
        try (Seed seed = new Seed(tenant.id())) {
            account = seed.account("111122223344", "payments");
            key = seed.key(account, "us-east-1", "key-to-mute", Map.of());
            seed.finding(key, "KEY_UNUSED", "OPEN", Map.of());
            seed.finding(key, "ROTATION_DISABLED", "OPEN", Map.of());
            // An expired one, as a suppression looks once its day has passed.
            seed.insert("suppressions", Map.of("id", UUID.randomUUID(), "tenant_id", tenant.id(),
                    "scope", "ACCOUNT_TYPE", "account_id", account, "type", "ROTATION_DISABLED",
                    "reason", "migration window", "author", "carol",
                    "created_at", Instant.parse("2026-01-01T00:00:00Z"), "expires_at", Instant.parse("2026-02-01T00:00:00Z")));
        }
        Browser browser = browser();
        browser.signIn(tenant.apiKey());

        // The key page's link fills the form in.
        assertThat(browser.get("/keys/" + key).body()).contains("/suppressions?scope=KEY&amp;keyRef=" + key);
        String filled = browser.get("/suppressions?scope=KEY&keyRef=" + key).body();
        assertThat(filled).contains("value=\"" + key + "\"").containsPattern("value=\"KEY\" id=\"scope-KEY\"\\s+checked");
        assertThat(filled).contains("every <span>ROTATION_DISABLED</span> finding of account")
                .contains(">payments</a>").contains("migration window").contains(">expired<");

        HttpResponse<String> bad = browser.submit("/suppressions", "/suppressions", Map.of("scope", "KEY",
                "keyRef", "not-a-key", "reason", " ", "author", "alice", "expiresOn", "someday"));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("<p class=\"error\" id=\"keyRef-error\">Key id must be a UUID</p>")
                .contains("<p class=\"error\" id=\"reason-error\">Reason must be 1 to 1000 characters</p>")
                .contains("<p class=\"error\" id=\"expiresOn-error\">Expiry must be a date (YYYY-MM-DD)</p>")
                .contains("aria-describedby=\"keyRef-error\"")
                // Sent back as typed.
                .contains("value=\"not-a-key\"").contains("value=\"alice\"");
        HttpResponse<String> past = browser.submit("/suppressions", "/suppressions", Map.of("scope", "KEY",
                "keyRef", key.toString(), "reason", "archive", "author", "alice", "expiresOn", "2020-01-01"));
        assertThat(past.statusCode()).isEqualTo(400);
        assertThat(past.body()).contains("<p class=\"error\" id=\"expiresOn-error\">Expiry must be in the future</p>");
        assertThat(tenant.api().get("/api/v1/suppressions").json().get("items").size()).as("nothing created").isOne();
        assertThat(tenant.api().get("/api/v1/findings?status=OPEN").json().get("items").size()).isEqualTo(2);

        LocalDate expiry = LocalDate.now(ZoneOffset.UTC).plusDays(30);
        HttpResponse<String> created = browser.submit("/suppressions", "/suppressions", Map.of("scope", "KEY",
                "keyRef", key.toString(), "findingId", "left over from another scope", "reason", "kept for the archive",
                "author", "alice", "expiresOn", expiry.toString()));
        assertThat(created.statusCode()).isEqualTo(302);
        assertThat(created.headers().firstValue("Location").orElseThrow()).endsWith("/suppressions");
        JsonNode suppression = tenant.api().get("/api/v1/suppressions").json().get("items").get(1);
        assertThat(suppression.get("scope").asString()).isEqualTo("KEY");
        assertThat(suppression.get("keyRef").asString()).isEqualTo(key.toString());
        assertThat(suppression.get("author").asString()).isEqualTo("alice");
        assertThat(suppression.get("expiresAt").asString()).isEqualTo(expiry + "T00:00:00Z");
        assertThat(tenant.api().get("/api/v1/findings?status=OPEN").json().get("items").size()).isZero();
        String id = suppression.get("id").asString();

        String listed = browser.get("/suppressions").body();
        assertThat(listed).contains("The suppression was created.")
                .contains("every finding of key").contains(">key-to-mute</a>").contains("kept for the archive")
                .contains(">active<").contains("data-id=\"" + id + "\"");

        HttpResponse<String> removed = browser.submit("/suppressions", "/suppressions/" + id + "/delete", Map.of());
        assertThat(removed.statusCode()).isEqualTo(302);
        assertThat(tenant.api().get("/api/v1/suppressions/" + id).status()).isEqualTo(404);
        assertThat(browser.get("/suppressions").body()).contains("The suppression was removed")
                .doesNotContain("kept for the archive");
        assertThat(browser.submit("/suppressions", "/suppressions/" + id + "/delete", Map.of()).statusCode())
                .isEqualTo(404);
    }

    @Test
    void settingsChangeUnderTheApisRulesAndARefusedFormChangesNothing() {
        TenantHandle tenant = newTenant();
        Browser browser = browser();
        browser.signIn(tenant.apiKey());
        String before = tenant.api().get("/api/v1/settings").json().toString();

        Map<String, String> refusedForm = new LinkedHashMap<>(Map.of("schedule.cron", "* * * * * *",
                "schedule.timezone", "Mars/Olympus", "schedule.enabled", "true", "unusedDays", "ninety",
                "maxRotationPeriodDays", "30", "exceptionTag.key", "", "exceptionTag.value", "yes"));
        HttpResponse<String> refused = browser.submit("/settings", "/settings", refusedForm);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("Nothing was changed")
                .contains("id=\"schedule-timezone-error\">Time zone must be an IANA time zone such as UTC or Europe/Berlin</p>")
                .contains("id=\"unusedDays-error\">Days must be an integer</p>")
                .contains("id=\"maxRotationPeriodDays-error\">Rotation period must be greater than or equal to 90</p>")
                .contains("id=\"exceptionTag-key-error\">Tag key must not be blank</p>")
                .contains("value=\"Mars/Olympus\"").contains("value=\"ninety\"");
        // The cadence rule of PUT /api/v1/settings, once the rest is valid.
        refusedForm.putAll(Map.of("schedule.timezone", "UTC", "unusedDays", "60", "maxRotationPeriodDays", "400",
                "exceptionTag.key", "keep"));
        HttpResponse<String> tooOften = browser.submit("/settings", "/settings", refusedForm);
        assertThat(tooOften.statusCode()).isEqualTo(400);
        assertThat(tooOften.body()).contains("id=\"schedule-cron-error\">Cron must fire at most once every 2 seconds;"
                + " this expression fires 1 second apart</p>");
        assertThat(tenant.api().get("/api/v1/settings").json().toString()).isEqualTo(before);

        HttpResponse<String> saved = browser.submit("/settings", "/settings", Map.of("schedule.cron", "0 30 5 * * MON",
                "schedule.timezone", "Europe/Berlin", "schedule.enabled", "true", "unusedDays", "60",
                "maxRotationPeriodDays", "400", "exceptionTag.key", "keep", "exceptionTag.value", "yes"));
        assertThat(saved.statusCode()).isEqualTo(302);
        JsonNode settings = tenant.api().get("/api/v1/settings").json();
        assertThat(settings.get("schedule").toString()).startsWith(
                "{\"cron\":\"0 30 5 * * MON\",\"timezone\":\"Europe/Berlin\",\"enabled\":true,");
        assertThat(settings.get("unusedDays").asInt()).isEqualTo(60);
        assertThat(settings.get("maxRotationPeriodDays").asInt()).isEqualTo(400);
        assertThat(settings.get("exceptionTag").toString()).isEqualTo("{\"key\":\"keep\",\"value\":\"yes\"}");
        String page = browser.get("/settings").body();
        Instant nextRun = CronExpression.parse("0 30 5 * * MON").next(Instant.now().atZone(ZoneId.of("Europe/Berlin")))
                .toInstant();
        assertThat(page).contains("The settings were saved.").contains("<td id=\"next-run\">" + nextRun + "</td>")
                .contains("0 30 5 * * MON (Europe/Berlin)");

        // An unchecked box is a schedule switched off; the rest stays.
        browser.submit("/settings", "/settings", Map.of("schedule.cron", "0 30 5 * * MON",
                "schedule.timezone", "Europe/Berlin", "unusedDays", "60", "maxRotationPeriodDays", "400",
                "exceptionTag.key", "keep", "exceptionTag.value", "yes"));
        assertThat(tenant.api().get("/api/v1/settings").json().get("schedule").get("enabled").asBoolean()).isFalse();
        assertThat(browser.get("/settings").body()).contains("<td id=\"next-run\">none</td>");
    }

    @Test
    void aNewKeyIsShownInTheAnswerToItsFormAndNeverEntersTheSession() throws Exception {
        TenantHandle tenant = newTenant();
        Browser browser = browser();
        browser.signIn(tenant.apiKey());

        HttpResponse<String> created = browser.submit("/settings", "/settings/api-keys", Map.of());
        // Before any other request: a key kept in the session for the next page would be stored now.
        assertThat(SessionStore.apiKeys()).isEmpty();
        assertThat(created.statusCode()).isEqualTo(200);
        assertThat(created.headers().firstValue("Cache-Control")).contains("no-store");
        Matcher shown = ISSUED_KEY.matcher(created.body());
        assertThat(shown.find()).as("the new key, shown").isTrue();
        String key = shown.group(1);
        assertThat(tenant.api().as(key).get("/api/v1/api-keys").json().get("items").size()).isEqualTo(2);
        assertThat(SessionStore.piecesOf(key.substring("unusd_".length()))).isEmpty();
        assertThat(browser.get("/settings").body()).doesNotContain("id=\"issued-key\"").doesNotContain(key);
    }

    /**
     * A signed-in page is one tenant's data under a URL every tenant shares: no cache may keep it, neither one in front
     * of the hub (which would hand it to the next tenant asking for the URL) nor the browser's after signing out.
     */
    @Test
    void signedInPagesAndTheCsvAreNeverStored() {
        TenantHandle tenant = newTenant();
        Browser browser = browser();
        browser.signIn(tenant.apiKey());

        for (String page : new String[] {"/", "/findings", "/findings/export.csv", "/accounts", "/scans", "/settings",
                "/suppressions"}) {
            HttpResponse<String> answer = browser.get(page);
            assertThat(answer.statusCode()).as(page).isEqualTo(200);
            assertThat(answer.headers().firstValue("Cache-Control")).as(page).hasValueSatisfying(
                    value -> assertThat(value).contains("no-store"));
        }
    }

    @Test
    void theKeyPageSaysImportedKeyMaterialHasNoAutomaticRotation() {
        TenantHandle tenant = newTenant();
        UUID imported;
        UUID kms;
        try (Seed seed = new Seed(tenant.id())) {
            UUID account = seed.account("111122223355", "imports");
            imported = seed.key(account, "us-east-1", "k-imported", Map.of("origin", "EXTERNAL",
                    "rotation_enabled", false, "rotations", 2, "monthly_cost_usd", new java.math.BigDecimal("3.00")));
            kms = seed.key(account, "us-east-1", "k-kms", Map.of("rotation_enabled", false, "rotations", 0));
        }
        Browser browser = browser();
        browser.signIn(tenant.apiKey());

        assertThat(browser.get("/keys/" + imported).body())
                .contains("not available (imported key material rotates on demand only)")
                .doesNotContain("<td>disabled</td>");
        assertThat(browser.get("/keys/" + kms).body()).contains("<td>disabled</td>")
                .doesNotContain("imported key material");
    }

    @Test
    void aBrowserGetsErrorPagesWhileTheApiKeepsItsProblemDetails() throws Exception {
        TenantHandle tenant = newTenant();
        Browser browser = browser();
        browser.signIn(tenant.apiKey());

        HttpResponse<String> noKey = browser.get("/keys/" + UUID.randomUUID(), HTML);
        assertThat(noKey.statusCode()).isEqualTo(404);
        assertThat(noKey.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(noKey.body()).contains("<h1 id=\"error-title\">Page not found</h1>")
                .contains("<p id=\"error-detail\">Key not found</p>").contains("id=\"sign-out\"")
                .contains("<title>Page not found · unusd</title>");
        HttpResponse<String> noPage = browser.get("/findings/no/such/page", HTML);
        assertThat(noPage.statusCode()).isEqualTo(404);
        assertThat(noPage.body()).contains("There is no page at this address.");
        // A script asking the same address gets what it got before: problem details.
        HttpResponse<String> script = browser.get("/keys/" + UUID.randomUUID());
        assertThat(script.statusCode()).isEqualTo(404);
        assertThat(script.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("application/problem+json");

        HttpResponse<String> forged = browser.post("/accounts", Map.of("awsAccountId", "123456789012", "name", "x"), HTML);
        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("<h1 id=\"error-title\">Not allowed</h1>").contains("load the page again");
        assertThat(browser.post("/accounts", Map.of("awsAccountId", "123456789012", "name", "x"))
                .headers().firstValue("Content-Type").orElseThrow()).isEqualTo("application/problem+json");

        // A stored value the hub cannot read (a finding type it no longer knows) fails the page: a 500 page.
        try (Seed seed = new Seed(tenant.id())) {
            UUID account = seed.account("111122223355", "legacy");
            seed.insert("suppressions", Map.of("id", UUID.randomUUID(), "tenant_id", tenant.id(),
                    "scope", "ACCOUNT_TYPE", "account_id", account, "type", "NO_LONGER_A_TYPE",
                    "reason", "old", "author", "dave"));
        }
        HttpResponse<String> broken = browser.get("/suppressions", HTML);
        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(broken.body()).contains("<h1 id=\"error-title\">Internal error</h1>")
                .doesNotContain("NO_LONGER_A_TYPE").doesNotContain("Exception");

        // The API answers problem details whatever the Accept header says.
        HttpClient http = HttpClient.newHttpClient();
        for (String path : java.util.List.of("/api/v1/keys/" + UUID.randomUUID(), "/api/v1/suppressions",
                "/api/v1/no-such-endpoint")) {
            HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + tenant.apiKey()).header("Accept", HTML).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(api.statusCode()).as(path).isIn(404, 500);
            assertThat(api.headers().firstValue("Content-Type").orElseThrow()).as(path)
                    .isEqualTo("application/problem+json");
            assertThat(api.body()).as(path).startsWith("{").contains("\"status\":" + api.statusCode());
        }
    }

    @Test
    void theScansListAddsUpEachScansTargets() {
        TenantHandle tenant = newTenant();
        UUID running = UUID.randomUUID();
        UUID ended = UUID.randomUUID();
        try (Seed seed = new Seed(tenant.id())) {
            UUID account = seed.account("111122223366", "scanned");
            seed.insert("scans", Map.of("id", ended, "tenant_id", tenant.id(), "trigger", "SCHEDULED",
                    "status", "SUCCEEDED", "created_at", Instant.parse("2026-01-01T06:00:00Z"), "keys_scanned", 40,
                    "findings_opened", 3, "findings_resolved", 1));
            seed.insert("scans", Map.of("id", running, "tenant_id", tenant.id(), "trigger", "MANUAL",
                    "status", "RUNNING", "created_at", Instant.parse("2026-01-02T06:00:00Z")));
            for (String region : java.util.List.of("us-east-1", "eu-west-1")) {
                seed.insert("scan_targets", Map.of("scan_id", ended, "tenant_id", tenant.id(), "account_id", account,
                        "region", region, "status", "SUCCEEDED", "keys_scanned", 20));
            }
            seed.insert("scan_targets", Map.of("scan_id", running, "tenant_id", tenant.id(), "account_id", account,
                    "region", "us-east-1", "status", "SUCCEEDED", "keys_scanned", 7, "findings_opened", 2));
            seed.insert("scan_targets", Map.of("scan_id", running, "tenant_id", tenant.id(), "account_id", account,
                    "region", "eu-west-1", "status", "RUNNING"));
        }
        Browser browser = browser();
        browser.signIn(tenant.apiKey());

        String page = browser.get("/scans").body().replaceAll("\\s+", " ");
        // Newest first; a running scan counts what its ended targets found so far, an ended one what it recorded.
        assertThat(page).containsSubsequence("href=\"/scans/" + running + "\"", "MANUAL", "RUNNING",
                "<td>1 / 2</td> <td class=\"num\">7</td> <td class=\"num\">2</td> <td class=\"num\">0</td>",
                "href=\"/scans/" + ended + "\"", "SCHEDULED", "SUCCEEDED",
                "<td>2 / 2</td> <td class=\"num\">40</td> <td class=\"num\">3</td> <td class=\"num\">1</td>");
    }
}
