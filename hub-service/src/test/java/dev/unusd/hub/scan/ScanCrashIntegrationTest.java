package dev.unusd.hub.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
import dev.unusd.spokesim.Scenario.KeyState;
import tools.jackson.databind.JsonNode;

/**
 * A hub halted at any point of a scan's path ({@code hub.scan.crash-at}: exit 137 without shutdown, as SIGKILL) leaves
 * a scan that a hub started after it completes with exactly the results of an uninterrupted one: the same scan and
 * target rows, keys, findings and finding events as a reference tenant whose organisation has the same shape.
 * <p>
 * The hubs are child processes on a database of their own (the suite's shared hub takes no part). Each kill point has
 * a tenant whose organisation is one account in two regions. A first hub scans every tenant once, changes their keys
 * and stops. Then, one after the other, a hub per kill point launches its tenant's second scan, runs one target at a
 * time and halts in the second target, after the first ended. These hubs never take over another's executions (their
 * heartbeat is an hour, so none looks dead to them); the last hub, with a 1 s heartbeat, finds every dead execution
 * within seconds and completes every scan.
 */
class ScanCrashIntegrationTest extends HubIntegrationTest {

    private static final String DATABASE_URL = TestDatabase.get().url() + "_crash";
    /** The database as its owner, whom row-level security does not restrict: every tenant's rows. */
    private static final JdbcClient CRASH_DATABASE = JdbcClient.create(
            new DriverManagerDataSource(DATABASE_URL, TestDatabase.get().adminUser(),
                    TestDatabase.get().adminPassword()));
    private static final List<String> REGIONS = List.of("us-east-1", "eu-west-1");
    private static final int KEYS = 7;
    /** Every kind of finding, an exempt key and an AWS-managed one; ids start with the region's index. */
    private static final String REGION_KEYS = """
              %s:
                keys:
                  - {id: %d0000001-0000-4000-8000-000000000001, createdAt: -200d, lastUsage: none,
                     rotation: {enabled: true}}
                  - {id: %d0000002-0000-4000-8000-000000000002, state: Disabled, createdAt: -200d, lastUsage: none}
                  - {id: %d0000003-0000-4000-8000-000000000003, rotation: {enabled: true, periodDays: 400},
                     lastUsage: {at: -1d, operation: Decrypt}}
                  - {id: %d0000004-0000-4000-8000-000000000004, createdAt: -30d,
                     lastUsage: {at: -2d, operation: Encrypt}}
                  - {id: %d0000005-0000-4000-8000-000000000005, createdAt: -200d, lastUsage: none,
                     tags: {unusd: "true"}}
                  - {id: %d0000006-0000-4000-8000-000000000006, state: PendingDeletion,
                     lastUsage: {at: -5d, operation: Decrypt}}
                  - {id: %d0000007-0000-4000-8000-000000000007, manager: AWS, aliases: [alias/aws/s3]}
            """;

    /**
     * The points, in the order a scan reaches them, and how often the halting hub reaches each, the halt included:
     * it runs the second scan's first target to its end, then halts in the second (per key: halfway through its keys).
     * The second target then runs again (one more attempt), unless its result was committed.
     */
    private static final List<KillPoint> KILL_POINTS = List.of(
            new KillPoint(CrashPoint.SCAN_INSERTED, 1, List.of(1, 1)),
            new KillPoint(CrashPoint.TARGET_CLAIMED, 2, List.of(1, 2)),
            new KillPoint(CrashPoint.CONNECTED, 2, List.of(1, 2)),
            new KillPoint(CrashPoint.KEYS_LISTED, 2, List.of(1, 2)),
            new KillPoint(CrashPoint.KEY_DESCRIBED, KEYS + KEYS / 2, List.of(1, 2)),
            new KillPoint(CrashPoint.COLLECTED, 2, List.of(1, 2)),
            new KillPoint(CrashPoint.KEYS_UPSERTED, 2, List.of(1, 2)),
            new KillPoint(CrashPoint.FINDINGS_UPSERTED, 2, List.of(1, 2)),
            new KillPoint(CrashPoint.FINDINGS_RESOLVED, 2, List.of(1, 2)),
            new KillPoint(CrashPoint.RECONCILED, 2, List.of(1, 2)),
            new KillPoint(CrashPoint.TARGET_RECORDED, 2, List.of(1, 2)),
            new KillPoint(CrashPoint.SCAN_FINALISED, 1, List.of(1, 1)));

