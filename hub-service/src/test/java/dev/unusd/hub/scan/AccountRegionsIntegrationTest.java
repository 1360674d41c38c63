package dev.unusd.hub.scan;

import static dev.unusd.hub.scan.ScanFixture.awaitEnd;
import static dev.unusd.hub.scan.ScanFixture.disableSchedule;
import static dev.unusd.hub.scan.ScanFixture.register;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.scan.ScanFixture.SimAccount;
import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.Browser;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestDatabase;
import dev.unusd.hub.support.TestSpokeSim;
import dev.unusd.spokesim.SpokeSim;
import tools.jackson.databind.JsonNode;

/**
 * An account's regions as real scans of a simulated account leave them: not scanned yet, verified, not enabled, taken
 * out of the account's list, failed; in the API and on the dashboard, and to no other tenant.
 */
class AccountRegionsIntegrationTest extends HubIntegrationTest {

    @Test
    void eachRegionSaysWhetherARecentScanVouchesForWhatIsStoredThere() throws SQLException {
        TenantHandle tenant = newTenant();
        ApiClient api = tenant.api();
        disableSchedule(api);
        SimAccount account = register(api, List.of("us-east-1", "eu-west-1", "ap-south-1"), 1);
        String path = "/api/v1/accounts/" + account.id() + "/regions";

        JsonNode before = api.get(path).json();
        assertThat(before.get("everyRegion").asBoolean()).isFalse();
        assertThat(rows(before)).containsExactly(
                Map.entry("ap-south-1", "in scans NOT_SCANNED_YET none 0 keys 0 open"),
                Map.entry("eu-west-1", "in scans NOT_SCANNED_YET none 0 keys 0 open"),
                Map.entry("us-east-1", "in scans NOT_SCANNED_YET none 0 keys 0 open"));

        try {
            TestSpokeSim.get().setRegionEnabled(account.awsAccountId(), "ap-south-1", false);
            assertThat(awaitEnd(api, launch(api)).get("status").asString()).isEqualTo("SUCCEEDED");
        } finally {
            TestSpokeSim.get().setRegionEnabled(account.awsAccountId(), "ap-south-1", true);
        }
        JsonNode scanned = api.get(path).json();
        assertThat(rows(scanned)).containsExactly(
                Map.entry("ap-south-1", "in scans NOT_ENABLED SKIPPED/REGION_NOT_ENABLED 0 keys 0 open"),
                Map.entry("eu-west-1", "in scans VERIFIED SUCCEEDED 1 keys 2 open"),
                Map.entry("us-east-1", "in scans VERIFIED SUCCEEDED 1 keys 2 open"));
        String euVerified = region(scanned, "eu-west-1").get("lastSucceededAt").asString();

        // eu-west-1 out of the list, then a scan that cannot list keys: both regions it held keys in are in doubt.
        assertThat(api.patch("/api/v1/accounts/" + account.id(), Map.of("regions", List.of("us-east-1", "ap-south-1")))
                .status()).isEqualTo(200);
        try {
            EngineIntegrationTest.withhold(account.awsAccountId(), "kms:ListKeys");
            assertThat(awaitEnd(api, launch(api)).get("status").asString()).isEqualTo("FAILED");
        } finally {
            TestSpokeSim.get().setRoleActions(account.awsAccountId(), ScanFixture.ROLE, SpokeSim.templateActions());
        }
        JsonNode doubted = api.get(path).json();
        assertThat(rows(doubted)).containsExactly(
                Map.entry("ap-south-1", "in scans UNVERIFIED LAST_SCAN_FAILED FAILED/ACCESS_DENIED 0 keys 0 open"),
                Map.entry("eu-west-1", "out of scans UNVERIFIED REGION_NOT_SCANNED SUCCEEDED 1 keys 2 open"),
                Map.entry("us-east-1", "in scans UNVERIFIED LAST_SCAN_FAILED FAILED/ACCESS_DENIED 1 keys 2 open"));
        assertThat(region(doubted, "eu-west-1").get("unverified").get("lastVerifiedAt").asString()).isEqualTo(euVerified);
        assertThat(region(doubted, "us-east-1").get("unverified").get("lastVerifiedAt").asString())
                .isEqualTo(region(scanned, "us-east-1").get("lastSucceededAt").asString());

        Browser browser = new Browser("http://127.0.0.1:" + port);
        browser.signIn(tenant.apiKey());
        assertThat(browser.get("/accounts/" + account.id()).body())
                .contains("href=\"/accounts/" + account.id() + "/regions\"");
        String page = browser.get("/accounts/" + account.id() + "/regions").body();
        assertThat(page).contains("data-region=\"eu-west-1\" data-coverage=\"UNVERIFIED\"")
                .contains("the region is not in the account&#39;s scans, or was taken out since")
                .contains("href=\"/findings?accountId=" + account.id() + "&amp;region=us-east-1\"");

        // A key AWS no longer lists is kept (removed_at set) but not counted, nor does it keep a region listed.
        try (Connection admin = TestDatabase.get().admin(); PreparedStatement removed = admin.prepareStatement(
                "update kms_keys set removed_at = now() where account_id = ?::uuid and region = 'us-east-1'")) {
            removed.setString(1, account.id());
            assertThat(removed.executeUpdate()).isEqualTo(1);
        }
        assertThat(region(api.get(path).json(), "us-east-1").get("keys").asLong()).isZero();

        // Another tenant, and ids that are no account.
        TenantHandle other = newTenant();
        assertThat(other.api().get(path).status()).isEqualTo(404);
        Browser theirs = new Browser("http://127.0.0.1:" + port);
        theirs.signIn(other.apiKey());
        assertThat(theirs.get("/accounts/" + account.id() + "/regions").statusCode()).isEqualTo(404);
        assertThat(api.get("/api/v1/accounts/" + UUID.randomUUID() + "/regions").status()).isEqualTo(404);
        assertThat(api.get("/api/v1/accounts/not-an-id/regions").status()).isEqualTo(400);
    }

