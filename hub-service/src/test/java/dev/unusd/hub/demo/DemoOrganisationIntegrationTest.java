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
        // The suite's simulator also holds other tests' accounts: onboard only the demo organisation's.
        Set<String> demoAccounts = new HashSet<>();
        organisation.accounts().forEach(a -> demoAccounts.add(a.id()));

        DemoOrganisation.Onboarded onboarded = demo.onboard(TestSpokeSim.get().endpoint(), "Demo organisation",
                demoAccounts::contains);

        assertThat(onboarded.accounts()).hasSize(3);
        assertThat(onboarded.verifications()).allMatch(v -> v.endsWith("CONNECTED"));
        ApiClient api = admin().as(onboarded.apiKey());
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

        // Starting demo mode again reuses the tenant and its accounts, with a fresh key.
        DemoOrganisation.Onboarded again = demo.onboard(TestSpokeSim.get().endpoint(), "Demo organisation",
                demoAccounts::contains);
        assertThat(again.tenantId()).isEqualTo(onboarded.tenantId());
        assertThat(again.apiKey()).isNotEqualTo(onboarded.apiKey());
        assertThat(api.get("/api/v1/accounts").json().get("items")).hasSize(3);
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
