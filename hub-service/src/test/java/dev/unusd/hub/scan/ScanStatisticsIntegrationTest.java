package dev.unusd.hub.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.Seed;
import dev.unusd.hub.support.TestDatabase;

/**
 * The hub's own role, which owns no table, has the tables a target writes analysed (V160): at once for the first new
 * account-region, and once more after the interval for those written meanwhile, however many.
 */
class ScanStatisticsIntegrationTest extends HubIntegrationTest {

    private static final String[] TABLES = {"kms_keys", "findings", "finding_events"};
    private static final Pattern PLAN_ROWS = Pattern.compile("\"Plan Rows\": (\\d+)");

    @Autowired
    JdbcClient jdbc;

    @Test
    void newKeysHaveTheScanTablesAnalysedAtOnceAndOnceMoreAfterTheInterval() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ScanStatistics statistics = new ScanStatistics(jdbc, Duration.ofSeconds(1), meters);
        Map<String, Long> before = analyses();

        statistics.newKeysWritten();
        awaitRuns(meters, 1);
        // Written while the first ran or waited out its interval: one more run covers them both.
        statistics.newKeysWritten();
        statistics.newKeysWritten();
        awaitRuns(meters, 2);
        Thread.sleep(2500);

        assertThat(runs(meters)).isEqualTo(2.0);
        // Another instance's, in the shared context, may add to the tables' counts, never take from them.
        for (int i = 0; i < 50 && !analysedSince(before, analyses(), 2); i++) {
            Thread.sleep(100);
        }
        assertThat(analysedSince(before, analyses(), 2)).as("every table analysed twice, as the hub's role").isTrue();
    }

    /**
     * What the analysis is for: an account the statistics had not seen was estimated at a row or so, and a target's
     * plans then read the whole tenant. Once analysed, its keys, findings and the scan's events are estimated at about
     * what they are, though only the columns the scan's statements filter on are analysed (V170).
     */
    @Test
    void anAnalysedNewAccountIsEstimatedAtItsRows() throws Exception {
        TenantHandle tenant = newTenant();
        UUID account;
        UUID scan = UUID.randomUUID();
        try (Seed seed = new Seed(tenant.id())) {
            account = seed.account("418000000001", "new account");
            seed.execute("""
                    insert into kms_keys (tenant_id, account_id, region, key_id, arn)
                    select ?, ?, 'eu-west-1', 'new-' || g, 'arn:aws:kms:eu-west-1:418000000001:key/new-' || g
                      from generate_series(1, 400) g""", tenant.id(), account);
            seed.execute("""
                    insert into findings (tenant_id, key_ref, account_id, region, type, severity, severity_rank,
                        status, title, detail)
                    select tenant_id, id, account_id, region, 'KEY_UNUSED', 'MEDIUM', 2, 'OPEN', 'unused', 'unused'
                      from kms_keys where account_id = ?""", account);
            seed.execute("insert into scans (id, tenant_id, status, trigger) values (?, ?, 'RUNNING', 'MANUAL')",
                    scan, tenant.id());
            seed.execute("""
                    insert into finding_events (tenant_id, finding_id, scan_id, status)
                    select tenant_id, id, ?, 'OPEN' from findings where account_id = ?""", scan, account);
        }
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        new ScanStatistics(jdbc, Duration.ofSeconds(1), meters).newKeysWritten();
        awaitRuns(meters, 1);

        assertThat(estimatedRows("kms_keys where account_id = '" + account + "'")).isBetween(200L, 800L);
        assertThat(estimatedRows("findings where account_id = '" + account + "'")).isBetween(200L, 800L);
        assertThat(estimatedRows("finding_events where scan_id = '" + scan + "'")).isBetween(200L, 800L);
    }

    /** The planner's estimate of the rows of {@code from}, read as the tables' owner (no row-level security). */
    private static long estimatedRows(String from) throws SQLException {
        try (Connection admin = TestDatabase.get().admin(); Statement s = admin.createStatement();
                ResultSet rs = s.executeQuery("explain (format json) select 1 from " + from)) {
            rs.next();
            Matcher rows = PLAN_ROWS.matcher(rs.getString(1));
            assertThat(rows.find()).as(rs.getString(1)).isTrue();
            return Long.parseLong(rows.group(1));
        }
    }

    private static double runs(SimpleMeterRegistry meters) {
        return meters.get("hub.scan.statistics.analyses").timer().count();
    }

    /** Runs are on a thread of their own. */
    private static void awaitRuns(SimpleMeterRegistry meters, int count) throws InterruptedException {
        for (int i = 0; i < 300 && runs(meters) < count; i++) {
            Thread.sleep(100);
        }
        assertThat(runs(meters)).isEqualTo((double) count);
    }

    private static boolean analysedSince(Map<String, Long> before, Map<String, Long> after, int times) {
        for (String table : TABLES) {
            if (after.get(table) - before.get(table) < times) {
                return false;
            }
        }
        return true;
    }

    /** ANALYZE runs of each table so far, as the statistics system reports them. */
    private static Map<String, Long> analyses() throws SQLException {
        try (Connection admin = TestDatabase.get().admin(); Statement s = admin.createStatement()) {
            try (ResultSet rs = s.executeQuery("""
                    select relname, analyze_count from pg_stat_user_tables
                     where relname in ('kms_keys', 'findings', 'finding_events')""")) {
                Map<String, Long> counts = new TreeMap<>();
                while (rs.next()) {
                    counts.put(rs.getString(1), rs.getLong(2));
                }
                return counts;
            }
        }
    }
}