    @Test
    void anAccountListingNoRegionsShowsEveryCommercialRegion() {
        TenantHandle tenant = newTenant();
        ApiClient api = tenant.api();
        disableSchedule(api);
        ApiClient.Response created = api.post("/api/v1/accounts",
                Map.of("awsAccountId", "444455556666", "name", "all-regions", "regions", List.of()));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode regions = api.get("/api/v1/accounts/" + created.json().get("id").asString() + "/regions").json();
        assertThat(regions.get("everyRegion").asBoolean()).isTrue();
        List<String> names = regions.get("items").valueStream().map(r -> r.get("region").asString()).toList();
        assertThat(names).contains("us-east-1", "eu-west-1", "ap-southeast-7").isSorted();
        assertThat(regions.get("items").valueStream().map(r -> r.get("coverage").asString()).distinct().toList())
                .containsExactly("NOT_SCANNED_YET");
    }

    private static String launch(ApiClient api) {
        ApiClient.Response launched = api.post("/api/v1/scans", Map.of());
        assertThat(launched.status()).as(launched.toString()).isEqualTo(202);
        return launched.json().get("id").asString();
    }

    private static JsonNode region(JsonNode regions, String name) {
        return regions.get("items").valueStream().filter(r -> r.get("region").asString().equals(name)).findFirst()
                .orElseThrow();
    }

    /** Each region in one line: in scans, coverage, reason, latest scan, keys, open findings. */
    private static Map<String, String> rows(JsonNode regions) {
        Map<String, String> rows = new LinkedHashMap<>();
        for (JsonNode r : regions.get("items")) {
            JsonNode last = r.get("lastScan");
            rows.put(r.get("region").asString(), (r.get("inScans").asBoolean() ? "in scans " : "out of scans ")
                    + r.get("coverage").asString() + " "
                    + (r.get("unverified").isNull() ? "" : r.get("unverified").get("reason").asString() + " ")
                    + (last.isNull() ? "none" : last.get("status").asString()
                            + (last.get("errorCode").isNull() ? "" : "/" + last.get("errorCode").asString()))
                    + " " + r.get("keys").asLong() + " keys " + r.get("openFindings").asLong() + " open");
        }
        return rows;
    }
}
