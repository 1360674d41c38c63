package dev.unusd.hub.scan;

import static dev.unusd.hub.scan.ScanFixture.awaitEnd;
import static dev.unusd.hub.scan.ScanFixture.disableSchedule;
import static dev.unusd.hub.scan.ScanFixture.register;
import static dev.unusd.hub.support.Problems.assertBadRequest;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.scan.ScanFixture.SimAccount;
import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.Browser;
import dev.unusd.hub.support.Csv;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.Seed;
import dev.unusd.hub.support.TestDatabase;
import dev.unusd.hub.support.TestSpokeSim;
import dev.unusd.spokesim.SpokeSim;
import tools.jackson.databind.JsonNode;

/**
 * What a scan no longer reaches is marked unverified on every finding and key, with why and when a scan of it last
 * succeeded: after each of the four actions that stop scans from vouching for it, on the very next read (a cached
 * findings page included), until a scan of it succeeds again. Real scans of simulated accounts; one key per region
 * gives each region an OPEN KEY_UNUSED and an OPEN ROTATION_DISABLED finding.
 */
class UnverifiedMarkIntegrationTest extends HubIntegrationTest {

    /** Read with an API key, so the page comes from the findings cache while the findings version holds. */
    private static final String PAGE = "/api/v1/findings?limit=100";

    @Test
    void anAccountDisabledMarksItsFindingsAndKeysUntilAScanAfterItIsEnabledAgain() throws Exception {
        Scanned scanned = scanned(List.of("us-east-1"));
        TenantHandle tenant = scanned.tenant();
        ApiClient api = tenant.api();
        SimAccount account = scanned.account();
        Instant verified = scanned.verified().get("us-east-1");

        assertThat(api.patch("/api/v1/accounts/" + account.id(), Map.of("enabled", false)).status()).isEqualTo(200);

        String disabled = "ACCOUNT_DISABLED, last verified " + verified;
        assertThat(marks(api.get(PAGE))).as("the cached page, at once").isEqualTo(both("us-east-1", disabled));
        assertThat(keyMarks(api.get("/api/v1/keys?accountId=" + account.id()))).isEqualTo(List.of(disabled));
        String keyRef = api.get(PAGE).json().get("items").get(0).get("keyRef").asString();
        assertThat(mark(api.get("/api/v1/keys/" + keyRef).json())).isEqualTo(disabled);
        assertThat(mark(api.get("/api/v1/keys/" + keyRef).json().get("findings").get(0))).isEqualTo(disabled);
        assertThat(unverifiedInSummary(api)).isEqualTo(2);

        // The filter and the CSV.
        assertThat(ids(api.get(PAGE + "&unverified=true"))).hasSize(2);
        assertThat(ids(api.get(PAGE + "&unverified=false"))).isEmpty();
        List<List<String>> csv = csv(api, "/api/v1/findings?unverified=true");
        assertThat(csv.get(0).subList(csv.get(0).size() - 2, csv.get(0).size()))
                .containsExactly("unverifiedReason", "lastVerifiedAt");
        assertThat(csv.subList(1, csv.size())).hasSize(2).allSatisfy(row -> {
            assertThat(row.get(row.size() - 2)).isEqualTo("ACCOUNT_DISABLED");
            assertThat(Instant.parse(row.get(row.size() - 1))).isEqualTo(verified);
        });
        assertThat(csv(api, "/api/v1/findings?unverified=false")).hasSize(1);
        for (String bad : List.of("maybe", "yes please", "")) {
            ApiClient.Response refused = api.get("/api/v1/findings?unverified=" + bad.replace(" ", "%20"));
            if (bad.isEmpty()) {
                assertThat(refused.status()).as("an empty value is no filter").isEqualTo(200);
                continue;
            }
            assertBadRequest(refused, "unverified");
            assertBadRequest(api.get("/api/v1/findings?unverified=" + bad.replace(" ", "%20"),
                    Map.of("Accept", "text/csv")), "unverified");
        }
        // A cursor belongs to its filter.
        String cursor = api.get(PAGE.replace("100", "1") + "&unverified=true").json().get("nextCursor").asString();
        assertThat(api.get("/api/v1/findings?limit=1&unverified=true&cursor=" + cursor).status()).isEqualTo(200);
        assertBadRequest(api.get("/api/v1/findings?limit=1&cursor=" + cursor), "cursor");
        assertBadRequest(api.get("/api/v1/findings?limit=1&unverified=false&cursor=" + cursor), "cursor");

        // The dashboard says it in words.
        Browser browser = new Browser("http://127.0.0.1:" + port);
        browser.signIn(tenant.apiKey());
        assertThat(browser.get("/findings").body().split("not verified since ", -1)).hasSize(3);
        assertThat(browser.get("/findings").body()).contains("the account is disabled, or was since");
        assertThat(browser.get("/keys/" + keyRef).body()).contains("id=\"key-unverified\"")
                .contains("not verified since ");
        assertThat(browser.get("/").body()).contains("id=\"unverified-findings\"");

        // Another tenant, with a finding of its own, sees no mark, no count and no coverage row of this one.
        TenantHandle other = newTenant();
        UUID theirs;
        try (Seed seed = new Seed(other.id())) {
            UUID theirAccount = seed.account("210000009999", "theirs");
            theirs = seed.finding(seed.key(theirAccount, "us-east-1", "k-theirs", Map.of()), "KEY_UNUSED", "OPEN",
                    Map.of());
        }
        assertThat(ids(other.api().get(PAGE + "&unverified=true"))).isEmpty();
        assertThat(ids(other.api().get(PAGE + "&unverified=false"))).containsExactly(theirs.toString());
        assertThat(unverifiedInSummary(other.api())).isZero();
        assertThat(ids(api.get(PAGE + "&unverified=false"))).doesNotContain(theirs.toString());
        assertThat(coverageRowsSeenBy(other.id(), account.id())).isZero();
        assertThat(coverageRowsSeenBy(tenant.id(), account.id())).isEqualTo(1);

        // Enabled again, nothing has been scanned since it was disabled: the mark stays until a scan.
        assertThat(api.patch("/api/v1/accounts/" + account.id(), Map.of("enabled", true)).status()).isEqualTo(200);
        assertThat(marks(api.get(PAGE))).isEqualTo(both("us-east-1", disabled));

        scan(api);
        assertThat(marks(api.get(PAGE))).isEqualTo(both("us-east-1", "verified"));
        assertThat(keyMarks(api.get("/api/v1/keys?accountId=" + account.id()))).isEqualTo(List.of("verified"));
        assertThat(unverifiedInSummary(api)).isZero();
        assertThat(browser.get("/findings").body()).doesNotContain("not verified since");
        assertThat(browser.get("/").body()).doesNotContain("id=\"unverified-findings\"");
    }