    /** {@code times}: how often the hub reaches the point, the halt included. */
    private record KillPoint(CrashPoint point, int times, List<Integer> attempts) {

        String setting() {
            return point.configName() + "," + times;
        }
    }

    @Test
    void hubsHaltedAtEveryPointOfAScanLeaveScansThatCompleteAsIfUninterrupted() throws Exception {
        // The weekly report's point is the notification crash test's, the organisation sync's its own crash test's.
        assertThat(KILL_POINTS).extracting(KillPoint::point).as("a kill point for every crash point of a scan")
                .containsExactlyElementsOf(EnumSet.complementOf(EnumSet.of(CrashPoint.WEEKLY_REPORT_QUEUED,
                        CrashPoint.ORGANIZATION_READ)));
        DatabaseBootstrap.createIfMissing(DATABASE_URL, TestDatabase.get().adminUser(),
                TestDatabase.get().adminPassword());
        List<ChildHub> hubs = new ArrayList<>();
        try {
            // Every tenant's first scan and the reference's two, on a hub that stops before the others start.
            ChildHub setup = ChildHub.start("setup", DATABASE_URL, Map.of("db-scheduler.threads", "4"));
            hubs.add(setup);
            TenantHandle reference = setup.newTenant();
            Map<KillPoint, TenantHandle> crashed = new LinkedHashMap<>();
            KILL_POINTS.forEach(kill -> crashed.put(kill, setup.newTenant()));
            List<TenantHandle> tenants = new ArrayList<>(List.of(reference));
            tenants.addAll(crashed.values());
            List<String> awsAccountIds = tenants.stream().map(t -> register(t.api())).toList();
            List<String> firstScans = tenants.stream().map(t -> launch(t.api())).toList();
            for (int i = 0; i < tenants.size(); i++) {
                awaitSucceeded(tenants.get(i).api(), firstScans.get(i));
            }
            awsAccountIds.forEach(ScanCrashIntegrationTest::changeKeys);
            JsonNode uninterrupted = awaitSucceeded(reference.api(), launch(reference.api()));
            List<String> expectedRows = rows(reference.id());
            setup.stop();

            for (Map.Entry<KillPoint, TenantHandle> entry : crashed.entrySet()) {
                KillPoint kill = entry.getKey();
                // One worker: the second scan's first target ends before its second one starts.
                ChildHub hub = ChildHub.start("crash-" + kill.point().configName(), DATABASE_URL, Map.of(
                        "hub.scan.crash-at", kill.setting(), "db-scheduler.threads", "1",
                        "db-scheduler.heartbeat-interval", "1h"));
                hubs.add(hub);
                try {
                    hub.client(entry.getValue().api()).post("/api/v1/scans", Map.of());
                } catch (IllegalStateException haltedBeforeItAnswered) {
                    // scan-inserted halts in this request; another point may come before the answer is written
                }
                hub.awaitHalt(kill.point(), kill.times());
            }

            ChildHub recovery = ChildHub.start("recovery", DATABASE_URL, Map.of("db-scheduler.threads", "4",
                    "db-scheduler.heartbeat-interval", "1s"));
            hubs.add(recovery);
            Instant recoveryStarted = Instant.now();
            int differences = 0;
            for (Map.Entry<KillPoint, TenantHandle> entry : crashed.entrySet()) {
                KillPoint kill = entry.getKey();
                ApiClient api = recovery.client(entry.getValue().api());
                UUID tenant = entry.getValue().id();
                List<UUID> scans = scans(tenant);
                if (kill.point() == CrashPoint.SCAN_INSERTED) {
                    // The halted launch left nothing behind, not even a queued scan that would answer every launch.
                    assertThat(scans).hasSize(1);
                    assertThat(launch(api)).isNotEqualTo(scans.get(0).toString());
                    scans = scans(tenant);
                }
                assertThat(scans).hasSize(2);
                JsonNode recovered = ScanFixture.awaitEnd(api, scans.get(1).toString());
                List<String> found = new ArrayList<>();
                compare(found, "status", uninterrupted.get("status").asString(), recovered.get("status").asString());
                compare(found, "counts", uninterrupted.get("counts").toString(), recovered.get("counts").toString());
                compare(found, "targets", outcomes(uninterrupted), outcomes(recovered));
                compareRows(found, expectedRows, rows(tenant));
                compare(found, "tasks left", List.of(), awaitTasksRemoved(scans.get(1)));
                System.out.printf("crash at %s: attempts %s, %d differences%s%n", kill.setting(),
                        attempts(scans.get(1)), found.size(), found.isEmpty() ? "" : " " + found);
                assertThat(attempts(scans.get(1))).as("attempts after a halt at " + kill.setting())
                        .isEqualTo(kill.attempts());
                differences += found.size();
            }
            System.out.printf("All scans ended %d s after the recovering hub started%n",
                    Duration.between(recoveryStarted, Instant.now()).toSeconds());
            System.out.printf("crash: %d kill points, %d differences%n", crashed.size(), differences);

            assertThat(differences).isZero();
            // The second scan changes findings both ways, so a halted reconciliation has something to lose.
            assertThat(uninterrupted.get("counts").toString())
                    .isEqualTo("{\"keys\":14,\"findingsOpened\":2,\"findingsResolved\":8}");
        } finally {
            for (ChildHub hub : hubs) {
                hub.kill();
            }
        }
    }

