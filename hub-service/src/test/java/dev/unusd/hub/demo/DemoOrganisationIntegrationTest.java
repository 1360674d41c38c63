package dev.unusd.hub.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestSpokeSim;
import dev.unusd.spokesim.Scenario;
import dev.unusd.spokesim.ScenarioReader;
import tools.jackson.databind.JsonNode;

/** What demo mode does at start-up, against the simulator's demo organisation: findings of every kind appear. */
class DemoOrganisationIntegrationTest extends HubIntegrationTest {

    @Autowired
    DemoOrganisation demo;

    @Test
    void onboardsTheDemoOrganisationAndFindsEveryKindOfFinding() throws InterruptedException {
        Scenario organisation = ScenarioReader.demo();
        organisation.accounts().forEach(TestSpokeSim.get()::addAccount);
        organisation.organizations().forEach(TestSpokeSim.get()::addOrganization);
        // The suite's simulator also holds other tests' organisations: onboard only the demo's.
        String management = organisation.organizations().get(0).managementAccountId();

        DemoOrganisation.Onboarded onboarded = demo.onboard(TestSpokeSim.get().endpoint(), "Demo organisation",
                management::equals);

        // The members came in through a sync of the organisation, with their place in it; the management account not.
        assertThat(onboarded.syncs()).singleElement().satisfies(sync -> {
            assertThat(sync.status()).as(sync.errors().toString()).isEqualTo("SUCCEEDED");
            assertThat(sync.added()).isEqualTo(3);
            assertThat(sync.verified()).isEqualTo(3);
        });
        assertThat(onboarded.verifications()).containsExactly("acme-prod (Root/workloads/prod): CONNECTED",
                "acme-sandbox (Root/sandbox): CONNECTED", "acme-staging (Root/workloads/staging): CONNECTED");
        ApiClient api = admin().as(onboarded.apiKey());
        JsonNode organisations = api.get("/api/v1/organizations").json().get("items");
        assertThat(organisations).singleElement().satisfies(o -> {
            assertThat(o.get("managementAccountId").asString()).isEqualTo(management);
            assertThat(o.get("awsOrganizationId").asString()).startsWith("o-");
        });
        JsonNode accounts = api.get("/api/v1/accounts").json().get("items");
        assertThat(accounts).hasSize(3).allSatisfy(a -> {
            assertThat(a.get("organizationId").asString()).isEqualTo(organisations.get(0).get("id").asString());
            assertThat(a.get("ouPath").asString()).startsWith(organisations.get(0).get("awsOrganizationId").asString());
            assertThat(a.get("tags").get("cost-center").asString()).isNotBlank();
        });
        JsonNode scan = awaitFinished(api, onboarded.scanId().toString());
        assertThat(scan.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(scan.get("targets").toString()).contains("REGION_NOT_ENABLED");

        Set<String> types = new HashSet<>();
        api.get("/api/v1/findings?limit=500").json().get("items").forEach(f -> types.add(f.get("type").asString()));
        assertThat(types).containsExactlyInAnyOrder("KEY_UNUSED", "ROTATION_DISABLED", "ROTATION_PERIOD_TOO_LONG",
                "PENDING_DELETION_IN_USE", "KEY_POLICY_PUBLIC", "KEY_CROSS_ACCOUNT_ACCESS");
        // One key of each access finding, with what it rests on and the command that fixes it.
        JsonNode open = api.get("/api/v1/findings?type=KEY_POLICY_PUBLIC").json().get("items");
        assertThat(open).hasSize(1);
        assertThat(open.get(0).get("evidence").get("statements").get(0).asString())
                .isEqualTo("statement 1 (Sid PublicDecrypt)");
        assertThat(open.get(0).get("remediation").toString()).contains("aws kms put-key-policy --key-id "
                + open.get(0).get("keyId").asString() + " --policy-name default");
        JsonNode shared = api.get("/api/v1/findings?type=KEY_CROSS_ACCOUNT_ACCESS").json().get("items");
        assertThat(shared).hasSize(1);
        assertThat(shared.get(0).get("evidence").get("outsideAccounts").toString()).isEqualTo("[\"210987654321\"]");
        assertThat(shared.get(0).get("remediation").toString()).contains("aws kms revoke-grant --key-id "
                + shared.get(0).get("keyId").asString() + " --grant-id ");
        assertThat(api.get("/api/v1/findings?status=SUPPRESSED").json().get("items")).isNotEmpty();
        // The summary breaks them down by OU, by the names the sync read.
        JsonNode units = api.get("/api/v1/summary").json().get("organizationalUnits");
        assertThat(units).extracting(u -> u.get("namePath").asString()).containsExactlyInAnyOrder("Root",
                "Root/workloads", "Root/workloads/prod", "Root/workloads/staging", "Root/sandbox");
        long openTotal = api.get("/api/v1/summary").json().get("findings").get("open").asLong();
        assertThat(units).filteredOn(u -> u.get("namePath").asString().equals("Root"))
                .singleElement().satisfies(root -> assertThat(root.get("openFindings").asLong()).isEqualTo(openTotal));

        // Starting demo mode again reuses the tenant, its organisation and accounts, with a fresh key.
        DemoOrganisation.Onboarded again = demo.onboard(TestSpokeSim.get().endpoint(), "Demo organisation",
                management::equals);
        assertThat(again.tenantId()).isEqualTo(onboarded.tenantId());
        assertThat(again.apiKey()).isNotEqualTo(onboarded.apiKey());
        assertThat(again.syncs().get(0).added()).isZero();
        assertThat(api.get("/api/v1/accounts").json().get("items")).hasSize(3);
        assertThat(api.get("/api/v1/organizations").json().get("items")).hasSize(1);
    }

    private static JsonNode awaitFinished(ApiClient api, String scanId) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (Instant.now().isBefore(deadline)) {
            JsonNode scan = api.get("/api/v1/scans/" + scanId).json();
            if (Set.of("SUCCEEDED", "PARTIAL", "FAILED").contains(scan.get("status").asString())) {
                return scan;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("scan " + scanId + " did not finish");
    }
}