    @Test
    void aRegionTakenOutOfTheAccountsListIsMarkedUntilItIsPutBackAndScanned() throws Exception {
        Scanned scanned = scanned(List.of("us-east-1", "eu-west-1"));
        TenantHandle tenant = scanned.tenant();
        ApiClient api = tenant.api();
        SimAccount account = scanned.account();
        Instant euVerified = scanned.verified().get("eu-west-1");

        // The same regions in another order change nothing, not even the findings version.
        long version = findingsVersion(tenant.id());
        assertThat(api.patch("/api/v1/accounts/" + account.id(), Map.of("regions", List.of("eu-west-1", "us-east-1")))
                .status()).isEqualTo(200);
        assertThat(findingsVersion(tenant.id())).isEqualTo(version);

        assertThat(api.patch("/api/v1/accounts/" + account.id(), Map.of("regions", List.of("us-east-1"))).status())
                .isEqualTo(200);
        String notScanned = "REGION_NOT_SCANNED, last verified " + euVerified;
        Map<String, String> expected = new TreeMap<>(both("us-east-1", "verified"));
        expected.putAll(both("eu-west-1", notScanned));
        assertThat(marks(api.get(PAGE))).as("the cached page, at once").isEqualTo(expected);
        assertThat(unverifiedInSummary(api)).isEqualTo(2);

        scan(api);
        assertThat(marks(api.get(PAGE))).as("a scan of the other region changes nothing").isEqualTo(expected);

        assertThat(api.patch("/api/v1/accounts/" + account.id(), Map.of("regions", List.of("us-east-1", "eu-west-1")))
                .status()).isEqualTo(200);
        assertThat(marks(api.get(PAGE))).as("back in the list, not scanned yet").isEqualTo(expected);

        scan(api);
        expected.putAll(both("eu-west-1", "verified"));
        assertThat(marks(api.get(PAGE))).isEqualTo(expected);
        assertThat(unverifiedInSummary(api)).isZero();
    }

