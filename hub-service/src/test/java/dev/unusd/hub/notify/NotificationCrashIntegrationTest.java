package dev.unusd.hub.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import dev.unusd.hub.db.DatabaseBootstrap;
import dev.unusd.hub.fault.CrashPoint;
import dev.unusd.hub.support.ApiClient;
import dev.unusd.hub.support.ChildHub;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestDatabase;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A hub halted (exit 137, as SIGKILL) just after the transaction that finalised a scan committed, before anything was
 * sent: the digest is in the outbox, and a hub started after it delivers it, once. A hub halted while its transaction
 * queued a weekly report: nothing of it stays, and the next hub reports the week once. The hubs are child processes on
 * a database of their own.
 */
class NotificationCrashIntegrationTest extends HubIntegrationTest {

    private static final String DATABASE_URL = TestDatabase.get().url() + "_notify_crash";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void aHubKilledBetweenTheScansCommitAndTheDeliveryDeliversAfterRestart() throws Exception {
        DatabaseBootstrap.createIfMissing(DATABASE_URL, TestDatabase.get().adminUser(),
                TestDatabase.get().adminPassword());
        List<ChildHub> hubs = new ArrayList<>();
        try (Receiver receiver = new Receiver()) {
            // The halting hub polls its queue only when a scan is launched: it halts before it could send anything.
            ChildHub crashing = start("notify-crash", Map.of("hub.scan.crash-at", "scan-finalised",
                    "db-scheduler.polling-interval", "1h", "db-scheduler.heartbeat-interval", "1h"));
            hubs.add(crashing);
            ApiClient api = crashing.newTenant().api();
            NotificationIntegrationTest.disableSchedule(api);
            NotificationIntegrationTest.register(api);
            JsonNode channel = NotificationIntegrationTest.create(api, Map.of("type", "WEBHOOK", "name", "siem",
                    "target", receiver.url("/crash/hook")));
            ApiClient.Response launched = api.post("/api/v1/scans", Map.of());
            assertThat(launched.status()).as(launched.text()).isEqualTo(202);
            String scanId = launched.json().get("id").asString();
            crashing.awaitHalt(CrashPoint.SCAN_FINALISED, 1);
            assertThat(receiver.all()).as("nothing sent before the halt").isEmpty();

            ChildHub recovery = start("notify-recovery", Map.of("db-scheduler.heartbeat-interval", "1s"));
            hubs.add(recovery);
            ApiClient recovered = api.at(recovery.base());
            assertThat(recovered.get("/api/v1/scans/" + scanId).json().get("status").asString()).isEqualTo("SUCCEEDED");
            List<Receiver.Request> got = receiver.await("/crash/hook", r -> r.size() == 1, Duration.ofSeconds(60));
            JsonNode event = JSON.readTree(got.get(0).body());
            assertThat(event.get("data").get("scanId").asString()).isEqualTo(scanId);
            assertThat(event.get("data").get("changes").get("opened").asInt()).isEqualTo(4);
            assertThat(new StandardWebhooksVerifier(channel.get("secret").asString()).verify(
                    got.get(0).header("webhook-id"), got.get(0).header("webhook-timestamp"),
                    got.get(0).header("webhook-signature"), got.get(0).body())).isTrue();

            // The halted hub's target task is revived by the recovering hub's dead-execution check, and finds the
            // scan finalised: no second digest.
            Instant settle = Instant.now().plusSeconds(15);
            while (Instant.now().isBefore(settle) && !targetTasksGone(scanId)) {
                Thread.sleep(250);
            }
            Thread.sleep(1_000);
            List<JsonNode> deliveries = recovered.get("/api/v1/notification-channels/" + channel.get("id").asString()
                    + "/deliveries").json().get("items").valueStream().toList();
            assertThat(deliveries).hasSize(1);
            assertThat(deliveries.get(0).get("status").asString()).isEqualTo("DELIVERED");
            assertThat(receiver.all()).hasSize(1);
            System.out.printf("notifications after a crash at scan-finalised: %d deliveries, %d lost, %d duplicates"
                    + " beyond retries%n", deliveries.size(), deliveries.size() - receiver.all().size(),
                    Math.max(0, receiver.all().size() - deliveries.get(0).get("attempts").asInt()));
        } finally {
            for (ChildHub hub : hubs) {
                hub.kill();
            }
        }
    }

