package dev.unusd.hub.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestDatabase;

/**
 * What a target's own statements read of scan_targets, whatever the planner's statistics say: an organisation's scan
 * has 17,000 targets, and a statement of each that reads the scan's targets makes the scan quadratic. Each test builds
 * the statistics under which the planner chose such a plan, and counts the sequential scans and index entries the
 * statement read.
 */
class ScanTargetIndexesIntegrationTest extends HubIntegrationTest {

    private static final int ACCOUNTS = 20;

    @Autowired
    Scans scans;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    JdbcClient jdbc;

    /**
     * Once most of scan_targets is history (finished targets, as ANALYZE then reports), the planner took the index of
     * unfinished targets, led by the scan alone, to record a target's result, and walked every unfinished target of
     * the scan.
     */
    @Test
    void recordingATargetReadsOneIndexEntryWhileThousandsOfItsScanAreUnfinished() throws SQLException {
        TenantHandle tenant = newTenant();
        UUID running = UUID.randomUUID();
        int regions = 100;
        UUID account;
        try (Connection admin = TestDatabase.get().admin(); Statement s = admin.createStatement()) {
            insertAccounts(admin, tenant.id());
            insertScans(admin, tenant.id(), null, "SUCCEEDED", 10, regions);
            s.execute("analyze scan_targets");
            // A scan as an organisation's looks while it runs: every target QUEUED but one.
            insertScans(admin, tenant.id(), running, "QUEUED", 1, regions);
            try (PreparedStatement claimed = admin.prepareStatement("""
                    update scan_targets set status = 'RUNNING', attempts = 1, started_at = now()
                     where (scan_id, account_id, region) = (
                           select scan_id, account_id, region from scan_targets where scan_id = ?
                            order by account_id desc, region desc limit 1)
                    returning account_id""")) {
                claimed.setObject(1, running);
                try (ResultSet rs = claimed.executeQuery()) {
                    rs.next();
                    account = rs.getObject(1, UUID.class);
                }
            }
        }
        TargetTaskData target = new TargetTaskData(tenant.id(), running, account, "r" + (regions - 1));
        try {
            Reads reads = readsOf(tenant.id(), () -> {
                assertThat(scans.record(target, 1, new TargetResult(TargetStatus.SUCCEEDED, 3, 1, 0, null))).isTrue();
                return null;
            });

            // The target's own entries (its versions QUEUED and RUNNING among them), not the scan's.
            assertThat(reads.indexEntries()).as("index entries read to record one target of %d unfinished",
                    ACCOUNTS * regions).isLessThan(10);
            assertThat(reads.sequentialScans()).isZero();
        } finally {
            removeScans(tenant.id());
        }
    }

    /**
     * With statistics taken while a scan was mostly unfinished (an organisation's first scan, or any scan that
     * dwarfs the history), the planner answered "is any target of this scan unfinished?" with a sequential scan as
     * EXISTS, and with the primary key when asked for the first unfinished target in the key's order: either read
     * every finished target, in its old and new versions, before an unfinished one, for every target that ended.
     */
    @Test
    void askingWhetherAScanEndedReadsNoFinishedTarget() throws SQLException {
        TenantHandle tenant = newTenant();
        UUID running = UUID.randomUUID();
        try (Connection admin = TestDatabase.get().admin(); Statement s = admin.createStatement()) {
            insertAccounts(admin, tenant.id());
            insertScans(admin, tenant.id(), running, "QUEUED", 1, 500);
            s.execute("analyze scan_targets");
            // The scan since: all but the last account's targets ended, and autovacuum has cleaned up after them.
            try (PreparedStatement ended = admin.prepareStatement("""
                    update scan_targets set status = 'SUCCEEDED', attempts = 1, finished_at = now()
                     where scan_id = ? and account_id <> (
                           select account_id from scan_targets where scan_id = ? order by account_id desc limit 1)""")) {
                ended.setObject(1, running);
                ended.setObject(2, running);
                ended.executeUpdate();
            }
            s.execute("vacuum scan_targets");
        }
        try {
            TargetTaskData target = lastEnded(tenant.id(), running);
            Reads reads = readsOf(tenant.id(), () -> scans.finaliseIfDone(target));

            assertThat(reads.result()).isEqualTo(Optional.empty());
            assertThat(reads.sequentialScans()).as("sequential scans of scan_targets").isZero();
            // Only the index of unfinished targets, whose first live entry answers (entries of targets that ended
            // since the last VACUUM could remove them are stepped over; the primary key would hold them all).
            assertThat(reads.indexesRead()).containsOnly("scan_targets_unfinished");
        } finally {
            removeScans(tenant.id());
        }
    }