    @Test
    void aRegionTheAccountNoLongerHasEnabledIsMarkedUntilItIsEnabledAndScanned() throws Exception {
        Scanned scanned = scanned(List.of("us-east-1", "eu-west-1"));
        ApiClient api = scanned.tenant().api();
        SimAccount account = scanned.account();
        Instant euVerified = scanned.verified().get("eu-west-1");
        try {
            TestSpokeSim.get().setRegionEnabled(account.awsAccountId(), "eu-west-1", false);
            JsonNode skipped = awaitEnd(api, launch(api));
            assertThat(ScanIntegrationTest.target(skipped, account.awsAccountId(), "eu-west-1").get("error").get("code")
                    .asString()).isEqualTo("REGION_NOT_ENABLED");

            Map<String, String> expected = new TreeMap<>(both("us-east-1", "verified"));
            expected.putAll(both("eu-west-1", "REGION_NOT_ENABLED, last verified " + euVerified));
            assertThat(marks(api.get(PAGE))).as("the cached page, at once").isEqualTo(expected);
            assertThat(unverifiedInSummary(api)).isEqualTo(2);
        } finally {
            TestSpokeSim.get().setRegionEnabled(account.awsAccountId(), "eu-west-1", true);
        }
        scan(api);
        assertThat(marks(api.get(PAGE))).isEqualTo(both(List.of("us-east-1", "eu-west-1"), "verified"));
        assertThat(unverifiedInSummary(api)).isZero();
    }

    @Test
    void aFailedScanMarksItsRegionUntilAScanSucceedsAndFailingAgainInvalidatesNothing() throws Exception {
        Scanned scanned = scanned(List.of("us-east-1"));
        TenantHandle tenant = scanned.tenant();
        ApiClient api = tenant.api();
        SimAccount account = scanned.account();
        Instant verified = scanned.verified().get("us-east-1");
        try {
            EngineIntegrationTest.withhold(account.awsAccountId(), "kms:ListKeys");
            JsonNode failed = awaitEnd(api, launch(api));
            assertThat(failed.get("status").asString()).isEqualTo("FAILED");

            String lastFailed = "LAST_SCAN_FAILED, last verified " + verified;
            assertThat(marks(api.get(PAGE))).as("the cached page, at once").isEqualTo(both("us-east-1", lastFailed));
            assertThat(keyMarks(api.get("/api/v1/keys"))).isEqualTo(List.of(lastFailed));
            assertThat(unverifiedInSummary(api)).isEqualTo(2);

            // Failing the same way again changes no mark: cached pages stay valid.
            long version = findingsVersion(tenant.id());
            assertThat(awaitEnd(api, launch(api)).get("status").asString()).isEqualTo("FAILED");
            assertThat(findingsVersion(tenant.id())).isEqualTo(version);
            assertThat(marks(api.get(PAGE))).isEqualTo(both("us-east-1", lastFailed));
        } finally {
            TestSpokeSim.get().setRoleActions(account.awsAccountId(), ScanFixture.ROLE, SpokeSim.templateActions());
        }
        String succeeded = scan(api);
        assertThat(marks(api.get(PAGE))).isEqualTo(both("us-east-1", "verified"));
        assertThat(unverifiedInSummary(api)).isZero();
        assertThat(targetEnd(succeeded, account, "us-east-1")).isAfter(verified);
    }

    /** A new tenant's account, scanned once: when each region's target ended. */
    private record Scanned(TenantHandle tenant, SimAccount account, Map<String, Instant> verified) {
    }

    /**
     * A new tenant (its schedule off) with one simulated account of these regions, scanned once; its findings page is
     * read (so cached) and shows every finding verified.
     */
    private Scanned scanned(List<String> regions) throws SQLException {
        TenantHandle tenant = newTenant();
        ApiClient api = tenant.api();
        disableSchedule(api);
        SimAccount account = register(api, regions, 1);
        String scanId = scan(api);
        Map<String, Instant> verified = new TreeMap<>();
        for (String region : regions) {
            verified.put(region, targetEnd(scanId, account, region));
        }
        assertThat(marks(api.get(PAGE))).isEqualTo(both(regions, "verified"));
        return new Scanned(tenant, account, verified);
    }