    /** The organisation: one account in both regions, its role deployed, registered with the tenant's schedule off. */
    private static String register(ApiClient api) {
        ScanFixture.disableSchedule(api);
        StringBuilder yaml = new StringBuilder("regions:\n");
        for (int i = 0; i < REGIONS.size(); i++) {
            Object[] args = new Object[KEYS + 1];
            args[0] = REGIONS.get(i);
            Arrays.fill(args, 1, args.length, i);
            yaml.append(REGION_KEYS.formatted(args));
        }
        String awsAccountId = TestSpokeSim.addAccount(yaml.toString()).id();
        ApiClient.Response created = api.post("/api/v1/accounts",
                Map.of("awsAccountId", awsAccountId, "name", "crash " + awsAccountId, "regions", REGIONS));
        assertThat(created.status()).as(created.text()).isEqualTo(201);
        TestSpokeSim.get().deployRole(awsAccountId, ScanFixture.ROLE, created.json().get("externalId").asString());
        return awsAccountId;
    }

    /**
     * Between the scans, in both regions: the unused key is used, the disabled one and the recently used unrotated one
     * are scheduled for deletion. Four findings a region resolve (KEY_UNUSED twice, ROTATION_DISABLED twice) and one
     * opens (PENDING_DELETION_IN_USE).
     */
    private static void changeKeys(String awsAccountId) {
        for (int i = 0; i < REGIONS.size(); i++) {
            String region = REGIONS.get(i);
            TestSpokeSim.get().useKey(awsAccountId, region, keyId(i, 1), "Encrypt");
            TestSpokeSim.get().setKeyState(awsAccountId, region, keyId(i, 2), KeyState.PendingDeletion);
            TestSpokeSim.get().setKeyState(awsAccountId, region, keyId(i, 4), KeyState.PendingDeletion);
        }
    }

    private static String keyId(int region, int key) {
        return "%d000000%d-0000-4000-8000-00000000000%d".formatted(region, key, key);
    }

    private static String launch(ApiClient api) {
        ApiClient.Response launched = api.post("/api/v1/scans", Map.of());
        assertThat(launched.status()).as(launched.text()).isEqualTo(202);
        return launched.json().get("id").asString();
    }

    private static JsonNode awaitSucceeded(ApiClient api, String scanId) {
        JsonNode scan = ScanFixture.awaitEnd(api, scanId);
        assertThat(scan.get("status").asString()).as(scan.toString()).isEqualTo("SUCCEEDED");
        return scan;
    }

    private static void compare(List<String> differences, String what, Object expected, Object actual) {
        if (!expected.equals(actual)) {
            differences.add(what + ": expected " + expected + " but was " + actual);
        }
    }

