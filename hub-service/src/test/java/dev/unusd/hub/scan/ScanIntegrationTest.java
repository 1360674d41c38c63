package dev.unusd.hub.scan;

import static dev.unusd.hub.scan.ScanFixture.awaitEnd;
import static dev.unusd.hub.scan.ScanFixture.disableSchedule;
import static dev.unusd.hub.scan.ScanFixture.register;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.scan.ScanFixture.SimAccount;
import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.Seed;
import dev.unusd.hub.support.TestSpokeSim;
import tools.jackson.databind.JsonNode;

class ScanIntegrationTest extends HubIntegrationTest {

    @Test
    void aManualScanCoversEveryEnabledAccountRegionOnceAndSucceeds() {
        TenantHandle tenant = newTenant();
        disableSchedule(tenant.api());
        SimAccount two = register(tenant.api(), List.of("eu-west-1", "us-east-1"), 3);
        SimAccount one = register(tenant.api(), List.of("us-west-2"), 2);
        SimAccount off = register(tenant.api(), List.of("us-east-1"), 1);
        tenant.api().patch("/api/v1/accounts/" + off.id(), Map.of("enabled", false));
        assertThat(openFindingsInSummary(tenant)).isZero();

        ApiClient.Response launched = tenant.api().post("/api/v1/scans", Map.of());

        assertThat(launched.status()).isEqualTo(202);
        String scanId = launched.json().get("id").asString();
        assertThat(launched.header("Location")).isEqualTo("/api/v1/scans/" + scanId);
        assertThat(launched.json().get("trigger").asString()).isEqualTo("MANUAL");
        assertThat(launched.json().get("progress").get("targetsTotal").asInt()).isEqualTo(3);

        JsonNode scan = awaitEnd(tenant.api(), scanId);
        assertThat(scan.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(scan.get("startedAt").isNull()).isFalse();
        assertThat(scan.get("finishedAt").isNull()).isFalse();
        // Every simulated key is a year old, never used and not rotating: KEY_UNUSED and ROTATION_DISABLED each.
        assertThat(scan.get("counts").toString()).isEqualTo("{\"keys\":8,\"findingsOpened\":16,\"findingsResolved\":0}");
        assertThat(scan.get("progress").toString()).isEqualTo("{\"targetsDone\":3,\"targetsTotal\":3}");
        List<String> targets = scan.get("targets").valueStream().map(t -> t.get("awsAccountId").asString() + "/"
                + t.get("region").asString() + "/" + t.get("status").asString() + "/" + t.get("keysScanned").asInt()
                + "/" + t.get("error")).toList();
        assertThat(targets).containsExactly(
                two.awsAccountId() + "/eu-west-1/SUCCEEDED/3/null",
                two.awsAccountId() + "/us-east-1/SUCCEEDED/3/null",
                one.awsAccountId() + "/us-west-2/SUCCEEDED/2/null");
        var counters = TestSpokeSim.get().counters();
        assertThat(counters.of(two.awsAccountId(), "eu-west-1", "ListKeys").calls()).isEqualTo(1);
        assertThat(counters.of(two.awsAccountId(), "us-east-1", "ListKeys").calls()).isEqualTo(1);
        assertThat(counters.of(one.awsAccountId(), "us-west-2", "ListKeys").calls()).isEqualTo(1);
        assertThat(openFindingsInSummary(tenant)).as("the summary's totals follow the reconciled findings at once")
                .isEqualTo(16);
    }

    @Test
    void anAccountWithoutRegionsIsScannedInEveryRegionAndARegionEnabledLaterJoinsTheNextScan() {
        TenantHandle tenant = newTenant();
        disableSchedule(tenant.api());
        String awsAccountId = TestSpokeSim.newAccount(List.of("us-east-1", "ap-southeast-2"), 2);
        TestSpokeSim.get().setRegionEnabled(awsAccountId, "af-south-1", false);
        JsonNode account = tenant.api().post("/api/v1/accounts",
                Map.of("awsAccountId", awsAccountId, "name", "everywhere", "regions", List.of())).json();
        assertThat(account.get("everyRegion").asBoolean()).isTrue();
        TestSpokeSim.get().deployRole(awsAccountId, ScanFixture.ROLE, account.get("externalId").asString());
        List<String> commercial = dev.unusd.hub.aws.AwsRegions.commercial();
        assertThat(commercial).contains("us-east-1", "eu-west-1", "ap-southeast-2", "af-south-1", "me-central-1")
                .doesNotContain("us-gov-west-1", "cn-north-1", "aws-global").isSorted();

        JsonNode first = awaitEnd(tenant.api(), tenant.api().post("/api/v1/scans", Map.of()).json().get("id").asString());

        assertThat(first.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(first.get("progress").get("targetsTotal").asInt()).isEqualTo(commercial.size());
        assertThat(first.get("counts").get("keys").asInt()).isEqualTo(4);
        Map<String, String> byRegion = new java.util.TreeMap<>();
        first.get("targets").forEach(t -> byRegion.put(t.get("region").asString(), t.get("status").asString() + "/"
                + t.get("keysScanned").asInt() + (t.get("error").isNull() ? "" : "/" + t.get("error").get("code").asString())));
        assertThat(byRegion.keySet()).containsExactlyElementsOf(commercial);
        assertThat(byRegion).containsEntry("us-east-1", "SUCCEEDED/2").containsEntry("ap-southeast-2", "SUCCEEDED/2")
                .containsEntry("eu-west-1", "SUCCEEDED/0").containsEntry("af-south-1", "SKIPPED/0/REGION_NOT_ENABLED");
        // The region not enabled cost one call.
        var counters = TestSpokeSim.get().counters();
        assertThat(counters.of(awsAccountId, "af-south-1", "ListKeys").calls()).isEqualTo(1);
        assertThat(counters.of(awsAccountId, "af-south-1", "DescribeKey").calls()).isZero();

        TestSpokeSim.get().setRegionEnabled(awsAccountId, "af-south-1", true);
        JsonNode next = awaitEnd(tenant.api(), tenant.api().post("/api/v1/scans", Map.of()).json().get("id").asString());
        assertThat(next.get("targets").valueStream().filter(t -> t.get("region").asString().equals("af-south-1"))
                .map(t -> t.get("status").asString()).toList()).containsExactly("SUCCEEDED");
    }

    private static long openFindingsInSummary(TenantHandle tenant) {
        return tenant.api().get("/api/v1/summary").json().get("findings").get("open").asLong();
    }

    @Test
    void aScanWithSomeFailedTargetsIsPartialAndSkippedRegionsAreNoFailure() {
        TenantHandle tenant = newTenant();
        disableSchedule(tenant.api());
        SimAccount good = register(tenant.api(), List.of("us-east-1", "eu-west-1"), 1);
        SimAccount noRole = register(tenant.api(), List.of("us-east-1"), 1, false);
        TestSpokeSim.get().setRegionEnabled(good.awsAccountId(), "eu-west-1", false);

        JsonNode scan = awaitEnd(tenant.api(), tenant.api().post("/api/v1/scans", Map.of()).json().get("id").asString());

        assertThat(scan.get("status").asString()).isEqualTo("PARTIAL");
        assertThat(target(scan, noRole.awsAccountId(), "us-east-1").get("status").asString()).isEqualTo("FAILED");
        assertThat(target(scan, noRole.awsAccountId(), "us-east-1").get("error").get("code").asString())
                .isEqualTo("ASSUME_ROLE_DENIED");
        assertThat(target(scan, good.awsAccountId(), "eu-west-1").get("status").asString()).isEqualTo("SKIPPED");
        assertThat(target(scan, good.awsAccountId(), "eu-west-1").get("error").get("code").asString())
                .isEqualTo("REGION_NOT_ENABLED");
        assertThat(target(scan, good.awsAccountId(), "us-east-1").get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(scan.get("counts").get("keys").asInt()).isEqualTo(1);

        JsonNode onlySkipped = awaitEnd(tenant.api(), tenant.api().post("/api/v1/scans",
                Map.of("accountIds", List.of(good.id()))).json().get("id").asString());
        assertThat(onlySkipped.get("status").asString()).isEqualTo("SUCCEEDED");

        JsonNode allFailed = awaitEnd(tenant.api(), tenant.api().post("/api/v1/scans",
                Map.of("accountIds", List.of(noRole.id()))).json().get("id").asString());
        assertThat(allFailed.get("status").asString()).isEqualTo("FAILED");
        assertThat(allFailed.get("progress").toString()).isEqualTo("{\"targetsDone\":1,\"targetsTotal\":1}");
    }

    @Test
    void aScanRequestedWhileOneRunsForThoseAccountsIsAnsweredWithTheRunningScan() {
        TenantHandle tenant = newTenant();
        disableSchedule(tenant.api());
        SimAccount slow = register(tenant.api(), List.of("us-east-1"), 1);
        SimAccount other = register(tenant.api(), List.of("us-east-1"), 1);
        TestSpokeSim.get().setLatency(slow.awsAccountId(), 1500);
        // The other account's scan must still run while the concurrent requests below ask for it: at full speed it
        // could end between two of them, and the later ones would rightly start a scan of their own.
        TestSpokeSim.get().setLatency(other.awsAccountId(), 1500);

        ApiClient.Response first = tenant.api().post("/api/v1/scans", Map.of("accountIds", List.of(slow.id())));
        ApiClient.Response again = tenant.api().post("/api/v1/scans", Map.of());
        ApiClient.Response unrelated = tenant.api().post("/api/v1/scans", Map.of("accountIds", List.of(other.id())));

        String running = first.json().get("id").asString();
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("id").asString()).isEqualTo(running);
        assertThat(again.header("Location")).isEqualTo("/api/v1/scans/" + running);
        assertThat(unrelated.json().get("id").asString()).isNotEqualTo(running);

        List<String> concurrent = List.of(1, 2, 3, 4, 5, 6).parallelStream()
                .map(i -> tenant.api().post("/api/v1/scans", Map.of("accountIds", List.of(other.id())))
                        .json().get("id").asString())
                .distinct().toList();
        assertThat(concurrent).hasSize(1);

        awaitEnd(tenant.api(), running);
        TestSpokeSim.get().setLatency(slow.awsAccountId(), 0);
        TestSpokeSim.get().setLatency(other.awsAccountId(), 0);
        String next = tenant.api().post("/api/v1/scans", Map.of("accountIds", List.of(slow.id()))).json().get("id").asString();
        assertThat(next).isNotEqualTo(running);
        awaitEnd(tenant.api(), next);
        awaitEnd(tenant.api(), concurrent.get(0));
    }

    @Test
    void unknownForeignDisabledOrRepeatedAccountsAreRefused() {
        TenantHandle tenant = newTenant();
        TenantHandle stranger = newTenant();
        disableSchedule(tenant.api());
        assertThat(tenant.api().post("/api/v1/scans", Map.of()).status()).isEqualTo(409);

        SimAccount mine = register(tenant.api(), List.of("us-east-1"), 1);
        SimAccount theirs = register(stranger.api(), List.of("us-east-1"), 1);

        assertThat(tenant.api().post("/api/v1/scans", Map.of("accountIds", List.of(UUID.randomUUID().toString())))
                .status()).isEqualTo(404);
        assertThat(tenant.api().post("/api/v1/scans", Map.of("accountIds", List.of(theirs.id()))).status())
                .isEqualTo(404);
        ApiClient.Response repeated = tenant.api().post("/api/v1/scans", Map.of("accountIds", List.of(mine.id(), mine.id())));
        assertThat(repeated.status()).isEqualTo(400);
        assertThat(repeated.json().get("errors").get(0).get("field").asString()).isEqualTo("accountIds");
        assertThat(tenant.api().post("/api/v1/scans", Map.of("accountIds", List.of())).status()).isEqualTo(400);
        assertThat(tenant.api().post("/api/v1/scans", Map.of("accountIds", List.of("not-a-uuid"))).status()).isEqualTo(400);
        tenant.api().patch("/api/v1/accounts/" + mine.id(), Map.of("enabled", false));
        assertThat(tenant.api().post("/api/v1/scans", Map.of("accountIds", List.of(mine.id()))).status()).isEqualTo(400);
        assertThat(tenant.api().get("/api/v1/scans").json().get("items").size()).isZero();
        assertThat(stranger.api().get("/api/v1/scans/" + UUID.randomUUID()).status()).isEqualTo(404);
    }

    @Test
    void scansAreListedNewestFirstInPages() {
        TenantHandle tenant = newTenant();
        disableSchedule(tenant.api());
        SimAccount account = register(tenant.api(), List.of("us-east-1"), 1);
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = tenant.api().post("/api/v1/scans", Map.of("accountIds", List.of(account.id()))).json()
                    .get("id").asString();
            awaitEnd(tenant.api(), id);
            ids.add(0, id);
        }

        JsonNode first = tenant.api().get("/api/v1/scans?limit=2").json();
        JsonNode second = tenant.api().get("/api/v1/scans?limit=2&cursor=" + first.get("nextCursor").asString()).json();

        assertThat(first.get("items").valueStream().map(s -> s.get("id").asString()).toList())
                .containsExactly(ids.get(0), ids.get(1));
        assertThat(second.get("items").valueStream().map(s -> s.get("id").asString()).toList())
                .containsExactly(ids.get(2));
        assertThat(second.get("nextCursor").isNull()).isTrue();
        assertThat(first.get("items").get(0).get("targets").get(0).get("awsAccountId").asString())
                .isEqualTo(account.awsAccountId());
        assertThat(newTenant().api().get("/api/v1/scans?cursor=" + first.get("nextCursor").asString()).status())
                .isEqualTo(400);
    }

    /**
     * An organisation's scans have up to 17,000 targets each: a page of them carries only each scan's first targets
     * and warnings, and says how many it left out; the scan's own answer has them all.
     */
    @Test
    void aListedScanCarriesItsFirstTargetsAndWarningsAndItsOwnAnswerAllOfThem() {
        TenantHandle tenant = newTenant();
        disableSchedule(tenant.api());
        UUID big = UUID.randomUUID();
        UUID small = UUID.randomUUID();
        try (Seed seed = new Seed(tenant.id())) {
            for (String awsAccountId : List.of("419000000001", "419000000002", "419000000003")) {
                seed.account(awsAccountId, "acct-" + awsAccountId);
            }
            seed.insert("scans", Map.of("id", big, "tenant_id", tenant.id(), "trigger", "SCHEDULED", "status", "PARTIAL",
                    "created_at", Instant.parse("2026-03-01T06:00:00Z"), "keys_scanned", 298));
            seed.insert("scans", Map.of("id", small, "tenant_id", tenant.id(), "trigger", "MANUAL",
                    "status", "SUCCEEDED", "created_at", Instant.parse("2026-03-02T06:00:00Z"), "keys_scanned", 2));
            // 100 regions of each account, every one with a key it could not judge, but the last account's last two,
            // which failed.
            seed.executeUnversioned("""
                    insert into scan_targets (scan_id, tenant_id, account_id, region, status, keys_scanned,
                                              undecided_keys, warnings, error_code, error_message, finished_at)
                    select ?, a.tenant_id, a.id, 'r' || lpad(r::text, 3, '0'),
                           case when f.failed then 'FAILED' else 'SUCCEEDED' end, case when f.failed then 0 else 1 end,
                           case when f.failed then 0 else 1 end,
                           case when f.failed then '[]'::jsonb else jsonb_build_array(jsonb_build_object('code',
                               'TAGS_DENIED', 'message', 'kms:ListResourceTags: AccessDeniedException', 'keys', 1)) end,
                           case when f.failed then 'ASSUME_ROLE_DENIED' end,
                           case when f.failed then 'not authorized to perform sts:AssumeRole' end, now()
                      from accounts a cross join generate_series(0, 99) r
                     cross join lateral (select a.aws_account_id = '419000000003' and r >= 98 as failed) f
                     where a.tenant_id = ?""", big, tenant.id());
            seed.executeUnversioned("""
                    insert into scan_targets (scan_id, tenant_id, account_id, region, status, keys_scanned, finished_at)
                    select ?, tenant_id, id, 'us-east-1', 'SUCCEEDED', 1, now() from accounts
                     where tenant_id = ? and aws_account_id in ('419000000001', '419000000002')""", small, tenant.id());
        }

        JsonNode items = tenant.api().get("/api/v1/scans?limit=500").json().get("items");

        assertThat(items.valueStream().map(s -> s.get("id").asString()).toList())
                .containsExactly(small.toString(), big.toString());
        JsonNode listed = items.get(1);
        assertThat(listed.get("targets").size()).isEqualTo(ScanHistory.LISTED_PER_SCAN);
        assertThat(listed.get("targetsOmitted").asInt()).isEqualTo(280);
        // The failed targets first, then account and region order.
        assertThat(listed.get("targets").valueStream().limit(4).map(t -> t.get("awsAccountId").asString() + "/"
                + t.get("region").asString() + "/" + t.get("status").asString()).toList()).containsExactly(
                        "419000000003/r098/FAILED", "419000000003/r099/FAILED", "419000000001/r000/SUCCEEDED",
                        "419000000001/r001/SUCCEEDED");
        assertThat(listed.get("warnings").size()).isEqualTo(ScanHistory.LISTED_PER_SCAN);
        assertThat(listed.get("warningsOmitted").asInt()).isEqualTo(278);
        assertThat(listed.get("warnings").get(0).get("awsAccountId").asString() + "/"
                + listed.get("warnings").get(0).get("region").asString()).isEqualTo("419000000001/r000");
        // What is added up covers every target, listed or not.
        assertThat(listed.get("progress").toString()).isEqualTo("{\"targetsDone\":300,\"targetsTotal\":300}");
        assertThat(listed.get("undecidedKeys").asInt()).isEqualTo(298);
        assertThat(listed.get("counts").get("keys").asInt()).isEqualTo(298);
        JsonNode smallListed = items.get(0);
        assertThat(smallListed.get("targets").size()).isEqualTo(2);
        assertThat(smallListed.get("targetsOmitted").asInt()).isZero();
        assertThat(smallListed.get("warnings").size()).isZero();
        assertThat(smallListed.get("warningsOmitted").asInt()).isZero();

        JsonNode whole = tenant.api().get("/api/v1/scans/" + big).json();
        assertThat(whole.get("targets").size()).isEqualTo(300);
        assertThat(whole.get("targetsOmitted").asInt()).isZero();
        assertThat(whole.get("warnings").size()).isEqualTo(298);
        assertThat(whole.get("warningsOmitted").asInt()).isZero();
        assertThat(whole.get("undecidedKeys").asInt()).isEqualTo(298);
        assertThat(whole.get("progress")).isEqualTo(listed.get("progress"));
    }

    static JsonNode target(JsonNode scan, String awsAccountId, String region) {
        return scan.get("targets").valueStream()
                .filter(t -> t.get("awsAccountId").asString().equals(awsAccountId) && t.get("region").asString().equals(region))
                .findFirst().orElseThrow();
    }
}