    /** Launches a scan of every account of the tenant and waits until it SUCCEEDED. */
    private static String scan(ApiClient api) {
        String id = launch(api);
        assertThat(awaitEnd(api, id).get("status").asString()).isEqualTo("SUCCEEDED");
        return id;
    }

    private static String launch(ApiClient api) {
        ApiClient.Response launched = api.post("/api/v1/scans", Map.of());
        assertThat(launched.status()).as(launched.toString()).isEqualTo(202);
        return launched.json().get("id").asString();
    }

    /** When the scan's target of the account-region ended, as the database holds it. */
    private static Instant targetEnd(String scanId, SimAccount account, String region) throws SQLException {
        try (Connection admin = TestDatabase.get().admin(); PreparedStatement query = admin.prepareStatement(
                "select finished_at from scan_targets where scan_id = ?::uuid and account_id = ?::uuid and region = ?")) {
            query.setString(1, scanId);
            query.setString(2, account.id());
            query.setString(3, region);
            try (ResultSet rs = query.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getObject(1, OffsetDateTime.class).toInstant();
            }
        }
    }

    private static long findingsVersion(UUID tenant) throws SQLException {
        try (Connection admin = TestDatabase.get().admin();
                PreparedStatement query = admin.prepareStatement("select findings_version from tenants where id = ?")) {
            query.setObject(1, tenant);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The account's coverage rows as the hub's own role sees them with {@code tenant} in its transaction. */
    private static long coverageRowsSeenBy(UUID tenant, String accountId) throws SQLException {
        try (Connection app = TestDatabase.get().app()) {
            app.setAutoCommit(false);
            try (PreparedStatement bind = app.prepareStatement("select set_config('hub.tenant_id', ?, true)")) {
                bind.setString(1, tenant.toString());
                bind.executeQuery().close();
            }
            try (PreparedStatement query = app.prepareStatement(
                    "select count(*) from region_coverage where account_id = ?::uuid")) {
                query.setString(1, accountId);
                try (ResultSet rs = query.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                } finally {
                    app.rollback();
                }
            }
        }
    }

    /** "region TYPE" to the finding's mark, for every item of the page. */
    private static Map<String, String> marks(ApiClient.Response page) {
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        Map<String, String> marks = new TreeMap<>();
        page.json().get("items").forEach(f -> marks.put(f.get("region").asString() + " " + f.get("type").asString(),
                mark(f)));
        return marks;
    }

    private static List<String> keyMarks(ApiClient.Response page) {
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        return page.json().get("items").valueStream().map(UnverifiedMarkIntegrationTest::mark).toList();
    }

    private static String mark(JsonNode item) {
        JsonNode unverified = item.get("unverified");
        assertThat(unverified).as("the field is always there").isNotNull();
        if (unverified.isNull()) {
            return "verified";
        }
        JsonNode at = unverified.get("lastVerifiedAt");
        return unverified.get("reason").asString() + ", last verified "
                + (at.isNull() ? "never" : Instant.parse(at.asString()).toString());
    }

    private static Map<String, String> both(String region, String mark) {
        return both(List.of(region), mark);
    }

    /** The expected marks of the two findings of each region. */
    private static Map<String, String> both(List<String> regions, String mark) {
        Map<String, String> marks = new TreeMap<>();
        for (String region : regions) {
            marks.put(region + " KEY_UNUSED", mark);
            marks.put(region + " ROTATION_DISABLED", mark);
        }
        return marks;
    }

    private static long unverifiedInSummary(ApiClient api) {
        return api.get("/api/v1/summary").json().get("findings").get("unverified").asLong();
    }

    private static List<String> ids(ApiClient.Response page) {
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        return page.json().get("items").valueStream().map(f -> f.get("id").asString()).toList();
    }

    private static List<List<String>> csv(ApiClient api, String path) {
        ApiClient.Response csv = api.get(path, Map.of("Accept", "text/csv"));
        assertThat(csv.status()).as(csv.toString()).isEqualTo(200);
        return Csv.rows(csv.text());
    }
}