    /** One difference per row the reference has and the tenant lacks, or the other way round. */
    private static void compareRows(List<String> differences, List<String> expected, List<String> actual) {
        List<String> missing = new ArrayList<>(expected);
        actual.forEach(missing::remove);
        List<String> extra = new ArrayList<>(actual);
        expected.forEach(extra::remove);
        missing.forEach(row -> differences.add("missing row: " + row));
        extra.forEach(row -> differences.add("extra row: " + row));
    }

    /** Each target's outcome; the account is the tenant's only one, so two tenants' scans compare. */
    private static List<String> outcomes(JsonNode scan) {
        return scan.get("targets").valueStream().map(t -> t.get("region").asString() + " " + t.get("status").asString()
                + " keys " + t.get("keysScanned").asInt() + " undecided " + t.get("undecidedKeys").asInt() + " error "
                + t.get("error") + " warnings " + t.get("warnings")).sorted().toList();
    }

    /**
     * A tenant's stored results without times and ids: its scans and targets (in launch order), keys, findings and
     * finding events. A target run twice must leave what one run leaves.
     */
    private static List<String> rows(UUID tenant) {
        return CRASH_DATABASE.sql("""
                with ranked as (
                    select id, status, keys_scanned, findings_opened, findings_resolved,
                           row_number() over (order by created_at, id) as n
                      from scans where tenant_id = :tenant)
                select 'scan ' || n || ' ' || status || ' keys ' || keys_scanned || ' opened ' || findings_opened
                       || ' resolved ' || findings_resolved
                  from ranked
                union all
                select 'target ' || s.n || ' ' || t.region || ' ' || t.status || ' keys ' || t.keys_scanned
                       || ' opened ' || t.findings_opened || ' resolved ' || t.findings_resolved
                       || ' undecided ' || t.undecided_keys || ' error ' || coalesce(t.error_code, '-')
                       || ' warnings ' || t.warnings::text
                  from scan_targets t join ranked s on s.id = t.scan_id
                union all
                select 'key ' || region || ' ' || key_id || ' ' || coalesce(state, '-') || ' ' || usage_status
                       || ' exempt ' || exempt || ' removed ' || (removed_at is not null)
                       || ' cost ' || coalesce(monthly_cost_usd::text, '-')
                  from kms_keys where tenant_id = :tenant
                union all
                select 'finding ' || f.region || ' ' || k.key_id || ' ' || f.type || ' ' || f.status || ' '
                       || f.severity || ' resolved ' || (f.resolved_at is not null)
                  from findings f join kms_keys k on k.id = f.key_ref where f.tenant_id = :tenant
                union all
                select 'event scan ' || s.n || ' ' || f.region || ' ' || k.key_id || ' ' || f.type || ' ' || e.status
                  from finding_events e join ranked s on s.id = e.scan_id
                  join findings f on f.id = e.finding_id join kms_keys k on k.id = f.key_ref
                order by 1""")
                .param("tenant", tenant).query(String.class).list();
    }

    /** The tenant's scans in launch order. */
    private static List<UUID> scans(UUID tenant) {
        return CRASH_DATABASE.sql("select id from scans where tenant_id = ? order by created_at, id").param(tenant)
                .query(UUID.class).list();
    }

    private static List<Integer> attempts(UUID scanId) {
        return CRASH_DATABASE.sql("select attempts from scan_targets where scan_id = ? order by attempts")
                .param(scanId).query(Integer.class).list();
    }

    /**
     * The scan's target tasks still in the scheduler's table, after a few seconds' grace: a task is removed just after
     * its target's result is committed, so an ended scan may briefly still have one.
     */
    private static List<String> awaitTasksRemoved(UUID scanId) {
        Instant deadline = Instant.now().plusSeconds(10);
        while (true) {
            List<String> left = CRASH_DATABASE.sql("""
                    select task_instance from scheduled_tasks where task_name = ? and task_instance like ?""")
                    .params(ScanTasks.TARGET, scanId + ":%").query(String.class).list();
            if (left.isEmpty() || Instant.now().isAfter(deadline)) {
                return left;
            }
            ScanFixture.sleep(100);
        }
    }

    @AfterAll
    static void dropDatabase() {
        TestDatabase.get().drop(DATABASE_URL);
    }
}
