package dev.unusd.hub.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestDatabase;

/**
 * A target's result is written by its whole identity (scan, account, region), whatever the planner's statistics say.
 * Once most of scan_targets is history (finished targets, as ANALYZE then reports), the planner took the index of
 * unfinished targets, led by the scan alone, for that write and walked every unfinished target of the scan: each of an
 * organisation's 17,000 targets read up to 17,000 index entries to record itself.
 */
class ScanTargetIndexesIntegrationTest extends HubIntegrationTest {

    private static final int ACCOUNTS = 20;
    private static final int REGIONS = 100;
    private static final int FINISHED_SCANS = 10;

    @Autowired
    Scans scans;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    JdbcClient jdbc;

    @Test
    void recordingATargetReadsOneIndexEntryWhileThousandsOfItsScanAreUnfinished() throws SQLException {
        TenantHandle tenant = newTenant();
        UUID running = UUID.randomUUID();
        UUID account;
        try (Connection admin = TestDatabase.get().admin(); Statement s = admin.createStatement()) {
            insertAccounts(admin, tenant.id());
            insertScan(admin, tenant.id(), null, "SUCCEEDED", FINISHED_SCANS);
            s.execute("analyze scan_targets");
            // A scan as an organisation's looks while it runs: every target QUEUED but one.
            insertScan(admin, tenant.id(), running, "QUEUED", 1);
            try (PreparedStatement claimed = admin.prepareStatement("""
                    update scan_targets set status = 'RUNNING', attempts = 1, started_at = now()
                     where (scan_id, account_id, region) = (
                           select scan_id, account_id, region from scan_targets where scan_id = ?
                            order by account_id desc, region desc limit 1)
                    returning account_id""")) {
                claimed.setObject(1, running);
                var rs = claimed.executeQuery();
                rs.next();
                account = rs.getObject(1, UUID.class);
            }
        }
        TargetTaskData target = new TargetTaskData(tenant.id(), running, account, "r" + (REGIONS - 1));

        long indexEntriesRead;
        try (TenantContext.Scope scope = TenantContext.open(tenant.id())) {
            indexEntriesRead = tx.execute(s -> {
                assertThat(scans.record(target, new TargetResult(TargetStatus.SUCCEEDED, 3, 1, 0, null))).isTrue();
                // This transaction's reads of every index of scan_targets, counted by the statistics collector.
                return jdbc.sql("""
                        select sum(pg_stat_get_xact_tuples_returned(indexrelid))::bigint
                          from pg_index where indrelid = 'scan_targets'::regclass""").query(Long.class).single();
            });
        }

        assertThat(indexEntriesRead).as("index entries read to record one target of %d unfinished", ACCOUNTS * REGIONS)
                .isLessThanOrEqualTo(2);
    }

    private static void insertAccounts(Connection admin, UUID tenantId) throws SQLException {
        try (PreparedStatement insert = admin.prepareStatement("""
                insert into accounts (id, tenant_id, aws_account_id, name, regions, role_name, external_id, status)
                select gen_random_uuid(), ?, lpad((400000000000 + g)::text, 12, '0'), 'a' || g, '{us-east-1}',
                       'UnusdSpokeRole', 'unusd-' || md5(? || g), 'CONNECTED'
                  from generate_series(1, ?) g""")) {
            insert.setObject(1, tenantId);
            insert.setString(2, tenantId.toString());
            insert.setInt(3, ACCOUNTS);
            insert.executeUpdate();
        }
    }

    /** {@code count} scans with a target per account and region, each target in {@code status}. */
    private static void insertScan(Connection admin, UUID tenantId, UUID scanId, String status, int count)
            throws SQLException {
        try (PreparedStatement insert = admin.prepareStatement("""
                with scans as (
                    insert into scans (id, tenant_id, trigger, status)
                    select coalesce(?::uuid, gen_random_uuid()), ?, 'SCHEDULED', case when ? = 'QUEUED' then 'RUNNING' else ? end
                      from generate_series(1, ?)
                    returning id)
                insert into scan_targets (scan_id, tenant_id, account_id, region, status, finished_at)
                select s.id, a.tenant_id, a.id, 'r' || r, ?, case when ? = 'QUEUED' then null else now() end
                  from scans s, accounts a, generate_series(0, ? - 1) r
                 where a.tenant_id = ?""")) {
            insert.setObject(1, scanId);
            insert.setObject(2, tenantId);
            insert.setString(3, status);
            insert.setString(4, status);
            insert.setInt(5, count);
            insert.setString(6, status);
            insert.setString(7, status);
            insert.setInt(8, REGIONS);
            insert.setObject(9, tenantId);
            insert.executeUpdate();
        }
    }
}
