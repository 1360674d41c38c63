package dev.unusd.hub.organization;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestSpokeSim;
import dev.unusd.spokerole.SpokeRoleTemplate;
import dev.unusd.spokesim.SpokeSim;
import tools.jackson.databind.JsonNode;

/**
 * An organisation of 1,000 member accounts in 40 OUs (two levels) discovered, registered and verified in one sync,
 * scanned, and changed between two syncs. Prints the figures it measured; asserts only what a user would see.
 */
class OrganizationScaleIntegrationTest extends HubIntegrationTest {

    private static final int MEMBERS = 1_000;
    private static final int UNITS = 40;
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final List<String> ORGANIZATIONS_OPERATIONS = List.of("DescribeOrganization", "ListRoots",
            "ListOrganizationalUnitsForParent", "ListAccountsForParent", "ListTagsForResource");

    private final SpokeSim sim = TestSpokeSim.get();

    @Test
    void aThousandAccountsInFortyOusAreRegisteredVerifiedScannedAndKeptInSync() {
        TenantHandle tenant = newTenant();
        disableScheduleWithDefaultRegion(tenant.api());
        String management = TestSpokeSim.newAccount(List.of("us-east-1"), 0);
        String organizationId = sim.createOrganization(management);
        String rootId = sim.organization(organizationId).rootId();
        List<String> units = new ArrayList<>();
        for (int u = 0; u < UNITS; u++) {
            // eight top-level OUs, the other 32 spread under them
            String parent = u < 8 ? rootId : units.get(u % 8);
            units.add(sim.createOrganizationalUnit(organizationId, parent, String.format("unit-%02d", u + 1)));
        }
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            String id = TestSpokeSim.newAccount(List.of("us-east-1"), 1);
            accounts.add(id);
            sim.joinOrganization(organizationId, id, units.get(i % UNITS), Map.of("index", Integer.toString(i)));
        }
        ApiClient.Response created = tenant.api().post("/api/v1/organizations", Map.of(
                "managementAccountId", management, "name", "Large"));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String id = created.json().get("id").asString();
        String externalId = created.json().get("externalId").asString();
        sim.deployOrgReaderRole(management, SpokeRoleTemplate.DEFAULT_ORG_READER_ROLE_NAME, externalId);
        sim.deployStackSet(organizationId, SpokeRoleTemplate.DEFAULT_ROLE_NAME, externalId, Set.of(rootId));
        // The hub reads at this suite's 200 calls a second; the simulator's own Organizations quotas (10-20 a
        // second) would throttle most of them, which tooManyRequestsAreRetriedWithBackOffAndCounted covers.
        ORGANIZATIONS_OPERATIONS.forEach(op -> sim.setQuota(op, 1_000));
        try {
            JsonNode first = sync(tenant.api(), id);
            assertThat(first.get("status").asString()).as(first.toString()).isEqualTo("SUCCEEDED");
            assertThat(first.get("accountsFound").asInt()).isEqualTo(MEMBERS + 1);
            assertThat(first.get("added").asInt()).isEqualTo(MEMBERS);
            assertThat(first.get("verified").asInt()).isEqualTo(MEMBERS);
            // 2 per parent (root + 40 OUs) + one more per further page of 20 accounts (25 per OU: one) + 2 + tags
            assertThat(first.get("apiCalls").asInt()).isEqualTo(2 * (UNITS + 1) + UNITS + 2 + MEMBERS);
            report("first sync", first);

            Instant scanStarted = Instant.now();
            ApiClient.Response scan = tenant.api().post("/api/v1/scans", Map.of());
            JsonNode scanned = await(tenant.api(), "/api/v1/scans/" + scan.json().get("id").asString(),
                    s -> !List.of("QUEUED", "RUNNING").contains(s.get("status").asString()));
            assertThat(scanned.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(scanned.get("targets")).hasSize(MEMBERS);
            System.out.printf("organisation scan: %d targets, %d keys in %d ms%n", scanned.get("targets").size(),
                    scanned.get("counts").get("keys").asInt(), Duration.between(scanStarted, Instant.now()).toMillis());

            for (int i = 0; i < 5; i++) {
                String joining = TestSpokeSim.newAccount(List.of("us-east-1"), 1);
                sim.joinOrganization(organizationId, joining, units.get(i), Map.of());
                sim.leaveOrganization(organizationId, accounts.get(i * 100));
            }
            JsonNode second = sync(tenant.api(), id);
            assertThat(second.get("status").asString()).as(second.toString()).isEqualTo("SUCCEEDED");
            assertThat(second.get("added").asInt()).isEqualTo(5);
            assertThat(second.get("removed").asInt()).isEqualTo(5);
            assertThat(second.get("unchanged").asInt()).isEqualTo(MEMBERS - 5);
            assertThat(second.get("verified").asInt()).isEqualTo(5);
            report("second sync", second);
        } finally {
            sim.clearQuotaOverrides();
        }
    }

    private static void report(String what, JsonNode sync) {
        Duration took = Duration.between(Instant.parse(sync.get("startedAt").asString()),
                Instant.parse(sync.get("finishedAt").asString()));
        System.out.printf("organisation %s: %d accounts found, %d added, %d removed, %d verified, %d Organizations"
                + " calls (%d throttled) in %d ms%n", what, sync.get("accountsFound").asInt(),
                sync.get("added").asInt(), sync.get("removed").asInt(), sync.get("verified").asInt(),
                sync.get("apiCalls").asInt(), sync.get("throttled").asInt(), took.toMillis());
    }

    private JsonNode sync(ApiClient api, String id) {
        ApiClient.Response requested = api.post("/api/v1/organizations/" + id + "/sync", Map.of());
        assertThat(requested.status()).isEqualTo(202);
        return await(api, requested.header("Location"),
                s -> !List.of("QUEUED", "RUNNING").contains(s.get("status").asString()));
    }

    private static JsonNode await(ApiClient api, String path, Predicate<JsonNode> done) {
        Instant deadline = Instant.now().plus(TIMEOUT);
        JsonNode last = null;
        while (Instant.now().isBefore(deadline)) {
            ApiClient.Response response = api.get(path);
            last = response.json();
            if (response.status() == 200 && done.test(last)) {
                return last;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("timed out waiting on " + path + "; last answer: " + last);
    }

    private static void disableScheduleWithDefaultRegion(ApiClient api) {
        JsonNode settings = api.get("/api/v1/settings").json();
        ApiClient.Response put = api.put("/api/v1/settings", Map.of(
                "exceptionTag", Map.of("key", "unusd", "value", "true"),
                "unusedDays", settings.get("unusedDays").asInt(),
                "maxRotationPeriodDays", settings.get("maxRotationPeriodDays").asInt(),
                "defaultRegions", List.of("us-east-1"),
                "schedule", Map.of("cron", "0 0 6 * * *", "timezone", "UTC", "enabled", false)));
        assertThat(put.status()).as(put.text()).isEqualTo(200);
    }
}
