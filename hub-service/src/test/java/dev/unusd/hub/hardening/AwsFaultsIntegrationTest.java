package dev.unusd.hub.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestSpokeSim;
import dev.unusd.spokesim.Scenario;
import dev.unusd.spokesim.SpokeSim;
import tools.jackson.databind.JsonNode;

/**
 * One organisation scanned clean, then again with a different AWS fault in each account. The scan must finish, each
 * target must end with the right status and code, no finding of a failed or skipped target may be resolved, and the
 * accounts whose faults the hub absorbs must come out exactly as in the clean scan.
 */
class AwsFaultsIntegrationTest extends HubIntegrationTest {

    private static final String ROLE = "UnusdSpokeRole";
    private static final String REGION = "us-east-1";
    private static final String KEYS = """
            regions:
              us-east-1:
                trackingStartDate: -200d
                keys:
                  - {aliases: [alias/unused], createdAt: -400d, lastUsage: none}
                  - {aliases: [alias/used-rotated], createdAt: -400d, rotation: {enabled: true}, lastUsage: {at: -1d, operation: Decrypt}}
                  - {aliases: [alias/used-unrotated], createdAt: -400d, lastUsage: {at: -2d, operation: Encrypt}}
                  - {aliases: [alias/long-period], createdAt: -400d, rotation: {enabled: true, periodDays: 1000}, lastUsage: {at: -3d, operation: Decrypt}}
            """;

    /** Each fault, and what the second scan's target of that account must end as (status, error code or null). */
    private static final Map<String, List<String>> EXPECTED = new LinkedHashMap<>();

    static {
        EXPECTED.put("healthy", List.of("SUCCEEDED", ""));
        EXPECTED.put("role deleted after onboarding", List.of("FAILED", "ASSUME_ROLE_DENIED"));
        EXPECTED.put("wrong ExternalId", List.of("FAILED", "ASSUME_ROLE_DENIED"));
        EXPECTED.put("region not enabled", List.of("SKIPPED", "REGION_NOT_ENABLED"));
        EXPECTED.put("bursts of 5xx", List.of("SUCCEEDED", ""));
        EXPECTED.put("slow past the timeout", List.of("FAILED", "*"));
        EXPECTED.put("throttling storm", List.of("SUCCEEDED", ""));
        EXPECTED.put("per-key denials", List.of("SUCCEEDED", ""));
    }

    @Test
    void faultsStayInTheirAccountAndLoseNoFinding() throws InterruptedException {
        TenantHandle tenant = newTenant();
        SpokeSim sim = TestSpokeSim.get();
        Map<String, Scenario.Account> simAccounts = new LinkedHashMap<>();
        Map<String, String> hubIds = new LinkedHashMap<>();
        for (String fault : EXPECTED.keySet()) {
            Scenario.Account account = TestSpokeSim.addAccount(KEYS);
            JsonNode registered = tenant.api().post("/api/v1/accounts",
                    Map.of("awsAccountId", account.id(), "name", fault, "regions", List.of(REGION))).json();
            sim.deployRole(account.id(), ROLE, registered.get("externalId").asString());
            simAccounts.put(fault, account);
            hubIds.put(fault, registered.get("id").asString());
        }
        JsonNode clean = scan(tenant.api());
        assertThat(clean.get("status").asString()).isEqualTo("SUCCEEDED");
        Map<String, Set<String>> before = findings(tenant.api(), hubIds);
        assertThat(before.values()).allSatisfy(f -> assertThat(f).hasSize(4));

        try {
            sim.deleteRole(simAccounts.get("role deleted after onboarding").id(), ROLE);
            sim.deployRole(simAccounts.get("wrong ExternalId").id(), ROLE, "unusd-another-tenants-external-id-0000000000");
            sim.setRegionEnabled(simAccounts.get("region not enabled").id(), REGION, false);
            sim.setServerErrorRate("ListAliases", 0.25);
            sim.setLatency(simAccounts.get("slow past the timeout").id(), 8_000);
            sim.setQuota("DescribeKey", 1);
            Scenario.Account denied = simAccounts.get("per-key denials");
            List<Scenario.Key> keys = denied.regions().get(REGION).keys();
            sim.setKeyFaults(denied.id(), REGION, keys.get(0).id(), new Scenario.KeyFaults(false, true, false, false));
            sim.setKeyFaults(denied.id(), REGION, keys.get(2).id(), new Scenario.KeyFaults(true, false, false, false));
            // An hour later every session the hub holds has expired: it assumes each role again.
            sim.expireSessions();

            JsonNode faulty = scan(tenant.api());

            assertThat(faulty.get("status").asString()).isEqualTo("PARTIAL");
            Map<String, Set<String>> after = findings(tenant.api(), hubIds);
            int lost = 0;
            for (String fault : EXPECTED.keySet()) {
                JsonNode target = target(faulty, hubIds.get(fault));
                List<String> expected = EXPECTED.get(fault);
                assertThat(target.get("status").asString()).as(fault).isEqualTo(expected.get(0));
                String code = target.get("error").isNull() ? "" : target.get("error").get("code").asString();
                if (!expected.get(1).equals("*")) {
                    assertThat(code).as(fault).isEqualTo(expected.get(1));
                }
                Set<String> missing = new TreeSet<>(before.get(fault));
                missing.removeAll(after.get(fault));
                lost += missing.size();
                if (expected.get(0).equals("SUCCEEDED") && !fault.equals("per-key denials")) {
                    assertThat(after.get(fault)).as("%s: same findings as the clean scan", fault).isEqualTo(before.get(fault));
                }
            }
            System.out.printf("faults: %d scenarios, %d lost findings%n", EXPECTED.size() - 1, lost);
            assertThat(lost).isZero();
            assertThat(faulty.get("counts").get("findingsResolved").asInt()).isZero();
        } finally {
            sim.setServerErrorRate("ListAliases", 0);
            sim.clearQuotaOverrides();
            sim.setLatency(simAccounts.get("slow past the timeout").id(), 0);
        }
    }

    private static JsonNode scan(ApiClient api) throws InterruptedException {
        String id = api.post("/api/v1/scans", Map.of()).json().get("id").asString();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(4));
        while (Instant.now().isBefore(deadline)) {
            JsonNode scan = api.get("/api/v1/scans/" + id).json();
            if (!Set.of("QUEUED", "RUNNING").contains(scan.get("status").asString())) {
                return scan;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("scan " + id + " did not finish");
    }

    private static JsonNode target(JsonNode scan, String accountId) {
        for (JsonNode target : scan.get("targets")) {
            if (target.get("accountId").asString().equals(accountId)) {
                return target;
            }
        }
        throw new AssertionError("no target for " + accountId);
    }

    /** Each account's OPEN findings as id/type/key. */
    private static Map<String, Set<String>> findings(ApiClient api, Map<String, String> hubIds) {
        Map<String, Set<String>> byFault = new LinkedHashMap<>();
        hubIds.forEach((fault, accountId) -> {
            Set<String> open = new TreeSet<>();
            api.get("/api/v1/findings?status=OPEN&limit=500&accountId=" + accountId).json().get("items")
                    .forEach(f -> open.add(f.get("id").asString() + " " + f.get("type").asString() + " " + f.get("keyArn").asString()));
            byFault.put(fault, open);
        });
        return byFault;
    }
}
