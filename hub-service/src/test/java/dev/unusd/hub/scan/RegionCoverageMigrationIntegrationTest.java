package dev.unusd.hub.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import dev.unusd.hub.db.DatabaseBootstrap;
import dev.unusd.hub.support.TestDatabase;

/**
 * Upgrading a database whose scans ran before region_coverage (V190): each account-region gets its latest target that
 * said something about the region, and what an account disabled or a region taken out of a list then left stays
 * marked after the account is enabled or the region put back.
 */
class RegionCoverageMigrationIntegrationTest {

    private static final String DATABASE_URL = TestDatabase.get().url() + "_coverage_migration";
    private static final JdbcClient DATABASE = JdbcClient.create(new DriverManagerDataSource(DATABASE_URL,
            TestDatabase.get().adminUser(), TestDatabase.get().adminPassword()));
    private static final Instant EARLIER = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MICROS);
    private static final Instant LATER = EARLIER.plus(1, ChronoUnit.DAYS);

    @Test
    void theLatestTargetOfEachRegionIsBackfilledAndMarksWhatScansNoLongerReach() {
        DatabaseBootstrap.createIfMissing(DATABASE_URL, TestDatabase.get().adminUser(),
                TestDatabase.get().adminPassword());
        migrations().target("180").load().migrate();
        UUID tenant = UUID.randomUUID();
        DATABASE.sql("insert into tenants (id, name) values (?, 'upgraded')").param(tenant).update();
        UUID everyRegion = account(tenant, "100000000001", true, List.of());
        UUID disabled = account(tenant, "100000000002", false, List.of("us-east-1"));
        UUID narrowed = account(tenant, "100000000003", true, List.of("us-east-1"));
        UUID earlier = scan(tenant);
        UUID later = scan(tenant);
        target(earlier, tenant, everyRegion, "us-east-1", "SUCCEEDED", null, EARLIER);
        target(later, tenant, everyRegion, "us-east-1", "FAILED", "ACCESS_DENIED", LATER);
        target(earlier, tenant, everyRegion, "eu-west-1", "SUCCEEDED", null, EARLIER);
        target(later, tenant, everyRegion, "eu-west-1", "SKIPPED", "ACCOUNT_DISABLED", LATER);
        target(later, tenant, everyRegion, "ap-south-1", "SKIPPED", "REGION_NOT_ENABLED", LATER);
        target(later, tenant, everyRegion, "us-west-2", "RUNNING", null, null);
        target(earlier, tenant, disabled, "us-east-1", "SUCCEEDED", null, EARLIER);
        target(earlier, tenant, narrowed, "eu-west-1", "SUCCEEDED", null, EARLIER);
        target(later, tenant, narrowed, "us-east-1", "SUCCEEDED", null, LATER);

        migrations().load().migrate();

        assertThat(coverage()).containsExactlyInAnyOrder(
                "100000000001 ap-south-1 SKIPPED REGION_NOT_ENABLED ended " + LATER + " succeeded never",
                "100000000001 eu-west-1 SUCCEEDED - ended " + EARLIER + " succeeded " + EARLIER,
                "100000000001 us-east-1 FAILED ACCESS_DENIED ended " + LATER + " succeeded " + EARLIER,
                "100000000002 us-east-1 SUCCEEDED - ended " + EARLIER + " succeeded " + EARLIER,
                "100000000003 eu-west-1 SUCCEEDED - ended " + EARLIER + " succeeded " + EARLIER,
                "100000000003 us-east-1 SUCCEEDED - ended " + LATER + " succeeded " + LATER);
        Map<String, String> marks = Map.of(
                "100000000001 ap-south-1", "REGION_NOT_ENABLED",
                "100000000001 eu-west-1", "ACCOUNT_DISABLED",
                "100000000001 us-east-1", "LAST_SCAN_FAILED",
                "100000000002 us-east-1", "ACCOUNT_DISABLED",
                "100000000003 eu-west-1", "REGION_NOT_SCANNED",
                "100000000003 us-east-1", "verified");
        assertThat(marks()).isEqualTo(marks);

        // Enabled again, put back in the list: nothing was scanned since, so the marks stay.
        DATABASE.sql("update accounts set enabled = true, status = 'PENDING' where id = ?").param(disabled).update();
        DATABASE.sql("update accounts set regions = '{us-east-1,eu-west-1}' where id = ?").param(narrowed).update();
        assertThat(marks()).isEqualTo(marks);
    }

    /** As the hub migrates: its locations, the schema owner, the application role's name. */
    private static FluentConfiguration migrations() {
        return Flyway.configure().dataSource(DATABASE_URL, TestDatabase.get().adminUser(),
                TestDatabase.get().adminPassword()).locations("classpath:db/migration")
                .placeholders(Map.of("appRole", TestDatabase.APP_ROLE));
    }

    private static UUID account(UUID tenant, String awsAccountId, boolean enabled, List<String> regions) {
        UUID id = UUID.randomUUID();
        DATABASE.sql("""
                insert into accounts (id, tenant_id, aws_account_id, name, regions, role_name, external_id, enabled,
                                      status)
                values (?, ?, ?, ?, ?::text[], 'UnusdSpokeRole', ?, ?, ?)""")
                .params(id, tenant, awsAccountId, "acct " + awsAccountId, "{" + String.join(",", regions) + "}",
                        "unusd-" + UUID.randomUUID() + UUID.randomUUID(), enabled, enabled ? "CONNECTED" : "DISABLED")
                .update();
        return id;
    }

    private static UUID scan(UUID tenant) {
        UUID id = UUID.randomUUID();
        DATABASE.sql("insert into scans (id, tenant_id, trigger, status) values (?, ?, 'MANUAL', 'PARTIAL')")
                .params(id, tenant).update();
        return id;
    }

    private static void target(UUID scan, UUID tenant, UUID account, String region, String status,
            @Nullable String errorCode, @Nullable Instant finishedAt) {
        DATABASE.sql("""
                insert into scan_targets (scan_id, tenant_id, account_id, region, status, error_code, finished_at)
                values (?, ?, ?, ?, ?, ?, ?)""")
                .params(scan, tenant, account, region, status, errorCode,
                        finishedAt == null ? null : OffsetDateTime.ofInstant(finishedAt, ZoneOffset.UTC))
                .update();
    }

    private static List<String> coverage() {
        return DATABASE.sql("""
                select a.aws_account_id, c.region, c.status, c.error_code, c.finished_at, c.last_succeeded_at
                  from region_coverage c join accounts a on a.id = c.account_id""")
                .query((rs, i) -> {
                    OffsetDateTime succeeded = rs.getObject("last_succeeded_at", OffsetDateTime.class);
                    return rs.getString("aws_account_id") + " " + rs.getString("region") + " " + rs.getString("status")
                            + " " + (rs.getString("error_code") == null ? "-" : rs.getString("error_code"))
                            + " ended " + rs.getObject("finished_at", OffsetDateTime.class).toInstant()
                            + " succeeded " + (succeeded == null ? "never" : succeeded.toInstant());
                })
                .list();
    }

    /** "awsAccountId region" to the reason reads give its findings and keys, "verified" for none. */
    private static Map<String, String> marks() {
        Map<String, String> marks = new java.util.TreeMap<>();
        DATABASE.sql("""
                select a.aws_account_id || ' ' || c.region as target,
                       hub_unverified_reason(a.enabled, a.regions, a.last_disabled_at, a.regions_removed_at, c.region,
                                             c.status, c.error_code, c.finished_at) as reason
                  from region_coverage c join accounts a on a.id = c.account_id""")
                .query((org.springframework.jdbc.core.RowCallbackHandler) rs -> marks.put(rs.getString("target"),
                        rs.getString("reason") == null ? "verified" : rs.getString("reason")));
        return marks;
    }

    @AfterAll
    static void dropDatabase() {
        TestDatabase.get().drop(DATABASE_URL);
    }
}
