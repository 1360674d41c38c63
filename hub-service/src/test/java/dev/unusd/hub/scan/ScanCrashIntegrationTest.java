package dev.unusd.hub.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.unusd.hub.HubApplication;
import dev.unusd.hub.db.DatabaseBootstrap;
import dev.unusd.hub.scan.ScanFixture.SimAccount;
import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestSpokeSim;
import dev.unusd.hub.support.TestDatabase;
import tools.jackson.databind.JsonNode;

/**
 * A hub process killed with SIGKILL in the middle of a scan, then started again, completes the scan with the results
 * of an uninterrupted one. The hubs here are child processes on a database of their own, so the suite's shared hub
 * takes no part; their heartbeat is 1 s, so the dead process's executions are found in seconds.
 */
class ScanCrashIntegrationTest extends HubIntegrationTest {

    private static final List<String> REGIONS = List.of("us-east-1", "us-east-2", "us-west-2", "eu-west-1");
    private static final String DATABASE_URL = TestDatabase.get().url() + "_crash";

    @Test
    void aHubKilledMidScanAndStartedAgainCompletesTheScanAsIfUninterrupted() throws Exception {
        DatabaseBootstrap.createIfMissing(DATABASE_URL, adminUser(), adminPassword());
        Hub first = Hub.start("first");
        Hub second = null;
        try {
            // The reference: the same organisation shape in another tenant, scanned without interruption.
            Tenant reference = first.newTenant();
            List<SimAccount> referenceAccounts = organisation(reference.api());
            JsonNode uninterrupted = ScanFixture.awaitEnd(reference.api(),
                    reference.api().post("/api/v1/scans", Map.of()).json().get("id").asString());

            Tenant crashed = first.newTenant();
            List<SimAccount> accounts = organisation(crashed.api());
            accounts.forEach(a -> TestSpokeSim.get().setLatency(a.awsAccountId(), 700));
            String scanId = crashed.api().post("/api/v1/scans", Map.of()).json().get("id").asString();
            awaitTargets(scanId, t -> t.containsValue("RUNNING") && t.containsValue("SUCCEEDED"));
            first.kill();
            Instant killed = Instant.now();
            Map<String, String> atKill = awaitTargets(scanId, t -> true);
            System.out.printf("Killed the first hub with targets %s%n", atKill);

            second = Hub.start("second");
            Instant restarted = Instant.now();
            JsonNode recovered = ScanFixture.awaitEnd(second.client(crashed.api()), scanId);
            System.out.printf("Scan ended %d s after the kill, %d s after the second hub was up%n",
                    Duration.between(killed, Instant.now()).toSeconds(), Duration.between(restarted, Instant.now()).toSeconds());

            assertThat(uninterrupted.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(recovered.get("status").asString()).isEqualTo("SUCCEEDED");
            assertThat(recovered.get("counts").toString()).isEqualTo(uninterrupted.get("counts").toString());
            assertThat(recovered.get("counts").get("keys").asInt()).isEqualTo(20);
            assertThat(outcomes(recovered, accounts)).isEqualTo(outcomes(uninterrupted, referenceAccounts));
            assertThat(inventory(crashed.id())).isEqualTo(inventory(reference.id()));
            List<Integer> attempts = attempts(scanId);
            assertThat(attempts).hasSize(8);
            // The targets running at the kill ran again; no other target ran twice.
            assertThat(attempts.stream().filter(a -> a == 2).count())
                    .isEqualTo(atKill.values().stream().filter("RUNNING"::equals).count());
        } finally {
            first.kill();
            if (second != null) {
                second.kill();
            }
        }
    }

    @AfterAll
    static void dropDatabase() {
        String name = DATABASE_URL.substring(DATABASE_URL.lastIndexOf('/') + 1);
        try (Connection c = DriverManager.getConnection(DATABASE_URL.substring(0, DATABASE_URL.lastIndexOf('/') + 1)
                + "postgres", adminUser(), adminPassword()); Statement s = c.createStatement()) {
            s.execute("drop database if exists \"" + name + "\" with (force)");
        } catch (SQLException e) {
            System.err.println("could not drop " + name + ": " + e.getMessage());
        }
    }

    /** Two accounts in the four regions, with 3 and 2 keys a region. */
    private static List<SimAccount> organisation(ApiClient api) {
        ScanFixture.disableSchedule(api);
        return List.of(ScanFixture.register(api, REGIONS, 3), ScanFixture.register(api, REGIONS, 2));
    }

    /** Each target's outcome, its account named by position so two organisations of the same shape compare. */
    private static List<String> outcomes(JsonNode scan, List<SimAccount> accounts) {
        List<String> awsIds = accounts.stream().map(SimAccount::awsAccountId).toList();
        return scan.get("targets").valueStream().map(t -> awsIds.indexOf(t.get("awsAccountId").asString()) + "/"
                + t.get("region").asString() + "/" + t.get("status").asString() + "/" + t.get("keysScanned").asInt() + "/"
                + t.get("error")).sorted().toList();
    }

    /** A tenant's keys, findings and finding events, counted by kind: a re-run target must add no row. */
    private static List<String> inventory(java.util.UUID tenant) throws SQLException {
        try (Connection c = crashDatabase(); PreparedStatement q = c.prepareStatement("""
                select 'keys ' || region || ' ' || count(*) || ' distinct ' || count(distinct key_id)
                  from kms_keys where tenant_id = ? group by region
                union all
                select 'findings ' || region || ' ' || type || ' ' || status || ' ' || count(*)
                  from findings where tenant_id = ? group by region, type, status
                union all
                select 'events ' || status || ' ' || count(*) from finding_events where tenant_id = ? group by status
                order by 1""")) {
            for (int i = 1; i <= 3; i++) {
                q.setObject(i, tenant);
            }
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            return rows;
        }
    }

    private static Map<String, String> awaitTargets(String scanId, java.util.function.Predicate<Map<String, String>> done)
            throws SQLException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            Map<String, String> targets = new TreeMap<>();
            try (Connection c = crashDatabase(); PreparedStatement q = c.prepareStatement(
                    "select account_id || '/' || region, status from scan_targets where scan_id = ?::uuid")) {
                q.setString(1, scanId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        targets.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            if (done.test(targets)) {
                return targets;
            }
            ScanFixture.sleep(100);
        }
        throw new AssertionError("targets of " + scanId + " never got there");
    }

    private static List<Integer> attempts(String scanId) throws SQLException {
        try (Connection c = crashDatabase(); PreparedStatement q = c.prepareStatement(
                "select attempts from scan_targets where scan_id = ?::uuid")) {
            q.setString(1, scanId);
            List<Integer> attempts = new ArrayList<>();
            try (ResultSet rs = q.executeQuery()) {
                while (rs.next()) {
                    attempts.add(rs.getInt(1));
                }
            }
            return attempts;
        }
    }

    private static Connection crashDatabase() throws SQLException {
        return DriverManager.getConnection(DATABASE_URL, adminUser(), adminPassword());
    }

    private static String adminUser() {
        return TestDatabase.get().properties().get("spring.flyway.user");
    }

    private static String adminPassword() {
        return TestDatabase.get().properties().get("spring.flyway.password");
    }

    private record Tenant(java.util.UUID id, ApiClient api) {
    }

    /** A hub as its own JVM, on the test classpath, against the crash test's database and the shared simulator. */
    private record Hub(Process process, int port) {

        static Hub start(String name) throws IOException {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                    "-XX:TieredStopAtLevel=1", // starts faster; these hubs run seconds, not days
                    "-cp", System.getProperty("java.class.path")));
            TestSpokeSim.systemProperties().forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.add(HubApplication.class.getName());
            Map<String, String> args = new TreeMap<>(TestDatabase.get().properties());
            args.putAll(Map.of("spring.datasource.url", DATABASE_URL, "server.port", String.valueOf(port),
                    "hub.admin-token", ADMIN_TOKEN, "hub.principal", HUB_ACCOUNT,
                    "hub.public-url", "https://hub.example.test", "db-scheduler.scheduler-name", name,
                    "db-scheduler.threads", "2", "db-scheduler.polling-interval", "250ms",
                    "db-scheduler.heartbeat-interval", "1s"));
            args.forEach((k, v) -> command.add("--" + k + "=" + v));
            Path log = Path.of("target", "crash-test-" + name + ".log");
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Hub hub = new Hub(process, port);
            hub.awaitReady(log);
            return hub;
        }

        private void awaitReady(Path log) {
            Instant deadline = Instant.now().plusSeconds(120);
            ApiClient anonymous = new ApiClient("http://127.0.0.1:" + port, null);
            while (Instant.now().isBefore(deadline) && process.isAlive()) {
                try {
                    if (anonymous.get("/actuator/health").status() == 200) {
                        return;
                    }
                } catch (IllegalStateException notYet) {
                    // connection refused while starting
                }
                ScanFixture.sleep(250);
            }
            throw new AssertionError("hub did not start; see " + log.toAbsolutePath());
        }

        Tenant newTenant() {
            ApiClient admin = new ApiClient("http://127.0.0.1:" + port, ADMIN_TOKEN);
            JsonNode created = admin.post("/api/v1/tenants", Map.of("name", "crash test")).json();
            return new Tenant(java.util.UUID.fromString(created.get("id").asString()),
                    new ApiClient("http://127.0.0.1:" + port, created.get("apiKey").asString()));
        }

        /** The same tenant's key, on this hub. */
        ApiClient client(ApiClient onOtherHub) {
            return onOtherHub.at("http://127.0.0.1:" + port);
        }

        /** SIGKILL: no shutdown hook, no graceful stop, the executions stay picked in the database. */
        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
