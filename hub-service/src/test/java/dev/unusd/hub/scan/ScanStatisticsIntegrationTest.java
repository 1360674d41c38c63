package dev.unusd.hub.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestDatabase;

/**
 * The hub's own role, which owns no table, has the tables a target writes analysed (V160): at once for the first new
 * account-region, and once more after the interval for those written meanwhile, however many.
 */
class ScanStatisticsIntegrationTest extends HubIntegrationTest {

    private static final String[] TABLES = {"kms_keys", "findings", "finding_events"};

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

    private static double runs(SimpleMeterRegistry meters) {
        return meters.get("hub.scan.statistics.analyses").counter().count();
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
