package dev.unusd.hub.scan;

import static dev.unusd.hub.scan.ScanFixture.awaitEnd;
import static dev.unusd.hub.scan.ScanFixture.disableSchedule;
import static dev.unusd.hub.scan.ScanFixture.register;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.scan.ScanFixture.SimAccount;
import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestDatabase;
import dev.unusd.hub.support.TestSpokeSim;
import tools.jackson.databind.JsonNode;

/**
 * An account removed or disabled while a scan of it runs: the scan still ends, the tenant's other accounts are not
 * held by it, and a disabled account's regions not yet scanned keep what its last scan left. The simulator's latency
 * keeps one account's regions RUNNING (or waiting for a slot, QUEUED) while the test changes the account.
 */
class ScanAccountChangesIntegrationTest extends HubIntegrationTest {

    @Test
    void removingAnAccountWhileItsRegionsRunEndsTheScanAndFreesItsOtherAccounts() throws Exception {
        TenantHandle tenant = newTenant();
        ApiClient api = tenant.api();
        disableSchedule(api);
        SimAccount kept = register(api, List.of("us-east-1"), 1);
        SimAccount removed = register(api, List.of("us-east-1", "eu-west-1"), 2);
        TestSpokeSim.get().setLatency(removed.awsAccountId(), 500);
        try {
            String scanId = api.post("/api/v1/scans", Map.of()).json().get("id").asString();
            ScanFixture.await(api, "/api/v1/scans/" + scanId, scan -> targets(scan).equals(Map.of(
                    kept.awsAccountId() + "/us-east-1", "SUCCEEDED",
                    removed.awsAccountId() + "/us-east-1", "RUNNING",
                    removed.awsAccountId() + "/eu-west-1", "RUNNING")));

            assertThat(api.delete("/api/v1/accounts/" + removed.id()).status()).isEqualTo(204);

            JsonNode scan = awaitEnd(api, scanId);
            assertThat(scan.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(targets(scan)).isEqualTo(Map.of(kept.awsAccountId() + "/us-east-1", "SUCCEEDED"));
            assertThat(scan.get("counts").get("keys").asInt()).isEqualTo(1);

            ApiClient.Response next = api.post("/api/v1/scans", Map.of("accountIds", List.of(kept.id())));
            assertThat(next.status()).isEqualTo(202);
            String nextId = next.json().get("id").asString();
            assertThat(nextId).as("the removed account's scan no longer covers the kept one").isNotEqualTo(scanId);
            assertThat(awaitEnd(api, nextId).get("status").asString()).isEqualTo("SUCCEEDED");

            // The removed account's regions finish their AWS calls, find nothing to record and their tasks end: no
            // retry, and no write of keys for an account that is gone reported as the hub's own failure.
            assertThat(awaitTasksRemoved(scanId)).isEmpty();
            assertThat(Files.readAllLines(Path.of(LOG_FILE), StandardCharsets.UTF_8).stream()
                    .filter(line -> line.contains("Scan of target " + scanId))).isEmpty();
        } finally {
            TestSpokeSim.get().setLatency(removed.awsAccountId(), 0);
        }
    }

    @Test
    void regionsOfAnAccountDisabledDuringAScanAreSkippedAndKeepWhatItsLastScanLeft() {
        TenantHandle tenant = newTenant();
        ApiClient api = tenant.api();
        disableSchedule(api);
        // Two more than the four regions an account runs at once: those two wait QUEUED while the others run.
        List<String> regions = List.of("us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-central-1");
        SimAccount account = register(api, regions, 1);
        assertThat(awaitEnd(api, api.post("/api/v1/scans", Map.of()).json().get("id").asString())
                .get("status").asString()).isEqualTo("SUCCEEDED");
        Map<String, String> before = new TreeMap<>();
        for (String region : regions) {
            before.put(region, findingsAndKeys(api, account, region));
            // Rotating now: a scan of the region would resolve its ROTATION_DISABLED finding and see the key again.
            TestSpokeSim.get().keys(account.awsAccountId(), region)
                    .forEach(key -> TestSpokeSim.get().setRotation(account.awsAccountId(), region, key.id(), true,
                            null));
        }
        TestSpokeSim.get().setLatency(account.awsAccountId(), 500);
        try {
            String scanId = api.post("/api/v1/scans", Map.of()).json().get("id").asString();
            JsonNode held = ScanFixture.await(api, "/api/v1/scans/" + scanId,
                    scan -> count(scan, "RUNNING") == 4 && count(scan, "QUEUED") == 2);
            List<String> waiting = held.get("targets").valueStream()
                    .filter(t -> t.get("status").asString().equals("QUEUED")).map(t -> t.get("region").asString())
                    .toList();

            assertThat(api.patch("/api/v1/accounts/" + account.id(), Map.of("enabled", false)).status())
                    .isEqualTo(200);

            JsonNode scan = awaitEnd(api, scanId);
            // The regions already running when the account was disabled end as they would have.
            assertThat(scan.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(scan.get("counts").toString())
                    .isEqualTo("{\"keys\":4,\"findingsOpened\":0,\"findingsResolved\":4}");
            var counters = TestSpokeSim.get().counters();
            for (String region : waiting) {
                JsonNode target = ScanIntegrationTest.target(scan, account.awsAccountId(), region);
                assertThat(target.get("status").asString()).as(region).isEqualTo("SKIPPED");
                assertThat(target.get("error").get("code").asString()).as(region).isEqualTo("ACCOUNT_DISABLED");
                assertThat(target.get("keysScanned").asInt()).as(region).isZero();
                assertThat(counters.of(account.awsAccountId(), region, "ListKeys").calls())
                        .as("ListKeys of %s: the first scan's call only", region).isEqualTo(1);
                assertThat(findingsAndKeys(api, account, region)).as(region).isEqualTo(before.get(region));
            }
            assertThat(before.get(waiting.get(0))).as("what the skipped regions keep")
                    .matches("OPEN KEY_UNUSED, OPEN ROTATION_DISABLED; key .* last seen .*");
        } finally {
            TestSpokeSim.get().setLatency(account.awsAccountId(), 0);
        }
    }

    /**
     * Regions taken out of an account's list while a scan of it runs are not scanned any more when their turn comes:
     * no AWS call there (the tenant may have taken them out because an SCP denies them), and nothing written.
     */
    @Test
    void regionsTakenOutOfAnAccountsListDuringAScanAreSkippedWithoutAnAwsCall() {
        TenantHandle tenant = newTenant();
        ApiClient api = tenant.api();
        disableSchedule(api);
        List<String> regions = List.of("us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-central-1");
        SimAccount account = register(api, regions, 1);
        TestSpokeSim.get().setLatency(account.awsAccountId(), 500);
        try {
            String scanId = api.post("/api/v1/scans", Map.of()).json().get("id").asString();
            JsonNode held = ScanFixture.await(api, "/api/v1/scans/" + scanId,
                    scan -> count(scan, "RUNNING") == 4 && count(scan, "QUEUED") == 2);
            List<String> running = held.get("targets").valueStream()
                    .filter(t -> t.get("status").asString().equals("RUNNING")).map(t -> t.get("region").asString())
                    .toList();
            List<String> waiting = held.get("targets").valueStream()
                    .filter(t -> t.get("status").asString().equals("QUEUED")).map(t -> t.get("region").asString())
                    .toList();

            assertThat(api.patch("/api/v1/accounts/" + account.id(), Map.of("regions", running)).status())
                    .isEqualTo(200);

            JsonNode scan = awaitEnd(api, scanId);
            assertThat(scan.get("status").asString()).isEqualTo("SUCCEEDED");
            var counters = TestSpokeSim.get().counters();
            for (String region : waiting) {
                JsonNode target = ScanIntegrationTest.target(scan, account.awsAccountId(), region);
                assertThat(target.get("status").asString()).as(region).isEqualTo("SKIPPED");
                assertThat(target.get("error").get("code").asString()).as(region).isEqualTo("REGION_REMOVED");
                assertThat(counters.of(account.awsAccountId(), region, "ListKeys").calls()).as(region).isZero();
                assertThat(findingsAndKeys(api, account, region)).as(region).isEqualTo("none; no key");
            }
            for (String region : running) {
                assertThat(ScanIntegrationTest.target(scan, account.awsAccountId(), region).get("status").asString())
                        .as(region).isEqualTo("SUCCEEDED");
            }
        } finally {
            TestSpokeSim.get().setLatency(account.awsAccountId(), 0);
        }
    }

    /** awsAccountId/region to status, for every target of the scan. */
    private static Map<String, String> targets(JsonNode scan) {
        Map<String, String> targets = new TreeMap<>();
        scan.get("targets").forEach(t -> targets.put(t.get("awsAccountId").asString() + "/" + t.get("region").asString(),
                t.get("status").asString()));
        return targets;
    }

    private static long count(JsonNode scan, String status) {
        return scan.get("targets").valueStream().filter(t -> t.get("status").asString().equals(status)).count();
    }

    /** The region's findings (every status) and keys as the API shows them: status, type, key id, lastSeenAt. */
    private static String findingsAndKeys(ApiClient api, SimAccount account, String region) {
        String filter = "accountId=" + account.id() + "&region=" + region;
        String findings = api.get("/api/v1/findings?status=OPEN&status=RESOLVED&" + filter).json().get("items")
                .valueStream().map(f -> f.get("status").asString() + " " + f.get("type").asString()).sorted()
                .reduce((a, b) -> a + ", " + b).orElse("none");
        String keys = api.get("/api/v1/keys?" + filter).json().get("items").valueStream()
                .map(k -> "key " + k.get("keyId").asString() + " last seen " + k.get("lastSeenAt").asString())
                .sorted().reduce((a, b) -> a + ", " + b).orElse("no key");
        return findings + "; " + keys;
    }

    /** The scan's target tasks still in the scheduler's table, once they have had time to end. */
    private static List<String> awaitTasksRemoved(String scanId) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        try (Connection c = TestDatabase.get().admin();
                PreparedStatement query = c.prepareStatement(
                        "select task_instance from scheduled_tasks where task_name = ? and task_instance like ?")) {
            query.setString(1, ScanTasks.TARGET);
            query.setString(2, scanId + ":%");
            while (true) {
                List<String> left = new java.util.ArrayList<>();
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        left.add(rs.getString(1));
                    }
                }
                if (left.isEmpty() || Instant.now().isAfter(deadline)) {
                    return left;
                }
                ScanFixture.sleep(200);
            }
        }
    }
}
