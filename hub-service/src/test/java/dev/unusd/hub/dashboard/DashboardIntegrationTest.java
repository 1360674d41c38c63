package dev.unusd.hub.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.Browser;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.Seed;

/** The dashboard's sessions, CSRF and tenant scoping, over plain HTTP (the browser tests drive chromium). */
class DashboardIntegrationTest extends HubIntegrationTest {

    private Browser browser() {
        return new Browser("http://127.0.0.1:" + port);
    }

    @Test
    void pagesNeedASessionAndAnApiKeyBuysOne() {
        TenantHandle tenant = newTenant();
        Browser browser = browser();

        HttpResponse<String> anonymous = browser.get("/findings");
        assertThat(anonymous.statusCode()).isEqualTo(302);
        assertThat(anonymous.headers().firstValue("Location").orElseThrow()).endsWith("/sign-in");

        HttpResponse<String> wrong = browser.signIn("unusd_" + "x".repeat(40));
        assertThat(wrong.statusCode()).isEqualTo(302);
        assertThat(wrong.headers().firstValue("Location").orElseThrow()).endsWith("/sign-in?error");
        assertThat(browser.get("/").statusCode()).isEqualTo(302);

        HttpResponse<String> signedIn = browser.signIn(tenant.apiKey());
        assertThat(signedIn.statusCode()).isEqualTo(302);
        // Back to the page asked for before signing in (the overview, asked for after the failed attempt).
        assertThat(signedIn.headers().firstValue("Location").orElseThrow()).endsWith(":" + port + "/?continue");
        String cookie = signedIn.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("JSESSIONID=")).findFirst().orElseThrow();
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
}