    @Test
    void aHubKilledWhileQueuingTheWeeklyReportLeavesItToTheNextOneWhichSendsItOnce() throws Exception {
        DatabaseBootstrap.createIfMissing(DATABASE_URL, TestDatabase.get().adminUser(),
                TestDatabase.get().adminPassword());
        List<ChildHub> hubs = new ArrayList<>();
        try (Receiver receiver = new Receiver()) {
            // The halting hub's check runs every second; once picked, its execution never heartbeats again.
            ChildHub crashing = start("weekly-crash", Map.of("hub.scan.crash-at", "weekly-report-queued",
                    "hub.notify.weekly-report-check-interval", "1s", "db-scheduler.heartbeat-interval", "1h"));
            hubs.add(crashing);
            ApiClient api = crashing.newTenant().api();
            ZoneId zone = ZoneId.of("America/St_Johns"); // UTC-03:30 (or -02:30): a half-hour zone
            WeeklyReportIntegrationTest.putWeekly(api, ZonedDateTime.now(zone).plusDays(3));
            NotificationIntegrationTest.create(api, Map.of("type", "WEBHOOK", "name", "weekly", "target",
                    receiver.url("/crash/weekly"), "events", List.of("report.weekly")));
            ZonedDateTime due = ZonedDateTime.now(zone).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            WeeklyReportIntegrationTest.putWeekly(api, due);
            crashing.awaitHalt(CrashPoint.WEEKLY_REPORT_QUEUED, 1);
            assertThat(receiver.all()).as("nothing sent before the halt").isEmpty();

            // Its transaction died with it: the next hub finds the week unreported, and reports it once.
            ChildHub recovery = start("weekly-recovery", Map.of("db-scheduler.heartbeat-interval", "1s",
                    "hub.notify.weekly-report-check-interval", "1s"));
            hubs.add(recovery);
            List<Receiver.Request> got = receiver.await("/crash/weekly", r -> r.size() == 1, Duration.ofSeconds(60));
            JsonNode event = JSON.readTree(got.get(0).body());
            String week = WeeklyReports.week(due.toLocalDate());
            assertThat(event.get("id").asString()).isEqualTo(WeeklyReports.eventId(
                    java.util.UUID.fromString(event.get("tenantId").asString()), week).toString());
            assertThat(java.time.Instant.parse(event.get("occurredAt").asString())).isEqualTo(due.toInstant());
            Thread.sleep(3_000); // three more checks
            assertThat(receiver.all()).hasSize(1);
            assertThat(count("select count(*) from notification_weekly_reports where week = '" + week + "'"))
                    .isEqualTo(1);
        } finally {
            for (ChildHub hub : hubs) {
                hub.kill();
            }
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(DATABASE_URL, TestDatabase.get().adminUser(),
                TestDatabase.get().adminPassword()); var s = c.prepareStatement(sql); var rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean targetTasksGone(String scanId) throws SQLException {
        try (Connection c = DriverManager.getConnection(DATABASE_URL, TestDatabase.get().adminUser(),
                TestDatabase.get().adminPassword());
                var s = c.prepareStatement("select count(*) from scheduled_tasks where task_instance like ?")) {
            s.setString(1, scanId + ":%");
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1) == 0;
            }
        }
    }

    @AfterAll
    static void dropDatabase() {
        TestDatabase.get().drop(DATABASE_URL);
    }

    /** A hub of its own on this test's database, with the suite's notification settings. */
    private static ChildHub start(String name, Map<String, String> settings) throws IOException {
        Map<String, String> all = new TreeMap<>(Map.of("hub.notify.secrets-key", SECRETS_KEY,
                "hub.notify.allow-private-targets", "true"));
        all.putAll(settings);
        return ChildHub.start(name, DATABASE_URL, all);
    }
}
