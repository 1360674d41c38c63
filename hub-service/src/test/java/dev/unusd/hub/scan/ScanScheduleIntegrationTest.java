package dev.unusd.hub.scan;

import static dev.unusd.hub.scan.ScanFixture.await;
import static dev.unusd.hub.scan.ScanFixture.awaitEnd;
import static dev.unusd.hub.scan.ScanFixture.register;
import static dev.unusd.hub.scan.ScanFixture.setSchedule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.transaction.support.TransactionTemplate;

import com.github.kagkarlsson.scheduler.ScheduledExecution;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;

import dev.unusd.hub.db.TenantContext;
import dev.unusd.hub.scan.ScanFixture.SimAccount;
import dev.unusd.hub.support.HubIntegrationTest;
import dev.unusd.hub.support.TestDatabase;
import dev.unusd.hub.tenant.TenantSettings;
import dev.unusd.hub.tenant.TenantSettingsChanged;
import tools.jackson.databind.JsonNode;

class ScanScheduleIntegrationTest extends HubIntegrationTest {

    @Autowired
    SchedulerClient scheduler;
    @Autowired
    ApplicationEventPublisher events;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    TenantScanSchedules schedules;
    @Autowired
    ScanHistory history;
    @Autowired
    ScanTasks.TenantScheduleTask scheduleTask;

