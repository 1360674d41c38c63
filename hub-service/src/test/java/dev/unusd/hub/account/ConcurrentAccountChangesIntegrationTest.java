package dev.unusd.hub.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestDatabase;
import dev.unusd.hub.support.TestSpokeSim;
import dev.unusd.spokerole.SpokeRoleTemplate;
import dev.unusd.spokesim.SpokeSim;
import tools.jackson.databind.JsonNode;

/**
 * An organisation's sync and a change of the tenant's to the same account, interleaved as a lost update needs them:
 * the change is written in a transaction the test holds open, the other writer starts meanwhile, and the test commits
 * only once the database shows that writer waiting on the held transaction. The same interleaving every run; neither
 * change may undo the other.
 */
class ConcurrentAccountChangesIntegrationTest extends HubIntegrationTest {

    @Autowired
    AccountApi accounts;
    @Autowired
    AccountService service;
    @Autowired
    Accounts entities;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    TransactionTemplate tx;

    private final SpokeSim sim = TestSpokeSim.get();

    @Test
    void anAccountTheTenantDisablesWhileASyncMovesItStaysDisabledInItsNewPlace() {
        TenantHandle tenant = newTenant();
        String management = TestSpokeSim.newAccount(List.of("us-east-1"), 0);
        String awsOrganizationId = sim.createOrganization(management);
        String rootId = sim.organization(awsOrganizationId).rootId();
        String sandbox = sim.createOrganizationalUnit(awsOrganizationId, rootId, "sandbox");
        String member = TestSpokeSim.newAccount(List.of("us-east-1"), 1);
        sim.joinOrganization(awsOrganizationId, member, rootId, Map.of("team", "race"));
        ApiClient.Response created = tenant.api().post("/api/v1/organizations", Map.of("managementAccountId",
                management, "name", "Race", "regions", List.of("us-east-1")));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        String externalId = created.json().get("externalId").asString();
        sim.deployOrgReaderRole(management, SpokeRoleTemplate.DEFAULT_ORG_READER_ROLE_NAME, externalId);
        sim.deployStackSet(awsOrganizationId, SpokeRoleTemplate.DEFAULT_ROLE_NAME, externalId, Set.of(rootId));
        String syncs = "/api/v1/organizations/" + created.json().get("id").asString() + "/sync";
        assertThat(awaitEnd(tenant.api(), tenant.api().post(syncs, Map.of()).header("Location")).get("added").asInt())
                .isEqualTo(1);
        UUID account = UUID.fromString(tenant.api().get("/api/v1/accounts").json().get("items").get(0).get("id")
                .asString());
        sim.moveAccount(awsOrganizationId, member, sandbox);

        // PATCH enabled: false, written and held uncommitted while the next sync, which moves the account, starts.
        AtomicReference<String> sync = new AtomicReference<>();
        TenantContext.runAs(tenant.id(), () -> tx.executeWithoutResult(s -> {
            service.update(account, null, null, false);
            entities.flush();
            int patch = backendPid();
            sync.set(tenant.api().post(syncs, Map.of()).header("Location"));
            awaitWaitingOn(patch);
        }));

        JsonNode moved = awaitEnd(tenant.api(), sync.get());
        assertThat(moved.get("status").asString()).as(moved.toString()).isEqualTo("SUCCEEDED");
        assertThat(moved.get("unchanged").asInt()).isEqualTo(1);
        JsonNode after = tenant.api().get("/api/v1/accounts/" + account).json();
        assertThat(after.get("enabled").asBoolean()).as(after.toString()).isFalse();
        assertThat(after.get("status").asString()).isEqualTo("DISABLED");
        assertThat(after.get("deactivatedReason").isNull()).as("disabled by the tenant, not by a sync").isTrue();
        assertThat(after.get("ouPath").asString()).isEqualTo(awsOrganizationId + "/" + rootId + "/" + sandbox + "/");
    }

    @Test
    void aRenameThatReadTheAccountBeforeASyncDeactivatedItLeavesItDeactivated() throws Exception {
        TenantHandle tenant = newTenant();
        JsonNode organization = tenant.api().post("/api/v1/organizations", Map.of("managementAccountId",
                "123456789051", "name", "Race")).json();
        UUID organizationId = UUID.fromString(organization.get("id").asString());
        String awsAccountId = "123456789052";
        OrganizationMember member = new OrganizationMember(awsAccountId, "member", organizationId, "o-race/r-root/",
                Map.of(), SpokeRoleTemplate.DEFAULT_ROLE_NAME, organization.get("externalId").asString());
        UUID account = TenantContext.callAs(tenant.id(), () -> accounts.syncOrganizationMembers(organizationId,
                List.of("us-east-1"), List.of(member), Map.of())).added().getFirst().id();

        // A sync's deactivation, written and held uncommitted while a rename of the account is answered.
        AtomicReference<CompletableFuture<ApiClient.Response>> rename = new AtomicReference<>();
        TenantContext.runAs(tenant.id(), () -> tx.executeWithoutResult(s -> {
            AccountApi.MembershipChanges changes = accounts.syncOrganizationMembers(organizationId,
                    List.of("us-east-1"), List.of(), Map.of(awsAccountId, Deactivation.SUSPENDED));
            assertThat(changes.removed()).hasSize(1);
            int sync = backendPid();
            rename.set(CompletableFuture.supplyAsync(() -> tenant.api().patch("/api/v1/accounts/" + account,
                    Map.of("name", "renamed"))));
            awaitWaitingOn(sync);
        }));

        ApiClient.Response renamed = rename.get().get();
        assertThat(renamed.status()).as(renamed.text()).isEqualTo(200);
        JsonNode after = tenant.api().get("/api/v1/accounts/" + account).json();
        assertThat(after.get("name").asString()).isEqualTo("renamed");
        assertThat(after.get("enabled").asBoolean()).as(after.toString()).isFalse();
        assertThat(after.get("status").asString()).isEqualTo("DISABLED");
        assertThat(after.get("deactivatedReason").asString()).isEqualTo("SUSPENDED");
    }

    /** The database session of the caller's transaction. */
    private int backendPid() {
        return jdbc.sql("select pg_backend_pid()").query(Integer.class).single();
    }

    /** Until a statement on accounts waits for a lock the session {@code pid} holds. */
    private static void awaitWaitingOn(int pid) {
        Instant deadline = Instant.now().plusSeconds(60);
        try (Connection admin = TestDatabase.get().admin(); PreparedStatement waiting = admin.prepareStatement("""
                select count(*) from pg_stat_activity
                 where ? = any(pg_blocking_pids(pid)) and query ilike '%accounts%'""")) {
            waiting.setInt(1, pid);
            while (Instant.now().isBefore(deadline)) {
                try (ResultSet rs = waiting.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        return;
                    }
                }
                Thread.sleep(50);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        throw new AssertionError("no statement on accounts came to wait on session " + pid);
    }

    private static JsonNode awaitEnd(ApiClient api, String sync) {
        return api.await(sync, s -> !List.of("QUEUED", "RUNNING").contains(s.get("status").asString()),
                Duration.ofSeconds(60));
    }
}