    /**
     * While a transaction older than the targets' ends runs (a backup, a report), no entry of an ended target can be
     * marked dead in the index: asked from the start of the scan's range, every probe visited the rows of every
     * region that had ended, two versions each (about 2,000 entries here), for every target that ended.
     */
    @Test
    void askingWhetherAScanEndedStepsOverNoEndedRegionWhileAnOlderTransactionRuns() throws SQLException {
        TenantHandle tenant = newTenant();
        UUID running = UUID.randomUUID();
        try (Connection admin = TestDatabase.get().admin(); Statement s = admin.createStatement();
                Connection older = TestDatabase.get().admin()) {
            insertAccounts(admin, tenant.id());
            insertScans(admin, tenant.id(), running, "QUEUED", 1, 50);
            s.execute("analyze scan_targets");
            older.setAutoCommit(false);
            older.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (Statement snapshot = older.createStatement()) {
                snapshot.executeQuery("select count(*) from scan_targets").close();
            }
            // Work went region by region (in the index's order): all but the last region ended, through RUNNING.
            for (String status : new String[] {"RUNNING", "SUCCEEDED"}) {
                try (PreparedStatement ended = admin.prepareStatement("""
                        update scan_targets set status = ? where scan_id = ? and region <> (
                               select max(region) from scan_targets where scan_id = ?)""")) {
                    ended.setString(1, status);
                    ended.setObject(2, running);
                    ended.setObject(3, running);
                    ended.executeUpdate();
                }
            }
            try {
                TargetTaskData target = lastEnded(tenant.id(), running);
                Reads first = readsOf(tenant.id(), () -> scans.finaliseIfDone(target));
                Reads again = readsOf(tenant.id(), () -> scans.finaliseIfDone(target));

                assertThat(first.result()).isEqualTo(Optional.empty());
                assertThat(first.indexesRead()).containsOnly("scan_targets_unfinished");
                for (Reads reads : new Reads[] {first, again}) {
                    assertThat(reads.indexEntries()).as("index entries read with 980 targets ended").isLessThan(10);
                }
            } finally {
                older.rollback();
            }
        } finally {
            removeScans(tenant.id());
        }
    }

    /** The ended target last in the index's order (region, account): where region-by-region work has reached. */
    private static TargetTaskData lastEnded(UUID tenantId, UUID scanId) throws SQLException {
        try (Connection admin = TestDatabase.get().admin(); PreparedStatement last = admin.prepareStatement("""
                select account_id, region from scan_targets where scan_id = ? and status not in ('QUEUED', 'RUNNING')
                 order by region desc, account_id desc limit 1""")) {
            last.setObject(1, scanId);
            try (ResultSet rs = last.executeQuery()) {
                rs.next();
                return new TargetTaskData(tenantId, scanId, rs.getObject(1, UUID.class), rs.getString(2));
            }
        }
    }

    /** What the call returned, and how its transaction read scan_targets: sequential scans, index entries by index. */
    private record Reads(Object result, long sequentialScans, Map<String, Long> entriesByIndex) {

        long indexEntries() {
            return entriesByIndex.values().stream().mapToLong(Long::longValue).sum();
        }

        Set<String> indexesRead() {
            return entriesByIndex.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey)
                    .collect(Collectors.toSet());
        }
    }

    /** The statistics collector's counts of scan_targets for the current transaction. */
    private record Counters(long sequentialScans, Map<String, Long> entriesByIndex) {
    }

    /**
     * The counters before and after the call, in one transaction: they also hold what earlier transactions of the
     * pooled connection read until the backend next reports them, which it does only between transactions.
     */
    private Reads readsOf(UUID tenantId, Supplier<Object> call) {
        try (TenantContext.Scope scope = TenantContext.open(tenantId)) {
            return Objects.requireNonNull(tx.execute(s -> {
                Counters before = counters();
                Object result = call.get();
                Counters after = counters();
                Map<String, Long> entries = new HashMap<>();
                after.entriesByIndex().forEach((index, read) -> entries.put(index,
                        read - before.entriesByIndex().getOrDefault(index, 0L)));
                return new Reads(result, after.sequentialScans() - before.sequentialScans(), entries);
            }));
        }
    }

    private Counters counters() {
        long sequentialScans = jdbc.sql("select pg_stat_get_xact_numscans('scan_targets'::regclass)")
                .query(Long.class).single();
        Map<String, Long> entries = new HashMap<>();
        jdbc.sql("""
                select indexrelid::regclass::text as index, pg_stat_get_xact_tuples_returned(indexrelid) as read
                  from pg_index where indrelid = 'scan_targets'::regclass""")
                .query((RowCallbackHandler) rs -> entries.put(rs.getString("index"), rs.getLong("read")));
        return new Counters(sequentialScans, entries);
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
    private static void insertScans(Connection admin, UUID tenantId, UUID scanId, String status, int count,
            int regions) throws SQLException {
        try (PreparedStatement insert = admin.prepareStatement("""
                with scans as (
                    insert into scans (id, tenant_id, trigger, status)
                    select coalesce(?::uuid, gen_random_uuid()), ?, 'SCHEDULED',
                           case when ? = 'QUEUED' then 'RUNNING' else ? end
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
            insert.setInt(8, regions);
            insert.setObject(9, tenantId);
            insert.executeUpdate();
        }
    }

    /** The next test's statistics are its own: these targets leave the table. */
    private static void removeScans(UUID tenantId) throws SQLException {
        try (Connection admin = TestDatabase.get().admin();
                PreparedStatement delete = admin.prepareStatement("delete from scans where tenant_id = ?")) {
            delete.setObject(1, tenantId);
            delete.executeUpdate();
        }
    }
}