    @Test
    void aTenantScheduleFiresScansEveryEnabledAccountAndFollowsChanges() {
        TenantHandle tenant = newTenant();
        SimAccount a = register(tenant.api(), List.of("us-east-1"), 2);
        SimAccount b = register(tenant.api(), List.of("eu-west-1", "us-east-1"), 1);
        SimAccount off = register(tenant.api(), List.of("us-east-1"), 1);
        tenant.api().patch("/api/v1/accounts/" + off.id(), Map.of("enabled", false));

        setSchedule(tenant.api(), "*/2 * * * * *", "UTC", true);

        JsonNode scheduled = await(tenant.api(), "/api/v1/scans", page -> page.get("items").size() > 0)
                .get("items").get(0);
        assertThat(scheduled.get("trigger").asString()).isEqualTo("SCHEDULED");
        JsonNode ended = awaitEnd(tenant.api(), scheduled.get("id").asString());
        assertThat(ended.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(ended.get("targets").valueStream().map(t -> t.get("awsAccountId").asString() + "/" + t.get("region").asString()))
                .containsExactlyInAnyOrder(a.awsAccountId() + "/us-east-1", b.awsAccountId() + "/eu-west-1",
                        b.awsAccountId() + "/us-east-1");
        assertThat(ended.get("counts").get("keys").asInt()).isEqualTo(4);

        // A yearly schedule in Paris: the task follows, even when the change lands while it fires.
        setSchedule(tenant.api(), "0 0 0 1 1 *", "Europe/Paris", true);
        TenantSchedule yearly = new TenantSchedule(tenant.id(), "0 0 0 1 1 *", "Europe/Paris");
        ScheduledExecution<Object> execution = awaitSchedule(tenant.id(), e -> e.isPresent() && !e.get().isPicked()
                && yearly.equals(e.get().getData())).orElseThrow();
        Instant newYear = CronExpression.parse("0 0 0 1 1 *").next(ZonedDateTime.now(ZoneId.of("Europe/Paris"))).toInstant();
        assertThat(execution.getExecutionTime()).isEqualTo(newYear);

        setSchedule(tenant.api(), "*/2 * * * * *", "UTC", false);
        awaitSchedule(tenant.id(), Optional::isEmpty);
        int scans = tenant.api().get("/api/v1/scans?limit=500").json().get("items").size();
        ScanFixture.sleep(3000);
        assertThat(tenant.api().get("/api/v1/scans?limit=500").json().get("items").size()).isEqualTo(scans);
    }

    @Test
    void aSettingsTransactionThatFailsLeavesTheScheduleAsItWas() {
        TenantHandle tenant = newTenant();
        TenantSchedule daily = new TenantSchedule(tenant.id(), TenantSettings.DEFAULT_CRON, "UTC");
        assertThat(execution(tenant.id()).orElseThrow().getData()).isEqualTo(daily);
        TenantSettings defaults = TenantSettings.defaults();

        for (boolean enabled : List.of(true, false)) {
            TenantSettings changed = new TenantSettings(defaults.exceptionTag(), 30, 365, List.of("us-east-1"),
                    new TenantSettings.Schedule("0 30 1 * * MON", "Asia/Tokyo", enabled), List.of(), null);
            assertThatThrownBy(() -> TenantContext.runAs(tenant.id(), () -> tx.executeWithoutResult(s -> {
                events.publishEvent(new TenantSettingsChanged(tenant.id(), changed));
                throw new IllegalStateException("the settings update failed after the schedule changed");
            }))).isInstanceOf(IllegalStateException.class);

            assertThat(execution(tenant.id()).orElseThrow().getData()).isEqualTo(daily);
        }
    }

    @Test
    void startUpReconciliationRestoresMissingSchedulesAndDropsThoseOfUnknownTenants() throws Exception {
        TenantHandle enabled = newTenant();
        TenantHandle disabled = newTenant();
        setSchedule(disabled.api(), "0 0 6 * * *", "UTC", false);
        UUID unknownTenant = UUID.randomUUID();
        try (Connection c = TestDatabase.get().admin()) {
            delete(c, enabled.id().toString());
            scheduler.scheduleIfNotExists(schedulesTask().schedulableInstance(unknownTenant.toString(),
                    new TenantSchedule(unknownTenant, "0 0 6 * * *", "UTC")));
        }
        // Drift the other way: a disabled tenant's task that should not exist.
        scheduler.scheduleIfNotExists(schedulesTask().schedulableInstance(disabled.id().toString(),
                new TenantSchedule(disabled.id(), "0 0 6 * * *", "UTC")));

        schedules.reconcileAll();

        assertThat(execution(enabled.id()).orElseThrow().getData())
                .isEqualTo(new TenantSchedule(enabled.id(), "0 0 6 * * *", "UTC"));
        assertThat(execution(disabled.id())).isEmpty();
        assertThat(execution(unknownTenant)).isEmpty();
    }

    @Test
    void scansThatEndedBeforeTheRetentionPeriodArePurged() throws Exception {
        TenantHandle tenant = newTenant();
        ScanFixture.disableSchedule(tenant.api());
        SimAccount account = register(tenant.api(), List.of("us-east-1"), 1);
        String old = tenant.api().post("/api/v1/scans", Map.of()).json().get("id").asString();
        awaitEnd(tenant.api(), old);
        String recent = tenant.api().post("/api/v1/scans", Map.of("accountIds", List.of(account.id()))).json()
                .get("id").asString();
        awaitEnd(tenant.api(), recent);
        try (Connection c = TestDatabase.get().admin();
                PreparedStatement age = c.prepareStatement(
                        "update scans set finished_at = now() - interval '91 days' where id = ?::uuid")) {
            age.setString(1, old);
            assertThat(age.executeUpdate()).isEqualTo(1);
        }

        history.purge();

        assertThat(tenant.api().get("/api/v1/scans/" + old).status()).isEqualTo(404);
        assertThat(tenant.api().get("/api/v1/scans/" + recent).status()).isEqualTo(200);
    }

    @Test
    void scanAndAwsCallMetricsAreExposed() {
        TenantHandle tenant = newTenant();
        ScanFixture.disableSchedule(tenant.api());
        register(tenant.api(), List.of("us-east-1"), 1);
        awaitEnd(tenant.api(), tenant.api().post("/api/v1/scans", Map.of()).json().get("id").asString());

        List<String> expected = List.of(
                "hub_scans_finished_total\\{[^}]*status=\"SUCCEEDED\"[^}]*trigger=\"MANUAL\"",
                "hub_scan_targets_finished_total\\{[^}]*status=\"SUCCEEDED\"",
                "hub_scan_duration_seconds_count\\{[^}]*status=\"SUCCEEDED\"",
                "hub_scan_target_duration_seconds_count\\{[^}]*status=\"SUCCEEDED\"",
                "hub_aws_calls_total\\{[^}]*operation=\"ListKeys\",outcome=\"success\",service=\"KMS\"",
                "hub_aws_calls_total\\{[^}]*operation=\"AssumeRole\",outcome=\"success\",service=\"STS\"");
        // The scan's counters are counted once its end has committed, so they may trail the API's answer a little.
        String metrics = anonymous().get("/actuator/prometheus").text();
        for (int i = 0; i < 50 && !expected.stream().allMatch(containedIn(metrics)); i++) {
            ScanFixture.sleep(100);
            metrics = anonymous().get("/actuator/prometheus").text();
        }

        for (String pattern : expected) {
            assertThat(metrics).containsPattern(pattern);
        }
    }

    private static java.util.function.Predicate<String> containedIn(String text) {
        return pattern -> java.util.regex.Pattern.compile(pattern).matcher(text).find();
    }

    private Optional<ScheduledExecution<Object>> awaitSchedule(UUID tenant,
            java.util.function.Predicate<Optional<ScheduledExecution<Object>>> done) {
        for (int i = 0; i < 150; i++) {
            Optional<ScheduledExecution<Object>> execution = execution(tenant);
            if (done.test(execution)) {
                return execution;
            }
            ScanFixture.sleep(200);
        }
        throw new AssertionError("schedule of tenant " + tenant + " did not change: " + execution(tenant));
    }

    private Optional<ScheduledExecution<Object>> execution(UUID tenant) {
        return scheduler.getScheduledExecution(TaskInstanceId.of(ScanTasks.TENANT_SCHEDULE, tenant.toString()));
    }

    private ScanTasks.TenantScheduleTask schedulesTask() {
        return scheduleTask;
    }

    private static void delete(Connection c, String instance) throws Exception {
        try (PreparedStatement delete = c.prepareStatement(
                "delete from scheduled_tasks where task_name = ? and task_instance = ?")) {
            delete.setString(1, ScanTasks.TENANT_SCHEDULE);
            delete.setString(2, instance);
            assertThat(delete.executeUpdate()).isEqualTo(1);
        }
    }
}
