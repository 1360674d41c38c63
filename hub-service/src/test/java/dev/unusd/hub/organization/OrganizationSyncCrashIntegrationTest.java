package dev.unusd.hub.organization;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.unusd.hub.db.DatabaseBootstrap;
import dev.unusd.hub.fault.CrashPoint;
import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.ChildHub;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestDatabase;
import dev.unusd.hub.support.TestSpokeSim;
import dev.unusd.spokerole.SpokeRoleTemplate;
import dev.unusd.spokesim.SpokeSim;
import tools.jackson.databind.JsonNode;

/**
 * A hub halted (exit 137, as SIGKILL) in the middle of a scheduled organisation sync, the organisation read and no
 * account written: a hub started after it takes that sync over and ends it, and the organisation is neither blocked
 * for later syncs nor for its removal. The hubs are child processes on a database of their own.
 */
class OrganizationSyncCrashIntegrationTest extends HubIntegrationTest {

    private static final String DATABASE_URL = TestDatabase.get().url() + "_organization_crash";
    /** The database as its owner, whom row-level security does not restrict. */
    private static final JdbcClient CRASH_DATABASE = JdbcClient.create(new DriverManagerDataSource(DATABASE_URL,
            TestDatabase.get().adminUser(), TestDatabase.get().adminPassword()));

    private final SpokeSim sim = TestSpokeSim.get();

    @Test
    void aScheduledSyncWhoseHubHaltedIsTakenOverByTheNextHubAndEnds() throws Exception {
        DatabaseBootstrap.createIfMissing(DATABASE_URL, TestDatabase.get().adminUser(),
                TestDatabase.get().adminPassword());
        String management = TestSpokeSim.newAccount(List.of("us-east-1"), 0);
        String awsOrganizationId = sim.createOrganization(management);
        String rootId = sim.organization(awsOrganizationId).rootId();
        for (int i = 0; i < 3; i++) {
            sim.joinOrganization(awsOrganizationId, TestSpokeSim.newAccount(List.of("us-east-1"), 1), rootId,
                    Map.of("team", "crash " + i));
        }
        List<ChildHub> hubs = new ArrayList<>();
        try {
            // The tenant's recurring sync fires every 2 s, so the first one after the stacks are deployed reads the
            // organisation and halts there; its executions never heartbeat after they are picked.
            ChildHub crashing = ChildHub.start("organization-crash", DATABASE_URL, Map.of(
                    "hub.scan.crash-at", CrashPoint.ORGANIZATION_READ.configName(),
                    "hub.organizations.sync-interval", "2s", "db-scheduler.heartbeat-interval", "1h"));
            hubs.add(crashing);
            TenantHandle tenant = crashing.newTenant();
            ApiClient.Response created = tenant.api().post("/api/v1/organizations", Map.of(
                    "managementAccountId", management, "name", "Crash", "regions", List.of("us-east-1")));
            assertThat(created.status()).as(created.text()).isEqualTo(201);
            String id = created.json().get("id").asString();
            String externalId = created.json().get("externalId").asString();
            sim.deployOrgReaderRole(management, SpokeRoleTemplate.DEFAULT_ORG_READER_ROLE_NAME, externalId);
            sim.deployStackSet(awsOrganizationId, SpokeRoleTemplate.DEFAULT_ROLE_NAME, externalId, Set.of(rootId));
            crashing.awaitHalt(CrashPoint.ORGANIZATION_READ, 1);

            List<Map<String, Object>> unfinished = CRASH_DATABASE.sql("""
                    select id, trigger, status from organization_syncs
                     where organization_id = ? and status in ('QUEUED', 'RUNNING')""")
                    .param(UUID.fromString(id)).query().listOfRows();
            assertThat(unfinished).hasSize(1);
            assertThat(unfinished.get(0)).containsEntry("trigger", "SCHEDULED").containsEntry("status", "RUNNING");
            String halted = unfinished.get(0).get("id").toString();
            assertThat(CRASH_DATABASE.sql("select count(*) from accounts where tenant_id = ?").param(tenant.id())
                    .query(Integer.class).single()).as("no account written before the halt").isZero();

            ChildHub recovery = ChildHub.start("organization-recovery", DATABASE_URL,
                    Map.of("db-scheduler.heartbeat-interval", "1s"));
            hubs.add(recovery);
            ApiClient api = tenant.api().at(recovery.base());
            // A sync nobody takes over never ends, and fails the test here.
            JsonNode sync = api.await("/api/v1/organizations/" + id + "/syncs/" + halted,
                    s -> !List.of("QUEUED", "RUNNING").contains(s.get("status").asString()), Duration.ofSeconds(90));
            assertThat(sync.get("status").asString()).as(sync.toString()).isEqualTo("SUCCEEDED");
            assertThat(sync.get("trigger").asString()).isEqualTo("SCHEDULED");
            assertThat(sync.get("added").asInt()).isEqualTo(3);
            assertThat(sync.get("verified").asInt()).isEqualTo(3);
            assertThat(api.get("/api/v1/accounts").json().get("items")).hasSize(3)
                    .allSatisfy(a -> assertThat(a.get("status").asString()).isEqualTo("CONNECTED"));
            ApiClient.Response removed = api.delete("/api/v1/organizations/" + id);
            assertThat(removed.status()).as(removed.text()).isEqualTo(204);
        } finally {
            for (ChildHub hub : hubs) {
                hub.kill();
            }
        }
    }

    @AfterAll
    static void dropDatabase() {
        TestDatabase.get().drop(DATABASE_URL);
    }
}
