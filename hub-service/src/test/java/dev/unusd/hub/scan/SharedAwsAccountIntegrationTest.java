package dev.unusd.hub.scan;

import static dev.unusd.hub.scan.ScanFixture.awaitEnd;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestDatabase;
import dev.unusd.hub.support.TestSpokeSim;

/**
 * One AWS account registered by two tenants (each with its own role and ExternalId): HUB_SCAN_MAX_REGIONS_PER_ACCOUNT
 * (4 here) caps the regions of the AWS account running at once, not of each tenant's registration of it.
 */
class SharedAwsAccountIntegrationTest extends HubIntegrationTest {

    private static final List<String> REGIONS = List.of("us-east-1", "us-east-2", "us-west-1", "us-west-2",
            "eu-west-1", "eu-central-1");

    @Test
    void twoTenantsScanningOneAwsAccountNeverRunMoreOfItsRegionsThanItsMaximum() throws Exception {
        String awsAccountId = TestSpokeSim.newAccount(REGIONS, 2);
        TenantHandle first = newTenant();
        TenantHandle second = newTenant();
        ScanFixture.disableSchedule(first.api());
        ScanFixture.disableSchedule(second.api());
        register(first.api(), awsAccountId, "UnusdSpokeRole");
        register(second.api(), awsAccountId, "UnusdSpokeRolePartner");
        TestSpokeSim.get().setLatency(awsAccountId, 150);
        try {
            String firstScan = first.api().post("/api/v1/scans", Map.of()).json().get("id").asString();
            String secondScan = second.api().post("/api/v1/scans", Map.of()).json().get("id").asString();
            int most = 0;
            try (Connection c = TestDatabase.get().admin();
                    PreparedStatement running = c.prepareStatement("""
                            select (select count(*) from scans where id in (?::uuid, ?::uuid)
                                       and status in ('QUEUED', 'RUNNING')),
                                   (select count(*) from scan_targets t join accounts a on a.id = t.account_id
                                     where a.aws_account_id = ? and t.status = 'RUNNING')""")) {
                running.setString(1, firstScan);
                running.setString(2, secondScan);
                running.setString(3, awsAccountId);
                for (boolean active = true; active; Thread.sleep(5)) {
                    try (ResultSet rs = running.executeQuery()) {
                        rs.next();
                        active = rs.getInt(1) > 0;
                        most = Math.max(most, rs.getInt(2));
                    }
                }
            }

            assertThat(awaitEnd(first.api(), firstScan).get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(awaitEnd(second.api(), secondScan).get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(most).as("regions of the AWS account RUNNING at once, both tenants together").isBetween(1, 4);
        } finally {
            TestSpokeSim.get().setLatency(awsAccountId, 0);
        }
    }

    private static void register(ApiClient api, String awsAccountId, String roleName) {
        ApiClient.Response created = api.post("/api/v1/accounts", Map.of("awsAccountId", awsAccountId,
                "name", "shared-" + awsAccountId, "regions", REGIONS, "roleName", roleName));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        TestSpokeSim.get().deployRole(awsAccountId, roleName, created.json().get("externalId").asString());
    }
}
