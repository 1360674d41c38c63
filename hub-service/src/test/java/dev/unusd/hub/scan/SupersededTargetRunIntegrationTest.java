package dev.unusd.hub.scan;

import static dev.unusd.hub.scan.ScanFixture.disableSchedule;
import static dev.unusd.hub.scan.ScanFixture.register;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.scan.ScanFixture.SimAccount;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestDatabase;
import dev.unusd.hub.support.TestSpokeSim;

/**
 * A target claimed again while its first run still goes on: db-scheduler revives an execution whose instance stopped
 * heartbeating (a long pause, the database out of its reach) though its run may not have stopped. The first run,
 * superseded, must write nothing: neither keys and findings from its older snapshot over the newer run's, nor the
 * target's end, which would end the scan while the newer run still scans.
 */
class SupersededTargetRunIntegrationTest extends HubIntegrationTest {

    @Autowired
    TargetRunner runner;
    @Autowired
    Scans scans;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    ScanProperties properties;

    @Test
    void aRunWhoseTargetWasClaimedAgainWritesNothingAndLeavesTheScanToTheNewerRun() throws Exception {
        TenantHandle tenant = newTenant();
        disableSchedule(tenant.api());
        SimAccount account = register(tenant.api(), List.of("us-east-1"), 2);
        UUID scanId = UUID.randomUUID();
        UUID accountId = UUID.fromString(account.id());
        TargetTaskData target = new TargetTaskData(tenant.id(), scanId, accountId, "us-east-1");
        // The scan's row and target only: no task, so this test's runs are the only ones.
        TenantContext.runAs(tenant.id(), () -> tx.executeWithoutResult(s -> scans.insert(scanId, tenant.id(),
                ScanTrigger.MANUAL, List.of(new Scans.Target(accountId, "us-east-1")))));
        TestSpokeSim.get().setLatency(account.awsAccountId(), 300);
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<TargetRunner.Outcome> first = CompletableFuture.supplyAsync(() -> runner.run(target),
                    executor);
            awaitTarget(scanId, "RUNNING", 1);

            // Its instance taken for dead, another instance claims the target again and is still scanning it.
            Scans.Claimed again = TenantContext.callAs(tenant.id(),
                    () -> tx.execute(s -> scans.claim(target, properties.maxConcurrentRegionsPerAccount())));
            assertThat(again).isEqualTo(new Scans.Claimed(Scans.Claim.RUN, 2));

            assertThat(first.get(60, TimeUnit.SECONDS)).isEqualTo(TargetRunner.Outcome.DONE);
            assertThat(query("select status || ' ' || attempts from scan_targets where scan_id = ?::uuid", scanId))
                    .as("the target, left to the newer run").isEqualTo("RUNNING 2");
            assertThat(query("select status from scans where id = ?::uuid", scanId))
                    .as("the scan, which waits on the newer run").isEqualTo("RUNNING");
            assertThat(query("select count(*)::text from kms_keys where account_id = ?::uuid", accountId))
                    .as("keys written by the superseded run").isEqualTo("0");
        } finally {
            TestSpokeSim.get().setLatency(account.awsAccountId(), 0);
        }
    }

    private static void awaitTarget(UUID scanId, String status, int attempts) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        String wanted = status + " " + attempts;
        while (!wanted.equals(query("select status || ' ' || attempts from scan_targets where scan_id = ?::uuid",
                scanId))) {
            assertThat(Instant.now()).as("target %s", wanted).isBefore(deadline);
            Thread.sleep(20);
        }
    }

    private static String query(String sql, UUID id) throws Exception {
        try (Connection c = TestDatabase.get().admin(); PreparedStatement query = c.prepareStatement(sql)) {
            query.setString(1, id.toString());
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
